/** TC.DeliveryHealth against the emulator (moto reports no delivery errors: those cases are unit-tested). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanActions } from '../scan-policy.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

describe('TC.DeliveryHealth on the emulator', () => {
  it('PASS for a logging trail, FAIL for a stopped one', async () => {
    await createTrailBucket(suite.aws, 'a-logs', 'Running');
    await createTrailBucket(suite.aws, 'b-logs', 'Stopped');
    await createTrail(suite.aws, { name: 'Running', bucket: 'a-logs', multiRegion: true });
    await createTrail(suite.aws, { name: 'Stopped', bucket: 'b-logs', logging: false });
    const findings = findingsOf(await scanMoto(suite, { controls: [control] }), control.id);
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status]),
      [
        ['Stopped', 'FAIL'],
        ['Running', 'PASS'],
      ],
    );
    assert.deepEqual(findings[0]?.remediation?.cli, [
      'aws cloudtrail start-logging --region us-east-1 --name Stopped',
    ]);
  });

  it('UNKNOWN when the scanner may not read trail status', async () => {
    await createTrailBucket(suite.aws, 'a-logs', 'Running');
    await createTrail(suite.aws, { name: 'Running', bucket: 'a-logs', multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'cloudtrail:GetTrailStatus'),
    );
    const [finding] = findingsOf(await scanMoto(suite, { controls: [control], credentials }), control.id);
    assert.equal(finding?.status, 'UNKNOWN');
  });
});
