/** CloudTrail.2 against the emulator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanActions } from '../scan-policy.js';
import { plain } from '../../core/rich.js';
import { createKey, createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

describe('CloudTrail.2 on the emulator', () => {
  it('PASS with a KMS key, FAIL without; a multi-Region trail is judged once', async () => {
    await createTrailBucket(suite.aws, 'enc-logs', 'Encrypted');
    await createTrailBucket(suite.aws, 'plain-logs', 'Plain', 'eu-west-1');
    const key = await createKey(suite.aws, 'alias/trail');
    await createTrail(suite.aws, { name: 'Encrypted', bucket: 'enc-logs', multiRegion: true, kmsKeyId: key });
    await createTrail(suite.aws, { name: 'Plain', bucket: 'plain-logs', region: 'eu-west-1' });
    const findings = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.2');
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.resource.region, f.status]),
      [
        ['Plain', 'eu-west-1', 'FAIL'],
        ['Encrypted', 'us-east-1', 'PASS'],
      ],
    );
    assert.match(plain(findings[1]!.message), new RegExp(key.replace(/[/.]/g, '.')));
  });

  it('no trails: no finding (there is no resource), not a PASS', async () => {
    const assessment = await scanMoto(suite, { controls: [control] });
    assert.deepEqual(findingsOf(assessment, 'CloudTrail.2'), []);
    assert.equal(assessment.results[0]?.status, 'NOT_APPLICABLE');
  });

  it('UNKNOWN when the trails cannot be listed, never silence', async () => {
    await createTrailBucket(suite.aws, 'plain-logs', 'Plain');
    await createTrail(suite.aws, { name: 'Plain', bucket: 'plain-logs' });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'cloudtrail:DescribeTrails'),
    );
    const findings = findingsOf(await scanMoto(suite, { controls: [control], credentials }), 'CloudTrail.2');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.status, 'UNKNOWN');
    assert.deepEqual(findings[0]?.remediation?.permissions, ['cloudtrail:DescribeTrails']);
  });
});
