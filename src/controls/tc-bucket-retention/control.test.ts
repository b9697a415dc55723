import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import type { AssessOptions } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type {
  BucketRecord,
  BucketVersioning,
  LifecycleRule,
  ObjectLock,
  Observation,
  Snapshot,
  TrailRecord,
} from '../../snapshot/schema.js';
import { bucketWith, denied, failed, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { texts } from './texts.js';

const BUCKET = 'trail-logs';

interface Setting {
  versioning?: Observation<BucketVersioning>;
  lock?: Observation<ObjectLock>;
  rules?: LifecycleRule[];
  lifecycle?: BucketRecord['lifecycle'];
  trails?: TrailRecord[];
}

const versioning = (value: BucketVersioning) => ok(value, 's3:GetBucketVersioning');
const ON = versioning({ Status: 'Enabled' });
const NO_LOCK = ok<ObjectLock>({}, 's3:GetObjectLockConfiguration');
const lock = (retention?: { Mode: string; Days?: number; Years?: number }) =>
  ok<ObjectLock>(
    { ObjectLockEnabled: 'Enabled', ...(retention ? { Rule: { DefaultRetention: retention } } : {}) },
    's3:GetObjectLockConfiguration',
  );

function bucketSnapshot(setting: Setting = {}): Snapshot {
  return snapshot({
    trails: setting.trails ?? [trail({ Name: 'Main', S3BucketName: BUCKET })],
    buckets: [
      bucketWith(BUCKET, {
        versioning: setting.versioning ?? ON,
        objectLock: setting.lock ?? NO_LOCK,
        lifecycle:
          setting.lifecycle ?? ok({ Rules: setting.rules ?? [] }, 's3:GetBucketLifecycleConfiguration'),
      }),
    ],
  });
}

function verdict(snap: Snapshot, options: AssessOptions = {}) {
  const findings = control.evaluate(new SnapshotView(snap, options));
  assert.equal(findings.length, 1, 'one finding per trail bucket');
  const finding = findings[0]!;
  assert.equal(finding.resource.id, `arn:aws:s3:::${BUCKET}`);
  return { ...finding, text: plain(finding.message), fix: finding.remediation?.cli ?? [] };
}

const expire = (
  days: number,
  filter: LifecycleRule['Filter'] = { Prefix: 'AWSLogs/' },
  id = 'expire',
): LifecycleRule => ({
  ID: id,
  Status: 'Enabled',
  Filter: filter,
  Expiration: { Days: days },
});
const purge = (days: number, id = 'purge'): LifecycleRule => ({
  ID: id,
  Status: 'Enabled',
  Filter: { Prefix: 'AWSLogs/' },
  NoncurrentVersionExpiration: { NoncurrentDays: days },
});

describe('TC.BucketRetention the log bucket keeps the logs', () => {
  describe('PASS', () => {
    it('versioning on and no lifecycle rule, with the three S3 answers as evidence', () => {
      const v = verdict(bucketSnapshot());
      assert.equal(v.status, 'PASS');
      assert.equal(
        v.text,
        'Log files in bucket trail-logs (the log bucket of trail Main) are protected: versioning is on, and no lifecycle rule deletes them before 365 days.',
      );
      assert.deepEqual(
        v.evidence.slice(2).map((e) => [e.source, e.facts]),
        [
          ['s3:GetBucketVersioning', { Status: 'Enabled' }],
          ['s3:GetObjectLockConfiguration', {}],
          ['s3:GetBucketLifecycleConfiguration', { Rules: [] }],
        ],
      );
      assert.equal(v.remediation, null);
    });

    it('MFA delete is named when S3 shows it (hand-built: moto never returns MFADelete)', () => {
      const v = verdict(
        bucketSnapshot({ versioning: versioning({ Status: 'Enabled', MFADelete: 'Enabled' }) }),
      );
      assert.equal(v.status, 'PASS');
      assert.match(v.text, /versioning is on with MFA delete, and no lifecycle rule/);
    });

    it('Object Lock with a default retention, in days or years', () => {
      const days = verdict(bucketSnapshot({ lock: lock({ Mode: 'COMPLIANCE', Days: 400 }) }));
      assert.equal(days.status, 'PASS');
      assert.match(days.text, /Object Lock keeps each log file 400 days \(COMPLIANCE mode\)/);
      const years = verdict(bucketSnapshot({ lock: lock({ Mode: 'GOVERNANCE', Days: 0, Years: 2 }) }));
      assert.match(years.text, /Object Lock keeps each log file 730 days \(GOVERNANCE mode\)/);
    });

    it('lifecycle rules that keep logs long enough or do not reach them', () => {
      for (const rule of [
        expire(365),
        expire(1, { Prefix: 'tmp/' }),
        expire(1, { Tag: { Key: 'scratch', Value: 'yes' } }),
        expire(1, { And: { Prefix: 'AWSLogs/', Tags: [{ Key: 'scratch', Value: 'yes' }] } }),
        { ...expire(1), Status: 'Disabled' },
        {
          ID: 'markers',
          Status: 'Enabled',
          Filter: { Prefix: '' },
          Expiration: { ExpiredObjectDeleteMarker: true },
        },
        purge(400),
      ]) {
        assert.equal(verdict(bucketSnapshot({ rules: [rule] })).status, 'PASS', JSON.stringify(rule));
      }
    });

    it('the retention period is an option (--retention-days)', () => {
      const v = verdict(bucketSnapshot({ rules: [expire(100)] }), { minimumRetentionDays: 90 });
      assert.equal(v.status, 'PASS');
      assert.match(v.text, /before 90 days/);
    });

    it('Object Lock retention at least the period holds deleted versions, whatever the noncurrent expiration', () => {
      assert.equal(
        verdict(bucketSnapshot({ lock: lock({ Mode: 'COMPLIANCE', Days: 400 }), rules: [purge(30)] })).status,
        'PASS',
      );
    });
  });

  describe('FAIL', () => {
    it('neither versioning nor Object Lock; the fix turns versioning on', () => {
      const v = verdict(bucketSnapshot({ versioning: versioning({}) }));
      assert.equal(v.status, 'FAIL');
      assert.equal(
        v.text,
        'Log files in bucket trail-logs (the log bucket of trail Main) are not kept safely: neither versioning nor Object Lock is on, so a deleted or overwritten log file is gone for good.',
      );
      assert.deepEqual(v.fix, [
        'aws s3api put-bucket-versioning --region us-east-1 --bucket trail-logs --versioning-configuration Status=Enabled --expected-bucket-owner 123456789012',
      ]);
      assert.equal(plain(v.remediation!.summary), 'Enable versioning on trail-logs.');
    });

    it('versioning suspended', () => {
      const v = verdict(bucketSnapshot({ versioning: versioning({ Status: 'Suspended' }) }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /versioning is suspended and Object Lock is off/);
    });

    it('a rule deleting log files too early; the fix edits the lifecycle rules rather than rewriting them blind', () => {
      const v = verdict(bucketSnapshot({ rules: [expire(90, { Prefix: 'AWSLogs/' }, 'ninety-days')] }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /lifecycle rule 'ninety-days' deletes log files after 90 days/);
      assert.deepEqual(v.fix, [
        'aws s3api get-bucket-lifecycle-configuration --bucket trail-logs > lifecycle.json',
        '# edit lifecycle.json: no Expiration or NoncurrentVersionExpiration under AWSLogs/ shorter than 365 days',
        'aws s3api put-bucket-lifecycle-configuration --bucket trail-logs --lifecycle-configuration file://lifecycle.json',
      ]);
    });

    it('rules that reach the logs: whole bucket, legacy prefix, a narrower prefix, a size filter, no ID', () => {
      for (const rule of [
        expire(30, {}),
        expire(30, { Prefix: '' }),
        { ID: 'legacy', Status: 'Enabled', Prefix: 'AWSLogs/', Expiration: { Days: 30 } },
        expire(30, { Prefix: 'AWSLogs/123456789012/CloudTrail/' }),
        expire(30, { Prefix: 'AWS' }),
        expire(30, { And: { Prefix: 'AWSLogs/', ObjectSizeGreaterThan: 1024 } }),
        expire(30, { ObjectSizeLessThan: 1_000_000 }),
      ]) {
        assert.equal(verdict(bucketSnapshot({ rules: [rule] })).status, 'FAIL', JSON.stringify(rule));
      }
      const unnamed = verdict(
        bucketSnapshot({ rules: [expire(1, { Prefix: 'tmp/' }), { ...expire(30), ID: undefined }] }),
      );
      assert.match(unnamed.text, /lifecycle rule number 2 deletes log files after 30 days/);
    });

    it('the trail’s key prefix decides which rules reach its logs', () => {
      const trails = [trail({ Name: 'Main', S3BucketName: BUCKET, S3KeyPrefix: 'audit' })];
      assert.equal(
        verdict(bucketSnapshot({ trails, rules: [expire(30, { Prefix: 'audit/' })] })).status,
        'FAIL',
      );
      assert.equal(
        verdict(bucketSnapshot({ trails, rules: [expire(30, { Prefix: 'AWSLogs/' })] })).status,
        'PASS',
      );
    });

    it('an expiration date deletes every log file on that date', () => {
      const rule: LifecycleRule = {
        ID: 'sunset',
        Status: 'Enabled',
        Filter: { Prefix: '' },
        Expiration: { Date: '2027-01-01T00:00:00.000Z' },
      };
      const v = verdict(bucketSnapshot({ rules: [rule] }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /lifecycle rule 'sunset' deletes log files on 2027-01-01/);
    });

    it('noncurrent versions purged before the period undo versioning', () => {
      const v = verdict(bucketSnapshot({ rules: [purge(30)] }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /lifecycle rule 'purge' purges deleted or overwritten versions after 30 days/);
    });

    it('Object Lock without a default retention locks nothing CloudTrail writes: a noncurrent purge still fails', () => {
      const v = verdict(bucketSnapshot({ lock: lock(), rules: [purge(30)] }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /purges deleted or overwritten versions after 30 days/);
    });

    it('Object Lock retention shorter than the period does not stop an early noncurrent purge', () => {
      const v = verdict(bucketSnapshot({ lock: lock({ Mode: 'GOVERNANCE', Days: 30 }), rules: [purge(60)] }));
      assert.equal(v.status, 'FAIL');
    });

    it('a longer retention period (--retention-days 730) fails a 400-day rule', () => {
      const v = verdict(bucketSnapshot({ rules: [expire(400)] }), { minimumRetentionDays: 730 });
      assert.equal(v.status, 'FAIL');
      assert.match(v.fix.join('\n'), /shorter than 730 days/);
    });

    it('no versioning and an early expiration: both named, both fixed', () => {
      const v = verdict(bucketSnapshot({ versioning: versioning({}), rules: [expire(7)] }));
      assert.equal(v.status, 'FAIL');
      assert.match(
        v.text,
        /neither versioning nor Object Lock is on.*; lifecycle rule 'expire' deletes log files after 7 days/,
      );
      assert.equal(v.fix.length, 4);
      assert.equal(
        plain(v.remediation!.summary),
        'Enable versioning on trail-logs and keep log files at least 365 days in its lifecycle rules.',
      );
    });

    it('versioning known off fails even when the lifecycle rules cannot be read', () => {
      const v = verdict(
        bucketSnapshot({
          versioning: versioning({}),
          lifecycle: denied('s3:GetBucketLifecycleConfiguration'),
        }),
      );
      assert.equal(v.status, 'FAIL');
    });
  });

  describe('UNKNOWN', () => {
    it('neither versioning nor Object Lock can be read: names both permissions', () => {
      const v = verdict(
        bucketSnapshot({
          versioning: denied('s3:GetBucketVersioning'),
          lock: denied('s3:GetObjectLockConfiguration'),
        }),
      );
      assert.equal(v.status, 'UNKNOWN');
      assert.deepEqual(v.remediation?.permissions, [
        's3:GetBucketObjectLockConfiguration',
        's3:GetBucketVersioning',
      ]);
    });

    it('versioning unreadable and Object Lock off', () => {
      assert.equal(
        verdict(bucketSnapshot({ versioning: denied('s3:GetBucketVersioning') })).status,
        'UNKNOWN',
      );
    });

    it('versioning on but the lifecycle rules cannot be read', () => {
      const v = verdict(bucketSnapshot({ lifecycle: denied('s3:GetBucketLifecycleConfiguration') }));
      assert.equal(v.status, 'UNKNOWN');
      assert.match(v.text, /Log retention in bucket trail-logs .* could not be assessed/);
      assert.deepEqual(v.remediation?.permissions, ['s3:GetLifecycleConfiguration']);
    });

    it('the snapshot holds no bucket evidence (collected for other controls)', () => {
      const v = verdict(
        snapshot({
          trails: [trail({ Name: 'Main', S3BucketName: BUCKET })],
          collected: ['cloudtrail.trails'],
        }),
      );
      assert.equal(v.status, 'UNKNOWN');
      assert.match(v.text, /the snapshot does not include/);
    });

    it('the bucket no longer exists', () => {
      const v = verdict(
        snapshot({
          trails: [trail({ Name: 'Main', S3BucketName: BUCKET })],
          buckets: [{ Name: BUCKET, location: failed('s3:GetBucketLocation', 'not-found', 'NoSuchBucket') }],
        }),
      );
      assert.equal(v.status, 'UNKNOWN');
    });
  });

  describe('which buckets', () => {
    it('a bucket shared by two trails with different prefixes: a rule reaching either fails it', () => {
      const trails = [
        trail({ Name: 'Main', S3BucketName: BUCKET }),
        trail({
          Name: 'Irish',
          S3BucketName: BUCKET,
          S3KeyPrefix: 'eu',
          HomeRegion: 'eu-west-1',
          IsMultiRegionTrail: false,
        }),
      ];
      const v = verdict(bucketSnapshot({ trails, rules: [expire(30, { Prefix: 'eu/AWSLogs/' })] }));
      assert.equal(v.status, 'FAIL');
      assert.match(v.text, /\(the log bucket of trail Main and Irish\)/);
    });

    it('no finding for an organization trail owned by another account, nor for zero trails', () => {
      const org = trail({
        Name: 'OrgTrail',
        owner: '999999999999',
        IsOrganizationTrail: true,
        S3BucketName: 'org-archive',
      });
      assert.deepEqual(control.evaluate(new SnapshotView(snapshot({ trails: [org] }))), []);
      const none = control.evaluate(new SnapshotView(snapshot({ trails: [] })));
      assert.deepEqual(none, []);
      assert.equal(
        plain(texts.meaning({ status: 'NOT_APPLICABLE', findings: none })),
        'There is no trail bucket in this account to check.',
      );
    });

    it('a Region whose trails could not be listed gives one UNKNOWN finding', () => {
      const snap = bucketSnapshot();
      snap.cloudtrail.discovery[1] = {
        region: 'eu-west-1',
        result: denied('cloudtrail:DescribeTrails', 'eu-west-1'),
      };
      assert.deepEqual(
        control.evaluate(new SnapshotView(snap)).map((f) => [f.status, f.resource.name]),
        [
          ['PASS', BUCKET],
          ['UNKNOWN', 'trails in Region eu-west-1'],
        ],
      );
    });
  });
});
