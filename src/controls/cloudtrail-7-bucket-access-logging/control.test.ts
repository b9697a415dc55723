import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { BucketRecord } from '../../snapshot/schema.js';
import {
  bucket,
  denied,
  failed,
  loggingOff,
  loggingOn,
  snapshot,
  trail,
} from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';

const run = (snap: ReturnType<typeof snapshot>) => control.evaluate(new SnapshotView(snap));
const withBucket = (record: BucketRecord, trailBucket = record.Name) =>
  snapshot({ trails: [trail({ Name: 'Main', S3BucketName: trailBucket })], buckets: [record] });

describe('CloudTrail.7 access logging on the trail bucket', () => {
  it('passes when the bucket logs to another bucket, naming both', () => {
    const [finding] = run(withBucket(bucket('logs', loggingOn('audit-access'))));
    assert.equal(finding?.status, 'PASS');
    assert.match(plain(finding.message), /logs .* writes server access logs to bucket audit-access/);
    assert.equal(finding?.resource.id, 'arn:aws:s3:::logs');
  });

  it('passes a bucket that logs into itself, as Security Hub does, but says so', () => {
    const [finding] = run(withBucket(bucket('logs', loggingOn('logs'))));
    assert.equal(finding?.status, 'PASS');
    assert.match(plain(finding.message), /into itself/);
  });

  it('fails when logging is off; the fix names a separate target bucket in the bucket Region', () => {
    const [finding] = run(withBucket(bucket('mooncloud-cftrail', loggingOff('eu-west-1'), 'eu-west-1')));
    assert.equal(finding?.status, 'FAIL');
    assert.equal(finding?.resource.region, 'eu-west-1');
    assert.match(plain(finding.remediation!.summary), /mooncloud-cftrail-access-logs/);
    const cli = finding.remediation!.cli.join('\n');
    assert.match(
      cli,
      /create-bucket --region eu-west-1 --bucket mooncloud-cftrail-access-logs --create-bucket-configuration LocationConstraint=eu-west-1/,
    );
    assert.match(cli, /put-bucket-logging --region eu-west-1 --bucket mooncloud-cftrail /);
    assert.match(cli, /logging\.s3\.amazonaws\.com/);
  });

  it('is UNKNOWN when GetBucketLogging is denied (a central log archive), naming the permission', () => {
    const record: BucketRecord = { ...bucket('archive', null), logging: denied('s3:GetBucketLogging') };
    const [finding] = run(withBucket(record));
    assert.equal(finding?.status, 'UNKNOWN');
    assert.deepEqual(finding?.remediation?.permissions, ['s3:GetBucketLogging']);
    assert.match(plain(finding.message), /another account/);
  });

  it('is UNKNOWN, not PASS, when logging reads as on but the bucket’s Region could not be read', () => {
    const record: BucketRecord = {
      Name: 'logs',
      location: failed('s3:GetBucketLocation', 'throttled', 'SlowDown'),
      logging: loggingOn('audit-access'),
    };
    const [finding] = run(withBucket(record));
    assert.equal(finding?.status, 'UNKNOWN');
    // A throttle is not a denial: no permission to grant, another run settles it.
    assert.equal(finding?.remediation?.permissions, undefined);
    assert.deepEqual(finding?.remediation?.causes, ['no-answer']);
    assert.match(plain(finding?.remediation?.summary ?? []), /^AWS did not answer .*; run trailcheck again/);
    assert.ok(
      finding?.evidence.some((e) => e.source === 's3:GetBucketLocation' && e.error?.code === 'SlowDown'),
    );
  });

  it('still FAILs when logging reads as off, whatever the Region', () => {
    const record: BucketRecord = {
      Name: 'logs',
      location: denied('s3:GetBucketLocation'),
      logging: loggingOff(),
    };
    assert.equal(run(withBucket(record))[0]?.status, 'FAIL');
  });

  it('is UNKNOWN when LoggingEnabled names no target bucket (a malformed answer)', () => {
    const record: BucketRecord = {
      ...bucket('logs', null),
      logging: {
        ok: true,
        value: { LoggingEnabled: {} },
        source: { operation: 's3:GetBucketLogging', region: 'us-east-1' },
      },
    };
    const [finding] = run(withBucket(record));
    assert.equal(finding?.status, 'UNKNOWN');
    assert.match(plain(finding.message), /no target bucket/);
  });

  it('is UNKNOWN when the bucket no longer exists', () => {
    const record: BucketRecord = {
      Name: 'gone',
      location: failed('s3:GetBucketLocation', 'not-found', 'NoSuchBucket'),
    };
    const [finding] = run(withBucket(record));
    assert.equal(finding?.status, 'UNKNOWN');
    assert.match(plain(finding.message), /does not exist \(NoSuchBucket\)/);
  });

  it('is UNKNOWN when the snapshot has no bucket evidence', () => {
    const snap = snapshot({
      trails: [trail({ Name: 'Main', S3BucketName: 'logs' })],
      collected: ['cloudtrail.trails'],
    });
    const [finding] = run(snap);
    assert.equal(finding?.status, 'UNKNOWN');
  });

  it('gives one finding per bucket, naming every trail that uses it', () => {
    const snap = snapshot({
      trails: [
        trail({ Name: 'one', S3BucketName: 'shared' }),
        trail({ Name: 'two', S3BucketName: 'shared' }),
      ],
      buckets: [bucket('shared', loggingOff())],
    });
    const findings = run(snap);
    assert.equal(findings.length, 1);
    assert.match(plain(findings[0]!.message), /trail one and two/);
  });

  it('skips the bucket of a trail owned by another account', () => {
    const snap = snapshot({
      trails: [trail({ Name: 'org', owner: '999999999999', S3BucketName: 'org-logs' })],
    });
    assert.deepEqual(run(snap), []);
  });
});
