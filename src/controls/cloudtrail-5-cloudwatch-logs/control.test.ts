import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import type { Snapshot } from '../../snapshot/schema.js';
import { denied, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';
import { texts } from './texts.js';

const run = (snap: Snapshot) => control.evaluate(new SnapshotView(snap));
const GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:audit:*';
const ROLE = 'arn:aws:iam::123456789012:role/CloudTrailToLogs';

/** The JSON document passed to a CLI flag in a command, e.g. --assume-role-policy-document '{...}'. */
function jsonArgument(command: string, flag: string): unknown {
  const match = new RegExp(`--${flag} '([^']*)'`).exec(command);
  assert.ok(match, `${command} has --${flag}`);
  return JSON.parse(match[1]!);
}

describe('CloudTrail.5 CloudWatch Logs integration', () => {
  it('passes a trail that names a log group, naming it, with the DescribeTrails facts as evidence', () => {
    const [finding, ...rest] = run(
      snapshot({
        trails: [trail({ Name: 'Main', CloudWatchLogsLogGroupArn: GROUP, CloudWatchLogsRoleArn: ROLE })],
      }),
    );
    assert.equal(rest.length, 0);
    assert.equal(finding?.status, 'PASS');
    assert.equal(plain(finding.message), `Trail Main sends its events to the log group ${GROUP}.`);
    assert.equal(finding.resource.type, 'AwsCloudTrailTrail');
    assert.equal(finding.resource.id, 'arn:aws:cloudtrail:us-east-1:123456789012:trail/Main');
    assert.deepEqual(finding.evidence, [
      {
        source: 'cloudtrail:DescribeTrails',
        region: 'us-east-1',
        facts: {
          Name: 'Main',
          TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/Main',
          HomeRegion: 'us-east-1',
          CloudWatchLogsLogGroupArn: GROUP,
          CloudWatchLogsRoleArn: ROLE,
        },
      },
    ]);
    assert.equal(finding.remediation, null);
  });

  it('passes on the log group alone, as Security Hub does: the age of the last delivery is not judged here', () => {
    const stale = trail({
      Name: 'Main',
      CloudWatchLogsLogGroupArn: GROUP,
      status: {
        ok: true,
        value: { IsLogging: true, LatestCloudWatchLogsDeliveryTime: '2020-01-01T00:00:00.000Z' },
        source: { operation: 'cloudtrail:GetTrailStatus', region: 'us-east-1' },
      },
    });
    assert.equal(run(snapshot({ trails: [stale] }))[0]?.status, 'PASS');
  });

  it('fails a trail without a log group; the fix creates the group and a role CloudTrail can assume (no aws:SourceArn condition, which this role does not support)', () => {
    const [finding] = run(snapshot({ trails: [trail({ Name: 'Irish', HomeRegion: 'eu-west-1' })] }));
    assert.equal(finding?.status, 'FAIL');
    assert.equal(
      plain(finding.message),
      'Trail Irish is not integrated with CloudWatch Logs (no CloudWatchLogsLogGroupArn), so no metric filter or alarm sees its events.',
    );
    assert.equal(finding.resource.region, 'eu-west-1');
    const [createGroup, createRole, putPolicy, update, ...more] = finding.remediation!.cli;
    assert.equal(more.length, 0);
    assert.equal(
      createGroup,
      'aws logs create-log-group --region eu-west-1 --log-group-name aws-cloudtrail-logs-Irish',
    );
    assert.match(createRole!, /^aws iam create-role --role-name CloudTrailToCloudWatchLogs-Irish /);
    assert.deepEqual(jsonArgument(createRole!, 'assume-role-policy-document'), {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    assert.deepEqual(jsonArgument(putPolicy!, 'policy-document'), {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource:
            'arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs-Irish:log-stream:123456789012_CloudTrail_eu-west-1*',
        },
      ],
    });
    assert.equal(
      update,
      'aws cloudtrail update-trail --region eu-west-1 --name Irish --cloud-watch-logs-log-group-arn ' +
        "'arn:aws:logs:eu-west-1:123456789012:log-group:aws-cloudtrail-logs-Irish:*' " +
        '--cloud-watch-logs-role-arn arn:aws:iam::123456789012:role/CloudTrailToCloudWatchLogs-Irish',
    );
    assert.match(
      plain(finding.remediation!.summary),
      /log group aws-cloudtrail-logs-Irish .*CloudTrailToCloudWatchLogs-Irish.*trail Irish/,
    );
  });

  it('keeps the role name IAM accepts: at most 64 characters of the allowed set', () => {
    const name = `a.b_c-${'x'.repeat(120)}`;
    const [finding] = run(snapshot({ trails: [trail({ Name: name })] }));
    const role = /--role-name (\S+)/.exec(finding!.remediation!.cli[1]!)?.[1] ?? '';
    assert.ok(role.length <= 64, role);
    assert.match(role, /^[\w+=,.@-]+$/);
  });

  it('judges each trail once, however many Regions see it, and one finding per trail', () => {
    const findings = run(
      snapshot({
        trails: [
          trail({ Name: 'Global', seenIn: ['eu-west-1', 'us-east-1'], CloudWatchLogsLogGroupArn: GROUP }),
          trail({ Name: 'Local', IsMultiRegionTrail: false }),
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.resource.name, f.status]),
      [
        ['Global', 'PASS'],
        ['Local', 'FAIL'],
      ],
    );
    assert.equal(
      plain(texts.meaning({ status: 'FAIL', findings })),
      'Local keeps its events in S3 only, so no alarm can react to them as they happen.',
    );
  });

  it('gives no finding for an organization trail another account owns, nor for zero trails', () => {
    const org = trail({ Name: 'OrgTrail', owner: '999999999999', IsOrganizationTrail: true });
    assert.deepEqual(run(snapshot({ trails: [org] })), []);
    assert.deepEqual(run(snapshot({ trails: [] })), []);
    assert.equal(
      plain(texts.meaning({ status: 'NOT_APPLICABLE', findings: [] })),
      'There is no trail in this account to check.',
    );
  });

  it('gives one UNKNOWN finding for a Region whose trails could not be listed', () => {
    const findings = run(
      snapshot({
        trails: [trail({ Name: 'Main', CloudWatchLogsLogGroupArn: GROUP })],
        failedDiscovery: { 'eu-west-1': denied('cloudtrail:DescribeTrails', 'eu-west-1') },
      }),
    );
    assert.deepEqual(
      findings.map((f) => f.status),
      ['PASS', 'UNKNOWN'],
    );
    const unknown = findings[1]!;
    assert.equal(unknown.resource.type, 'AwsAccount');
    assert.equal(unknown.resource.name, 'trails in Region eu-west-1');
    assert.match(
      plain(unknown.message),
      /Trails could not be listed in Region eu-west-1 .*CloudWatch Logs integration/,
    );
    assert.deepEqual(unknown.remediation?.permissions, ['cloudtrail:DescribeTrails']);
    assert.equal(unknown.evidence[0]?.error?.code, 'AccessDenied');
  });
});
