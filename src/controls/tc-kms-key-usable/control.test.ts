import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { KeyMetadata, KmsKeyRecord, Observation } from '../../snapshot/schema.js';
import { bucketWith, denied, failed, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { cloudTrailKeyPolicy } from '../cloudtrail-2-kms-encryption/control.js';
import { control, withCloudTrailStatements } from './control.js';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111-2222';
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/Main';
const goodPolicy = cloudTrailKeyPolicy('aws', '123456789012', TRAIL_ARN);
const rootOnly = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Root',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

function keyRecord(
  meta: Partial<KeyMetadata> | Observation<KeyMetadata> = {},
  policy: string | Observation<{ Policy: string }> | undefined = goodPolicy,
  keyId = KEY,
): KmsKeyRecord {
  const describe: Observation<KeyMetadata> =
    'ok' in meta
      ? meta
      : ok(
          {
            KeyId: '1111-2222',
            Arn: KEY,
            KeyState: 'Enabled',
            Enabled: true,
            KeyManager: 'CUSTOMER',
            ...meta,
          },
          'kms:DescribeKey',
        );
  const record: KmsKeyRecord = { KeyId: keyId, Region: 'us-east-1', describe };
  if (policy !== undefined)
    record.policy = typeof policy === 'string' ? ok({ Policy: policy }, 'kms:GetKeyPolicy') : policy;
  return record;
}

function verdict(record: KmsKeyRecord, bucketRegion = 'us-east-1', kmsKeyId = KEY) {
  const snap = snapshot({
    trails: [trail({ Name: 'Main', KmsKeyId: kmsKeyId, S3BucketName: 'logs' })],
    buckets: [bucketWith('logs', {}, bucketRegion)],
    kmsKeys: [record],
  });
  const findings = control.evaluate(new SnapshotView(snap));
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  return { ...f, text: plain(f.message), fix: f.remediation?.cli.join('\n') ?? '' };
}

describe('TC.KmsKeyUsable', () => {
  it('passes an enabled customer key in the bucket Region whose policy lets CloudTrail encrypt this trail', () => {
    const v = verdict(keyRecord());
    assert.equal(v.status, 'PASS');
    assert.match(v.text, /is enabled, customer managed, in the bucket’s Region/);
  });

  it('fails a disabled key (which Security Hub CloudTrail.2 still passes), and the fix enables it', () => {
    const v = verdict(keyRecord({ KeyState: 'Disabled', Enabled: false }));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /the key is Disabled/);
    // By the key's id: the key is in this account and Region.
    assert.equal(v.fix, 'aws kms enable-key --region us-east-1 --key-id 1111-2222');
  });

  it('fails a key pending deletion, and the fix cancels the deletion first', () => {
    const v = verdict(keyRecord({ KeyState: 'PendingDeletion', DeletionDate: '2026-12-01T00:00:00.000Z' }));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /PendingDeletion \(deletion on 2026-12-01\)/);
    assert.match(v.fix, /cancel-key-deletion[\s\S]*enable-key/);
  });

  it('fails a key that no longer exists in the account', () => {
    const v = verdict(keyRecord(failed('kms:DescribeKey', 'not-found', 'NotFoundException')));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /does not exist \(NotFoundException\)/);
  });

  it('is UNKNOWN for a key of another account that cannot be described', () => {
    const foreign = 'arn:aws:kms:us-east-1:999999999999:key/abcd';
    const v = verdict(keyRecord(denied('kms:DescribeKey'), undefined, foreign), 'us-east-1', foreign);
    assert.equal(v.status, 'UNKNOWN');
    assert.deepEqual(v.remediation?.permissions, ['kms:DescribeKey']);
  });

  it('fails an AWS managed key', () => {
    const v = verdict(keyRecord({ KeyManager: 'AWS' }));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /AWS managed key/);
  });

  it('fails when the key policy shuts CloudTrail out; the fix adds CloudTrail and keeps every statement', () => {
    const v = verdict(keyRecord({}, rootOnly));
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /does not let cloudtrail\.amazonaws\.com call kms:GenerateDataKey/);
    const policy = JSON.parse(/--policy '(.*)'$/m.exec(v.fix)?.[1] ?? '{}') as {
      Statement: Array<{ Sid: string }>;
    };
    assert.deepEqual(
      policy.Statement.map((s) => s.Sid),
      ['Root', 'AllowCloudTrailToEncryptLogs', 'AllowCloudTrailToDescribeKey', 'AllowAccountToDecryptLogs'],
    );
  });

  it('fails when the policy allows another trail only', () => {
    const other = cloudTrailKeyPolicy(
      'aws',
      '123456789012',
      'arn:aws:cloudtrail:us-east-1:123456789012:trail/Other',
    );
    assert.equal(verdict(keyRecord({}, other)).status, 'FAIL');
  });

  it('fails when the key and the bucket are in different Regions', () => {
    const v = verdict(keyRecord(), 'eu-west-1');
    assert.equal(v.status, 'FAIL');
    assert.match(v.text, /the key is in us-east-1 but the bucket logs is in eu-west-1/);
  });

  it('is UNKNOWN when the policy has a condition it cannot evaluate, or cannot be read', () => {
    const viaService = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'kms:GenerateDataKey*',
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
        },
      ],
    });
    assert.equal(verdict(keyRecord({}, viaService)).status, 'UNKNOWN');
    assert.equal(verdict(keyRecord({}, denied('kms:GetKeyPolicy'))).status, 'UNKNOWN');
  });

  it('gives no finding for a trail without a key (CloudTrail.2 reports it)', () => {
    const snap = snapshot({ trails: [trail({ Name: 'Main' })], kmsKeys: [] });
    assert.deepEqual(control.evaluate(new SnapshotView(snap)), []);
  });

  it('withCloudTrailStatements adds only what is missing', () => {
    const once = withCloudTrailStatements(rootOnly, 'aws', '123456789012', TRAIL_ARN);
    const twice = withCloudTrailStatements(once, 'aws', '123456789012', TRAIL_ARN);
    assert.equal(twice, once, 'running the fix twice changes nothing');
  });
});
