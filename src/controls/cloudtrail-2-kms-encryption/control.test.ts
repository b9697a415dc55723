import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import { bucket, loggingOff, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';

const run = (snap: ReturnType<typeof snapshot>) => control.evaluate(new SnapshotView(snap));

describe('CloudTrail.2 SSE-KMS encryption', () => {
  it('passes a trail with a KMS key and names the key', () => {
    const [finding] = run(
      snapshot({ trails: [trail({ Name: 'Main', KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1' })] }),
    );
    assert.equal(finding?.status, 'PASS');
    assert.match(
      plain(finding.message),
      /Main encrypts its log files with the KMS key arn:aws:kms:us-east-1:123456789012:key\/k1/,
    );
    assert.deepEqual(finding?.evidence[0]?.facts?.KmsKeyId, 'arn:aws:kms:us-east-1:123456789012:key/k1');
  });

  it('fails a trail without a key; the fix creates a key in the bucket Region with a CloudTrail policy', () => {
    const snap = snapshot({
      trails: [trail({ Name: 'Main', S3BucketName: 'logs', HomeRegion: 'us-east-1' })],
      buckets: [bucket('logs', loggingOff('eu-west-1'), 'eu-west-1')],
    });
    const [finding] = run(snap);
    assert.equal(finding?.status, 'FAIL');
    const cli = finding?.remediation?.cli.join('\n') ?? '';
    assert.match(cli, /kms create-key --region eu-west-1/, 'the key must live in the bucket Region');
    assert.match(cli, /cloudtrail\.amazonaws\.com/);
    assert.match(
      cli,
      /^CLOUDTRAIL_MAIN_KEY_ARN=\$\(aws kms create-key .* --query KeyMetadata.Arn --output text\)$/m,
    );
    assert.match(
      cli,
      /kms create-alias --region eu-west-1 --alias-name alias\/cloudtrail-Main --target-key-id "\$CLOUDTRAIL_MAIN_KEY_ARN"/,
    );
    assert.match(
      cli,
      /update-trail --region us-east-1 --name Main --kms-key-id "\$CLOUDTRAIL_MAIN_KEY_ARN"$/m,
    );
  });

  it('assesses each trail once, in its home Region', () => {
    const findings = run(
      snapshot({
        trails: [
          trail({ Name: 'a', KmsKeyId: 'k', seenIn: ['us-east-1', 'eu-west-1'] }),
          trail({ Name: 'b', HomeRegion: 'eu-west-1', IsMultiRegionTrail: false }),
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.resource.region, f.status]),
      [
        ['a', 'us-east-1', 'PASS'],
        ['b', 'eu-west-1', 'FAIL'],
      ],
    );
  });

  it('gives no finding for zero trails, nor for an organization trail owned elsewhere', () => {
    assert.deepEqual(run(snapshot({ trails: [] })), []);
    assert.deepEqual(run(snapshot({ trails: [trail({ Name: 'org', owner: '999999999999' })] })), []);
  });
});
