/**
 * A member whose only trail is the organization trail: its log group, filters and alarms live in the
 * management account. With --org the member's monitoring checks are judged on the management account's
 * chain (the evidence says so); without, they stay UNKNOWN and say to run --org. moto does not show an
 * organization trail to members (aws-emulator.md), so these are assembled snapshots.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS } from '../controls/index.js';
import type { Finding } from '../core/finding.js';
import { plain } from '../core/rich.js';
import type { Snapshot } from '../snapshot/schema.js';
import { ACCOUNT_ID, denied, ok, snapshot, trail } from '../../test/support/snapshot-builder.js';
import { LOG_GROUP, LOG_GROUP_ARN, chainSnapshot } from '../../test/support/monitoring-fixtures.js';
import { assess } from './assess.js';
import { organizationContext, withOrganizationTrails } from './organization.js';

const MANAGEMENT = ACCOUNT_ID;
const MEMBER = '111122223333';
const ORGANIZATION = { Id: 'o-abc123defg', MasterAccountId: MANAGEMENT };
const ROOT =
  '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
const MONITORING = CONTROLS.filter((c) => c.id === 'CloudWatch.1' || c.id === 'CloudWatch.7');
const ORG_TRAIL = { Name: 'OrgTrail', IsOrganizationTrail: true, CloudWatchLogsLogGroupArn: LOG_GROUP_ARN };

/** The management account: the organization trail and its whole chain (a root-use filter only). */
function management(chain: Parameters<typeof chainSnapshot>[0] = { pattern: ROOT }): Snapshot {
  return chainSnapshot({ ...chain, trail: { ...ORG_TRAIL, ...chain.trail } });
}

/** The member: it sees the organization trail (owned by the management account) and has no chain of its own. */
function member(): Snapshot {
  const built = snapshot({
    trails: [trail({ ...ORG_TRAIL, owner: MANAGEMENT })],
    monitoring: {
      logGroups: [],
      // Its own (empty) listing in the same Region must not hide the management account's alarms.
      alarms: [{ region: 'us-east-1', result: ok({ MetricAlarms: [] }, 'cloudwatch:DescribeAlarms') }],
      topics: [],
    },
  });
  return {
    ...built,
    account: { Account: MEMBER, Arn: `arn:aws:iam::${MEMBER}:user/auditor`, Partition: 'aws' },
  };
}

function judged(snap: Snapshot, id: string): Finding {
  const finding = assess(snap, MONITORING).findings.find((f) => f.control === id);
  assert.ok(finding, id);
  return finding;
}

describe('an organization trail’s log group counts for the members with --org', () => {
  it('without --org, a member covered only by the organization trail is UNKNOWN and is told to run --org', () => {
    const finding = judged(member(), 'CloudWatch.1');
    assert.equal(finding.status, 'UNKNOWN');
    assert.match(
      plain(finding.message),
      new RegExp(
        `trail OrgTrail is an organization trail of account ${MANAGEMENT} and delivers to log group ${LOG_GROUP} there.*run trailcheck scan --org from the management account`,
      ),
    );
  });

  const cases: Array<{
    name: string;
    management: Snapshot | { unreadable: string };
    control: string;
    status: Finding['status'];
    message: RegExp;
  }> = [
    {
      name: 'the management account’s chain passes: the member passes, naming the management account and its log group',
      management: management(),
      control: 'CloudWatch.1',
      status: 'PASS',
      message: new RegExp(
        `^Trail OrgTrail delivers to log group ${LOG_GROUP} of the management account ${MANAGEMENT} \\(the organization trail's, judged from that account's evidence with --org\\), whose metric filter watch catches every event CIS v1\\.2\\.0 lists`,
      ),
    },
    {
      name: 'the management account has no filter for the check: the member fails, naming where to add it',
      management: management(),
      control: 'CloudWatch.7',
      status: 'FAIL',
      message: new RegExp(
        `log group ${LOG_GROUP} of the management account ${MANAGEMENT} .*\\(trail OrgTrail\\) has no metric filter`,
      ),
    },
    {
      name: 'no alarm on the management account’s metric: the member fails',
      management: management({ pattern: ROOT, alarm: null }),
      control: 'CloudWatch.1',
      status: 'FAIL',
      message: /no alarm watches the metric/,
    },
    {
      name: 'the management account’s filters could not be read: UNKNOWN, never PASS',
      management: management({ pattern: ROOT, metricFilters: denied('logs:DescribeMetricFilters') }),
      control: 'CloudWatch.1',
      status: 'UNKNOWN',
      message: /logs:DescribeMetricFilters/,
    },
    {
      name: 'the management account could not be read: UNKNOWN, with the --org hint',
      management: { unreadable: 'AccessDenied on sts:AssumeRole' },
      control: 'CloudWatch.1',
      status: 'UNKNOWN',
      message: /run trailcheck scan --org from the management account/,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const context = organizationContext(ORGANIZATION, c.management);
      const finding = judged(withOrganizationTrails(member(), context), c.control);
      assert.equal(finding.status, c.status, plain(finding.message));
      assert.match(plain(finding.message), c.message);
      if (c.status === 'FAIL') {
        const remediation = finding.remediation;
        assert.match(
          plain(remediation?.summary ?? []),
          new RegExp(
            `^Use the credentials of the management account ${MANAGEMENT}, .* give log group ${LOG_GROUP} \\(us-east-1\\)`,
          ),
        );
        assert.ok(remediation?.cli.some((l) => l.includes(`:${MANAGEMENT}:trailcheck-cis-alarms`)));
      }
      if (c.status === 'PASS') {
        const filters = finding.evidence.find((e) => e.source === 'logs:DescribeMetricFilters');
        assert.equal(filters?.facts?.['account'], MANAGEMENT);
        assert.equal(filters?.facts?.['logGroupArn'], LOG_GROUP_ARN);
      }
    });

  it('the management account itself is judged on its own chain, as without --org', () => {
    const own = management();
    const context = organizationContext(ORGANIZATION, own);
    const finding = judged(withOrganizationTrails(own, context), 'CloudWatch.1');
    assert.equal(finding.status, 'PASS');
    assert.doesNotMatch(plain(finding.message), /management account/);
  });

  it('a member whose monitoring was not collected gains no chain: UNKNOWN, never PASS', () => {
    const { monitoring: _none, ...bare } = member();
    void _none;
    const context = organizationContext(ORGANIZATION, management());
    const finding = judged(withOrganizationTrails(bare, context), 'CloudWatch.1');
    assert.equal(finding.status, 'UNKNOWN');
  });
});
