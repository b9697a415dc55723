/** CloudTrail.7 against the emulator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeleteBucketCommand, DeleteBucketPolicyCommand } from '@aws-sdk/client-s3';
import { scanActions } from '../scan-policy.js';
import { plain } from '../../core/rich.js';
import {
  createBucket,
  createTrail,
  createTrailBucket,
  enableAccessLogging,
} from '../../../test/support/scenarios/builders.js';
import { findingsOf, restrictedScanner, scanMoto, useMoto } from '../../../test/support/moto-suite.js';
import { control } from './control.js';

const suite = useMoto();

describe('CloudTrail.7 on the emulator', () => {
  it('PASS when the trail bucket logs to a separate bucket, in the bucket’s own Region', async () => {
    await createTrailBucket(suite.aws, 'trail-logs', 'Main', 'eu-west-1');
    await createBucket(suite.aws, 'trail-logs-access', 'eu-west-1');
    await enableAccessLogging(suite.aws, 'trail-logs', 'trail-logs-access', 'eu-west-1');
    await createTrail(suite.aws, { name: 'Main', bucket: 'trail-logs', multiRegion: true });
    const [finding] = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.7');
    assert.equal(finding?.status, 'PASS');
    assert.equal(finding?.resource.region, 'eu-west-1');
    assert.match(plain(finding.message), /writes server access logs to bucket trail-logs-access/);
  });

  it('FAIL when access logging is off; the fix names a separate bucket', async () => {
    await createTrailBucket(suite.aws, 'trail-logs', 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: 'trail-logs', multiRegion: true });
    const [finding] = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.7');
    assert.equal(finding?.status, 'FAIL');
    assert.match(plain(finding.remediation!.summary), /trail-logs-access-logs/);
  });

  it('UNKNOWN when the scanner may not call s3:GetBucketLogging', async () => {
    await createTrailBucket(suite.aws, 'trail-logs', 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: 'trail-logs', multiRegion: true });
    const credentials = await restrictedScanner(
      suite,
      scanActions([control]).filter((a) => a !== 's3:GetBucketLogging'),
    );
    const [finding] = findingsOf(await scanMoto(suite, { controls: [control], credentials }), 'CloudTrail.7');
    assert.equal(finding?.status, 'UNKNOWN');
    assert.deepEqual(finding?.remediation?.permissions, ['s3:GetBucketLogging']);
  });

  it('UNKNOWN when the trail’s bucket no longer exists', async () => {
    await createTrailBucket(suite.aws, 'short-lived', 'Main');
    await createTrail(suite.aws, { name: 'Main', bucket: 'short-lived', multiRegion: true });
    await suite.aws.s3().send(new DeleteBucketPolicyCommand({ Bucket: 'short-lived' }));
    await suite.aws.s3().send(new DeleteBucketCommand({ Bucket: 'short-lived' }));
    const [finding] = findingsOf(await scanMoto(suite, { controls: [control] }), 'CloudTrail.7');
    assert.equal(finding?.status, 'UNKNOWN');
    assert.match(plain(finding.message), /does not exist/);
  });
});
