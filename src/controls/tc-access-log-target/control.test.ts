import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { BucketRecord, Snapshot } from '../../snapshot/schema.js';
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
import { texts } from './texts.js';

const run = (snap: Snapshot) => control.evaluate(new SnapshotView(snap));
const withBucket = (record: BucketRecord) =>
  snapshot({ trails: [trail({ Name: 'Main', S3BucketName: record.Name })], buckets: [record] });

describe('TC.AccessLogTarget access logs go to another bucket', () => {
  it('passes when the access logs go to a separate bucket, naming both, with GetBucketLogging as evidence', () => {
    const [finding, ...rest] = run(withBucket(bucket('trail-logs', loggingOn('trail-logs-access'))));
    assert.equal(rest.length, 0);
    assert.equal(finding?.status, 'PASS');
    assert.equal(
      plain(finding.message),
      'Access logs of bucket trail-logs (the log bucket of trail Main) go to the separate bucket trail-logs-access.',
    );
    assert.deepEqual(finding.evidence.at(-1), {
      source: 's3:GetBucketLogging',
      region: 'us-east-1',
      facts: { LoggingEnabled: { TargetBucket: 'trail-logs-access', TargetPrefix: 'logs/' } },
    });
  });

  it('fails a bucket that logs into itself (Security Hub CloudTrail.7 passes it); the fix creates a separate target', () => {
    const [finding] = run(
      withBucket(bucket('trail-logs', loggingOn('trail-logs', 'eu-west-1'), 'eu-west-1')),
    );
    assert.equal(finding?.status, 'FAIL');
    assert.equal(
      plain(finding.message),
      'Bucket trail-logs (the log bucket of trail Main) writes its access logs into itself, where they can be wiped together with the trail logs.',
    );
    assert.equal(finding.resource.region, 'eu-west-1');
    const cli = finding.remediation!.cli.join('\n');
    assert.match(cli, /create-bucket --region eu-west-1 --bucket trail-logs-access-logs/);
    assert.match(
      cli,
      /put-bucket-logging --region eu-west-1 --bucket trail-logs --bucket-logging-status '\{"LoggingEnabled":\{"TargetBucket":"trail-logs-access-logs","TargetPrefix":"trail-logs\/"\}\}'/,
    );
  });

  it('gives no finding when access logging is off: CloudTrail.7 reports that', () => {
    const findings = run(withBucket(bucket('trail-logs', loggingOff())));
    assert.deepEqual(findings, []);
    assert.equal(
      plain(texts.meaning({ status: 'NOT_APPLICABLE', findings })),
      'No trail bucket has access logging on, so there is no target to check.',
    );
  });

  it('is UNKNOWN, naming s3:GetBucketLogging, when the logging settings cannot be read (e.g. another account’s bucket)', () => {
    const [finding] = run(withBucket({ ...bucket('archive', null), logging: denied('s3:GetBucketLogging') }));
    assert.equal(finding?.status, 'UNKNOWN');
    assert.match(
      plain(finding.message),
      /The access-log target of bucket archive .* could not be read: .*another account/,
    );
    assert.deepEqual(finding.remediation?.permissions, ['s3:GetBucketLogging']);
  });

  it('is UNKNOWN, never PASS, when the snapshot was collected without access-logging evidence', () => {
    const findings = run(
      snapshot({
        trails: [trail({ Name: 'Main', S3BucketName: 'trail-logs' })],
        collected: ['cloudtrail.trails'],
      }),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.status, 'UNKNOWN');
    assert.match(plain(findings[0].message), /the snapshot does not include s3:GetBucketLogging/);
  });

  it('is UNKNOWN when the bucket no longer exists', () => {
    const [finding] = run(
      withBucket({ Name: 'gone', location: failed('s3:GetBucketLocation', 'not-found', 'NoSuchBucket') }),
    );
    assert.equal(finding?.status, 'UNKNOWN');
  });

  it('judges a bucket shared by two trails once, naming both', () => {
    const findings = run(
      snapshot({
        trails: [
          trail({ Name: 'One', S3BucketName: 'shared' }),
          trail({ Name: 'Two', S3BucketName: 'shared', HomeRegion: 'eu-west-1', IsMultiRegionTrail: false }),
        ],
        buckets: [bucket('shared', loggingOn('shared'))],
      }),
    );
    assert.equal(findings.length, 1);
    assert.match(
      plain(findings[0]!.message),
      /\(the log bucket of trail One and Two\) writes its access logs into itself/,
    );
    assert.equal(
      plain(texts.meaning({ status: 'FAIL', findings })),
      'shared writes its access logs into itself.',
    );
  });

  it('two trail buckets logging into each other are each logging to a separate bucket', () => {
    const findings = run(
      snapshot({
        trails: [trail({ Name: 'A', S3BucketName: 'a-logs' }), trail({ Name: 'B', S3BucketName: 'b-logs' })],
        buckets: [bucket('a-logs', loggingOn('b-logs')), bucket('b-logs', loggingOn('a-logs'))],
      }),
    );
    assert.deepEqual(
      findings.map((f) => f.status),
      ['PASS', 'PASS'],
    );
  });

  it('gives no finding for an organization trail another account owns, nor for zero trails', () => {
    const org = trail({ Name: 'OrgTrail', owner: '999999999999', S3BucketName: 'org-archive' });
    assert.deepEqual(run(snapshot({ trails: [org] })), []);
    assert.deepEqual(run(snapshot({ trails: [] })), []);
  });

  it('gives one UNKNOWN finding for a Region whose trails could not be listed', () => {
    const snap = withBucket(bucket('trail-logs', loggingOn('elsewhere')));
    snap.cloudtrail.discovery[1] = {
      region: 'eu-west-1',
      result: denied('cloudtrail:DescribeTrails', 'eu-west-1'),
    };
    assert.deepEqual(
      run(snap).map((f) => [f.status, f.resource.name]),
      [
        ['PASS', 'trail-logs'],
        ['UNKNOWN', 'trails in Region eu-west-1'],
      ],
    );
  });
});
