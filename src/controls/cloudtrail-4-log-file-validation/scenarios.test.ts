/** CloudTrail.4 against the emulator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanActions } from '../scan-policy.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

describe('CloudTrail.4 on the emulator', () => {
  it('PASS with validation on, FAIL with it off, one finding per trail', async () => {
    await createTrailBucket(suite.aws, 'logs-a', 'Validated');
    await createTrailBucket(suite.aws, 'logs-b', 'Unvalidated');
    await createTrail(suite.aws, {
      name: 'Validated',
      bucket: 'logs-a',
      multiRegion: true,
      logFileValidation: true,
    });
    await createTrail(suite.aws, { name: 'Unvalidated', bucket: 'logs-b', logFileValidation: false });
    const findings = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.4');
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status]),
      [
        ['Unvalidated', 'FAIL'],
        ['Validated', 'PASS'],
      ],
    );
    assert.deepEqual(findings[0]?.remediation?.cli, [
      'aws cloudtrail update-trail --region us-east-1 --name Unvalidated --enable-log-file-validation',
    ]);
  });

  it('UNKNOWN when the trails cannot be listed', async () => {
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'cloudtrail:DescribeTrails'),
    );
    const findings = findingsOf(await scanMoto(suite, { controls: [control], credentials }), 'CloudTrail.4');
    assert.deepEqual(
      findings.map((f) => f.status),
      ['UNKNOWN'],
    );
  });
});
