/** TC.AccessLogTarget against the emulator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanActions } from '../scan-policy.js';
import { plain } from '../../core/rich.js';
import {
  createBucket,
  createTrail,
  createTrailBucket,
  enableAccessLogging,
} from '../../../test/support/scenarios/builders.js';
import { scannerWithPolicy } from '../../../test/support/scenarios/more-builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import type { ScanOptions } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

async function findings(options: ScanOptions = {}) {
  return findingsOf(await scanMoto(suite, { controls: [control], ...options }), 'TC.AccessLogTarget');
}

describe('TC.AccessLogTarget on the emulator', () => {
  it('PASS when the trail bucket logs to a separate bucket; FAIL when it logs into itself', async () => {
    await createTrailBucket(suite.aws, 'good-logs', 'Good');
    await createBucket(suite.aws, 'good-logs-access');
    await enableAccessLogging(suite.aws, 'good-logs', 'good-logs-access');
    await createTrail(suite.aws, { name: 'Good', bucket: 'good-logs', multiRegion: true });
    await createTrailBucket(suite.aws, 'loop-logs', 'Loop', 'eu-west-1');
    await enableAccessLogging(suite.aws, 'loop-logs', 'loop-logs', 'eu-west-1');
    await createTrail(suite.aws, { name: 'Loop', bucket: 'loop-logs', region: 'eu-west-1' });
    const result = await findings();
    assert.deepEqual(
      result.map((f) => [f.resource.name, f.resource.region, f.status]),
      [
        ['loop-logs', 'eu-west-1', 'FAIL'],
        ['good-logs', 'us-east-1', 'PASS'],
      ],
    );
    assert.match(plain(result[0]!.message), /writes its access logs into itself/);
    assert.match(
      result[0]!.remediation!.cli.join('\n'),
      /create-bucket --region eu-west-1 --bucket loop-logs-access-logs/,
    );
    assert.match(plain(result[1]!.message), /go to the separate bucket good-logs-access/);
  });

  it('no finding when access logging is off (CloudTrail.7 reports that)', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: 'logs', multiRegion: true });
    const assessment = await scanMoto(suite, { controls: [control] });
    assert.deepEqual(findingsOf(assessment, 'TC.AccessLogTarget'), []);
    assert.equal(assessment.results[0]?.status, 'NOT_APPLICABLE');
  });

  it('UNKNOWN when the scanner may not call s3:GetBucketLogging', async () => {
    await createTrailBucket(suite.aws, 'logs', 'Main');
    await enableAccessLogging(suite.aws, 'logs', 'logs');
    await createTrail(suite.aws, { name: 'Main', bucket: 'logs', multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 's3:GetBucketLogging'),
    );
    const [finding, ...rest] = await findings({ credentials });
    assert.equal(rest.length, 0);
    assert.equal(finding?.status, 'UNKNOWN');
    assert.deepEqual(finding?.remediation?.permissions, ['s3:GetBucketLogging']);
  });

  it('UNKNOWN, never FAIL or PASS: the log bucket belongs to another account', async () => {
    await createTrailBucket(suite.aws, 'own-logs', 'Main');
    await createBucket(suite.aws, 'central-archive');
    await enableAccessLogging(suite.aws, 'central-archive', 'central-archive');
    await createTrail(suite.aws, { name: 'Main', bucket: 'central-archive', multiRegion: true });
    const credentials = await scannerWithPolicy(suite, [
      { Effect: 'Allow', Action: scanActions([control]).filter((a) => !a.startsWith('s3:')), Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::own-logs', 'arn:aws:s3:::own-logs/*'] },
    ]);
    const [finding] = await findings({ credentials });
    assert.equal(finding?.status, 'UNKNOWN');
    assert.equal(finding?.resource.name, 'central-archive');
    assert.match(plain(finding.message), /another account/);
  });
});
