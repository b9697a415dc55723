/** The chain every CIS Monitoring check shares, link by link: what passes, fails and is UNKNOWN. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plain } from '../core/rich.js';
import { CIS_MONITORING_PATTERNS } from '../evaluate/cis-patterns.js';
import { SnapshotView } from '../evaluate/view.js';
import type { Finding } from '../core/finding.js';
import type { EventSelectors, Observation, Snapshot } from '../snapshot/schema.js';
import { ACCOUNT_ID, ALL_KINDS, denied, ok, snapshot, trail } from '../../test/support/snapshot-builder.js';
import {
  CONFIRMED,
  LOG_GROUP_ARN,
  METRIC,
  NAMESPACE,
  TOPIC_ARN,
  chainSnapshot,
  confirmed,
} from '../../test/support/monitoring-fixtures.js';
import type { ChainInput } from '../../test/support/monitoring-fixtures.js';
import { control as rootUse } from './cloudwatch-1-root-use/control.js';
import { findFramework } from './frameworks.js';
import { CONTROLS } from './index.js';
import { scanActions } from './scan-policy.js';

const ROOT =
  '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';

function judge(input: Partial<ChainInput>, control = rootUse, framework?: string): Finding {
  const options = framework ? { framework: findFramework(framework) } : {};
  const [finding, ...rest] = control.evaluate(
    new SnapshotView(chainSnapshot({ pattern: ROOT, ...input }), options),
  );
  assert.equal(rest.length, 0);
  assert.ok(finding);
  return finding;
}
const judgeSnapshot = (snap: Snapshot): Finding => rootUse.evaluate(new SnapshotView(snap))[0] as Finding;
const message = (f: Finding) => plain(f.message);

describe('the CIS Monitoring chain', () => {
  it('passes a whole chain: one account-level finding, low severity as in Security Hub', () => {
    const finding = judge({});
    assert.equal(finding.status, 'PASS');
    assert.equal(finding.severity, 'low');
    assert.equal(finding.resource.type, 'AwsAccount');
    assert.equal(finding.resource.id, ACCOUNT_ID);
    assert.equal(finding.remediation, null);
  });

  describe('the subscription', () => {
    it('fails when the topic’s only subscription is pending confirmation', () => {
      const finding = judge({ subscriptions: confirmed('PendingConfirmation') });
      assert.equal(finding.status, 'FAIL');
      assert.match(
        message(finding),
        new RegExp(
          `alarm watch-alarm notifies SNS topic ${TOPIC_ARN}, whose one subscription is not confirmed`,
        ),
      );
    });

    it('fails when the topic has no subscription at all', () => {
      const finding = judge({ subscriptions: ok({ Subscriptions: [] }, 'sns:ListSubscriptionsByTopic') });
      assert.equal(finding.status, 'FAIL');
      assert.match(message(finding), /which has no subscription/);
    });

    it('passes when one of several subscriptions is confirmed', () => {
      assert.equal(judge({ subscriptions: confirmed('PendingConfirmation', CONFIRMED) }).status, 'PASS');
    });

    it('is UNKNOWN, naming the permission, when the topic may not be read – never PASS', () => {
      const finding = judge({ subscriptions: denied('sns:ListSubscriptionsByTopic') });
      assert.equal(finding.status, 'UNKNOWN');
      assert.deepEqual(finding.remediation?.permissions, ['sns:ListSubscriptionsByTopic']);
      assert.equal(finding.evidence[0]?.error?.code, 'AccessDenied');
    });

    it('is UNKNOWN for another account’s topic it may not read, saying whose topic it is', () => {
      const foreign = 'arn:aws:sns:us-east-1:210987654321:central-alerts';
      const finding = judge({
        alarm: { AlarmActions: [foreign] },
        subscriptions: denied('sns:ListSubscriptionsByTopic'),
      });
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(message(finding), /the topic belongs to account 210987654321/);
    });
  });

  describe('the alarm', () => {
    it('fails when no alarm watches the filter’s metric, naming the metric', () => {
      const finding = judge({ alarm: null });
      assert.equal(finding.status, 'FAIL');
      assert.match(
        message(finding),
        new RegExp(`no alarm watches the metric ${NAMESPACE}/${METRIC} of filter watch`),
      );
    });

    it('fails on an alarm on the same metric name in another namespace', () => {
      assert.equal(judge({ alarm: { Namespace: 'Other' } }).status, 'FAIL');
    });

    it('matches dimensions by name: the filter’s dimensions must be the alarm’s', () => {
      const dimensions = { Account: '$.recipientAccountId' };
      assert.equal(
        judge({ dimensions, alarm: { Dimensions: [{ Name: 'Account', Value: ACCOUNT_ID }] } }).status,
        'PASS',
      );
      const without = judge({ dimensions });
      assert.equal(without.status, 'FAIL');
      assert.match(message(without), /with its dimensions Account/);
      assert.equal(judge({ alarm: { Dimensions: [{ Name: 'Account', Value: ACCOUNT_ID }] } }).status, 'FAIL');
    });

    it('fails when the alarm’s actions are disabled, or it notifies no SNS topic', () => {
      assert.match(message(judge({ alarm: { ActionsEnabled: false } })), /has its actions disabled/);
      const noTopic = judge({ alarm: { AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] } });
      assert.equal(noTopic.status, 'FAIL');
      assert.match(message(noTopic), /alarm watch-alarm notifies no SNS topic/);
    });

    it('is UNKNOWN when the alarms could not be listed', () => {
      const finding = judge({ alarms: denied('cloudwatch:DescribeAlarms') });
      assert.equal(finding.status, 'UNKNOWN');
      assert.deepEqual(finding.remediation?.permissions, ['cloudwatch:DescribeAlarms']);
      // The failed call is the evidence of the UNKNOWN (the fault matrix found it missing).
      assert.deepEqual(
        finding.evidence.filter((e) => e.error).map((e) => e.source),
        ['cloudwatch:DescribeAlarms'],
      );
    });
  });

  describe('the metric filter', () => {
    it('fails an unparseable pattern with the parser’s reason', () => {
      const finding = judge({ pattern: '{ $.userIdentity.type = "Root" && }' });
      assert.equal(finding.status, 'FAIL');
      assert.match(message(finding), /filter watch cannot be read: expected .* at column \d+/);
    });

    it('does not name filters about something else', () => {
      const finding = judge({ pattern: '{ ($.eventName = CreateTrail) || ($.eventName = StopLogging) }' });
      assert.equal(finding.status, 'FAIL');
      assert.match(
        message(finding),
        /log group cloudtrail-audit \(trail Main\) has no metric filter for use of the root user\.$/,
      );
    });

    it('is UNKNOWN when the filters could not be listed', () => {
      const finding = judge({ metricFilters: denied('logs:DescribeMetricFilters') });
      assert.equal(finding.status, 'UNKNOWN');
      assert.deepEqual(finding.remediation?.permissions, ['logs:DescribeMetricFilters']);
    });

    it('is UNKNOWN, never PASS, for a snapshot collected without the chain', () => {
      const kinds = ALL_KINDS.filter(
        (k) => !['logs.metricFilters', 'cloudwatch.alarms', 'sns.subscriptions'].includes(k),
      );
      const bare = snapshot({
        trails: [trail({ Name: 'Main', CloudWatchLogsLogGroupArn: LOG_GROUP_ARN })],
        collected: kinds,
      });
      const finding = judgeSnapshot(bare);
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(message(finding), /the snapshot does not include logs:DescribeMetricFilters/);
    });
  });

  describe('the trail', () => {
    it('fails when the trail sends nothing to CloudWatch Logs, or is not logging', () => {
      const noGroup = judge({ trail: { CloudWatchLogsLogGroupArn: undefined } });
      assert.equal(noGroup.status, 'FAIL');
      assert.match(message(noGroup), /trail Main sends no events to CloudWatch Logs/);
      assert.match(plain(noGroup.remediation!.summary), /CloudTrail\.1 and CloudTrail\.5/);
      const stopped = judge({
        trail: { status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus') },
      });
      assert.equal(stopped.status, 'FAIL');
      assert.match(message(stopped), /trail Main is not logging/);
    });

    it('fails when no trail is multi-Region, or there is no trail', () => {
      assert.match(message(judge({ trail: { IsMultiRegionTrail: false } })), /is multi-Region/);
      assert.match(message(judgeSnapshot(snapshot({ trails: [] }))), /the account has no CloudTrail trail/);
    });

    describe('a trail that leaves out an event source fails only the checks whose pattern needs its events', () => {
      const KMS = 'kms.amazonaws.com';
      const RDS_DATA = 'rdsdata.amazonaws.com';
      const basic = (excluded: string[]): Observation<EventSelectors> =>
        ok(
          {
            EventSelectors: [
              {
                ReadWriteType: 'All' as const,
                IncludeManagementEvents: true,
                ExcludeManagementEventSources: excluded,
              },
            ],
          },
          'cloudtrail:GetEventSelectors',
        );
      const advanced = (excluded: string[]): Observation<EventSelectors> =>
        ok(
          {
            AdvancedEventSelectors: [
              {
                Name: 'management without noisy sources',
                FieldSelectors: [
                  { Field: 'eventCategory', Equals: ['Management'] },
                  { Field: 'eventSource', NotEquals: excluded },
                ],
              },
            ],
          },
          'cloudtrail:GetEventSelectors',
        );
      const monitoring = CONTROLS.filter((c) => CIS_MONITORING_PATTERNS[c.id] !== undefined);
      const exclusions: Array<[string, string[], (excluded: string[]) => Observation<EventSelectors>]> = [
        ['basic ExcludeManagementEventSources KMS', [KMS], basic],
        ['advanced eventSource NotEquals KMS', [KMS], advanced],
        ['basic ExcludeManagementEventSources RDS Data API', [RDS_DATA], basic],
        ['advanced eventSource NotEquals RDS Data API', [RDS_DATA], advanced],
        ['advanced eventSource NotEquals both', [KMS, RDS_DATA], advanced],
      ];
      it('covers the 15 monitoring checks', () => assert.equal(monitoring.length, 15));
      for (const [name, excluded, selectors] of exclusions)
        for (const control of monitoring) {
          const needsKms = control.id === 'CloudWatch.7' && excluded.includes(KMS);
          it(`${name}: ${control.id} ${needsKms ? 'FAIL' : 'PASS'}`, () => {
            const printed = CIS_MONITORING_PATTERNS[control.id] ?? {};
            const pattern = (printed['cis-1.2'] ?? printed['cis-5.0'])?.text as string;
            assert.equal(judge({ pattern }, control).status, 'PASS');
            const finding = judge({ pattern, trail: { selectors: selectors(excluded) } }, control);
            assert.equal(finding.status, needsKms ? 'FAIL' : 'PASS', message(finding));
            if (needsKms)
              assert.match(
                plain(finding.remediation?.summary ?? []),
                /^Fix the trail first: trail Main does not record every read and write management event/,
              );
            if (needsKms)
              assert.match(
                message(finding),
                selectors === basic
                  ? /excludes management events from kms\.amazonaws\.com/
                  : /it narrows eventSource/,
              );
          });
        }
    });

    it('an unread trail status makes a whole chain UNKNOWN, but a broken chain still FAILs', () => {
      const status = denied<{ IsLogging?: boolean }>('cloudtrail:GetTrailStatus');
      assert.equal(judge({ trail: { status } }).status, 'UNKNOWN');
      assert.equal(judge({ trail: { status }, alarm: null }).status, 'FAIL');
    });

    it('an organization trail delivering to the management account’s log group is judged there: UNKNOWN here without --org, saying to run it', () => {
      const finding = judge({
        trail: {
          owner: '210987654321',
          IsOrganizationTrail: true,
          CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:210987654321:log-group:org-trail:*',
        },
      });
      assert.equal(finding.status, 'UNKNOWN');
      assert.match(
        message(finding),
        /trail Main is an organization trail of account 210987654321 and delivers to log group org-trail there, .*run trailcheck scan --org from the management account/,
      );
    });
  });

  describe('the CIS version chosen with --framework decides the pattern, and the finding names it', () => {
    const byId = (id: string) => CONTROLS.find((c) => c.id === id) as (typeof CONTROLS)[number];
    const printed = (id: string, version: 'cis-1.2' | 'cis-5.0') =>
      CIS_MONITORING_PATTERNS[id]?.[version] as {
        text: string;
        meaning?: string;
        alternatives?: readonly string[];
      };
    const v5Unauthorized = printed('CloudWatch.2', 'cis-5.0').meaning as string;
    const v12Unauthorized = printed('CloudWatch.2', 'cis-1.2').text;
    const iamUserSignIn = printed('CloudWatch.3', 'cis-5.0').alternatives?.[0] as string;
    const v12NoMfa = printed('CloudWatch.3', 'cis-1.2').text;
    const frameworks = [undefined, 'securityhub', 'cis-1.2', 'cis-1.4', 'cis-3.0', 'cis-4.0', 'cis-5.0'];
    const cases: Array<[string, string, string, Array<'PASS' | 'FAIL'>, RegExp?]> = [
      // v5.0's filter leaves out HeadBucket and log delivery, which v1.2 (and Security Hub) still watch.
      [
        'CloudWatch.2',
        'v5.0 unauthorized API calls',
        v5Unauthorized,
        ['FAIL', 'FAIL', 'FAIL', 'PASS', 'PASS', 'PASS', 'PASS'],
        /filter watch misses errorCode=/,
      ],
      [
        'CloudWatch.2',
        'v1.2 unauthorized API calls',
        v12Unauthorized,
        ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'],
      ],
      // Sign-in without MFA by IAM users that succeeded: accepted from v1.4, not by v1.2's broader pattern.
      [
        'CloudWatch.3',
        'IAM-user successful sign-in without MFA',
        iamUserSignIn,
        ['FAIL', 'FAIL', 'FAIL', 'PASS', 'PASS', 'PASS', 'PASS'],
      ],
      [
        'CloudWatch.3',
        'v1.2 sign-in without MFA',
        v12NoMfa,
        ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS'],
      ],
    ];
    for (const [id, name, pattern, statuses, missed] of cases)
      frameworks.forEach((framework, i) => {
        const expected = statuses[i];
        const label =
          framework === undefined || framework === 'securityhub' || framework === 'cis-1.2'
            ? 'CIS v1.2.0'
            : framework === 'cis-4.0'
              ? 'CIS v4.0.1'
              : `CIS v${framework.slice(4)}.0`;
        it(`${id}, ${name}, under ${framework ?? 'no framework'}: ${expected} against ${label}`, () => {
          const finding = judge({ pattern }, byId(id), framework);
          assert.equal(finding.status, expected, message(finding));
          const facts = finding.evidence.find((e) => e.source === 'logs:DescribeMetricFilters')?.facts as {
            judgedAgainst: { benchmark: string };
          };
          assert.equal(facts.judgedAgainst.benchmark, label);
          if (expected === 'FAIL') {
            assert.match(
              message(finding),
              new RegExp(`catches every event ${label.replace(/\./g, '\\.')} lists`),
            );
            if (missed) assert.match(message(finding), missed);
          } else
            assert.match(message(finding), new RegExp(`every event ${label.replace(/\./g, '\\.')} lists`));
        });
      });
  });

  it('iam-policy --for scan gains the three reads of the chain, and only for the monitoring checks', () => {
    const actions = scanActions(CONTROLS);
    for (const action of [
      'logs:DescribeMetricFilters',
      'cloudwatch:DescribeAlarms',
      'sns:ListSubscriptionsByTopic',
    ])
      assert.ok(actions.includes(action), action);
    const withoutMonitoring = scanActions(
      CONTROLS.filter((c) => !c.id.startsWith('CloudWatch.') && c.id !== 'TC.OrganizationsChanges'),
    );
    assert.ok(!withoutMonitoring.includes('cloudwatch:DescribeAlarms'));
  });
});
