/** TC.Insights against the emulator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutInsightSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { scanActions } from '../scan-policy.js';
import { createTrail, createTrailBucket } from '../../../test/support/scenarios/builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

describe('TC.Insights on the emulator', () => {
  it('PASS with Insights on, FAIL with none', async () => {
    await createTrailBucket(suite.aws, 'a-logs', 'Watched');
    await createTrailBucket(suite.aws, 'b-logs', 'Plain');
    await createTrail(suite.aws, { name: 'Watched', bucket: 'a-logs', multiRegion: true });
    await createTrail(suite.aws, { name: 'Plain', bucket: 'b-logs' });
    await suite.aws.cloudtrail().send(
      new PutInsightSelectorsCommand({
        TrailName: 'Watched',
        InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }],
      }),
    );
    const findings = findingsOf(await scanMoto(suite, { controls: [control] }), control.id);
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status]),
      [
        ['Plain', 'FAIL'],
        ['Watched', 'PASS'],
      ],
    );
  });

  it('UNKNOWN when the scanner may not read Insights selectors', async () => {
    await createTrailBucket(suite.aws, 'a-logs', 'Watched');
    await createTrail(suite.aws, { name: 'Watched', bucket: 'a-logs', multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 'cloudtrail:GetInsightSelectors'),
    );
    const [finding] = findingsOf(await scanMoto(suite, { controls: [control], credentials }), control.id);
    assert.equal(finding?.status, 'UNKNOWN');
    assert.deepEqual(finding?.remediation?.permissions, ['cloudtrail:GetInsightSelectors']);
  });
});
