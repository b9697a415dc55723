/**
 * Shared fixtures for the CIS Monitoring checks: a snapshot holding one whole CloudWatch chain (trail →
 * log group → metric filter → alarm → SNS topic with a subscription), any link of which a case can change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControlDefinition } from '../../src/controls/types.js';
import { plain } from '../../src/core/rich.js';
import { CIS_MONITORING_PATTERNS, cisVersionLabel } from '../../src/evaluate/cis-patterns.js';
import type { CisVersion } from '../../src/evaluate/cis-patterns.js';
import { findFramework } from '../../src/controls/frameworks.js';
import { SnapshotView } from '../../src/evaluate/view.js';
import type {
  EvidenceKind,
  LogGroupRecord,
  MetricAlarm,
  MetricFilter,
  Observation,
  Snapshot,
  TopicRecord,
} from '../../src/snapshot/schema.js';
import { ACCOUNT_ID, ok, snapshot, trail } from './snapshot-builder.js';
import type { TrailInput } from './snapshot-builder.js';

export const REGION = 'us-east-1';
export const LOG_GROUP = 'cloudtrail-audit';
export const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${LOG_GROUP}:*`;
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:security-alerts`;
export const NAMESPACE = 'CISBenchmark';
export const METRIC = 'Watched';
export const CONFIRMED = `${TOPIC_ARN}:0b9f6a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b`;

type Subscriptions = Observation<{ Subscriptions: { SubscriptionArn: string; Protocol?: string }[] }>;

export interface ChainInput {
  /** The metric filter's pattern. */
  pattern: string;
  filterName?: string;
  /** Dimensions of the filter's metric (name → `$.field`). */
  dimensions?: Record<string, string>;
  /** The alarm, over the default one on the filter's metric; null: no alarm. */
  alarm?: Partial<MetricAlarm> | null;
  /** The topic's subscriptions (default: one confirmed e-mail subscription). */
  subscriptions?: Subscriptions;
  /** The trail, over a logging multi-Region trail with all management events delivering to the group. */
  trail?: Partial<TrailInput>;
  /** Overrides the filter listing (a failed call). */
  metricFilters?: LogGroupRecord['metricFilters'];
  /** Overrides the alarm listing of the Region (a failed call). */
  alarms?: Observation<{ MetricAlarms: MetricAlarm[] }>;
  collected?: EvidenceKind[];
}

export const confirmed = (...arns: string[]): Subscriptions =>
  ok(
    {
      Subscriptions: (arns.length > 0 ? arns : [CONFIRMED]).map((a) => ({
        SubscriptionArn: a,
        Protocol: 'email',
      })),
    },
    'sns:ListSubscriptionsByTopic',
  );

export function chainSnapshot(input: ChainInput): Snapshot {
  const filter: MetricFilter = {
    filterName: input.filterName ?? 'watch',
    filterPattern: input.pattern,
    metricTransformations: [
      {
        metricName: METRIC,
        metricNamespace: NAMESPACE,
        ...(input.dimensions ? { dimensions: input.dimensions } : {}),
      },
    ],
  };
  const alarm: MetricAlarm | undefined =
    input.alarm === null
      ? undefined
      : {
          AlarmName: 'watch-alarm',
          AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:watch-alarm`,
          MetricName: METRIC,
          Namespace: NAMESPACE,
          ActionsEnabled: true,
          AlarmActions: [TOPIC_ARN],
          ...input.alarm,
        };
  const topics: TopicRecord[] = (alarm?.AlarmActions ?? []).map((arn) => ({
    TopicArn: arn,
    Region: arn.split(':')[3] ?? REGION,
    subscriptions: input.subscriptions ?? confirmed(),
  }));
  return snapshot({
    trails: [trail({ Name: 'Main', CloudWatchLogsLogGroupArn: LOG_GROUP_ARN, ...input.trail })],
    ...(input.collected ? { collected: input.collected } : {}),
    monitoring: {
      logGroups: [
        {
          LogGroupArn: LOG_GROUP_ARN,
          logGroupName: LOG_GROUP,
          Region: REGION,
          metricFilters: input.metricFilters ?? ok({ MetricFilters: [filter] }, 'logs:DescribeMetricFilters'),
        },
      ],
      alarms: [
        {
          region: REGION,
          result: input.alarms ?? ok({ MetricAlarms: alarm ? [alarm] : [] }, 'cloudwatch:DescribeAlarms'),
        },
      ],
      topics,
    },
  });
}

export interface PatternCase {
  name: string;
  pattern: string;
  status: 'PASS' | 'FAIL' | 'UNKNOWN';
  /** The framework chosen (--framework); default none, judged by CIS v1.2.0's pattern. */
  framework?: string;
  /** What the finding's message must say (for a FAIL: the event missed). */
  message?: RegExp;
}

/**
 * The table of one monitoring control: every benchmark version's printed pattern passes when that version
 * is chosen (--framework), then the control's own spelling cases (judged by the default version), each a
 * metric filter in an otherwise whole chain.
 */
export function monitoringTable(control: ControlDefinition, cases: readonly PatternCase[]): void {
  const judge = (pattern: string, version?: string) =>
    control.evaluate(
      new SnapshotView(chainSnapshot({ pattern }), version ? { framework: findFramework(version) } : {}),
    );
  describe(`${control.id} ${control.texts.name}`, () => {
    const printed = CIS_MONITORING_PATTERNS[control.id] ?? {};
    for (const [version, pattern] of Object.entries(printed)) {
      it(`passes CIS ${version}'s pattern as printed under --framework ${version}, naming each link of the chain and the version`, () => {
        const [finding, ...rest] = judge(pattern.text, version);
        assert.equal(rest.length, 0);
        assert.equal(finding?.status, 'PASS', finding && plain(finding.message));
        assert.match(
          plain(finding.message),
          /Trail Main delivers to log group cloudtrail-audit, whose metric filter watch/,
        );
        const label = cisVersionLabel(version as CisVersion);
        assert.ok(plain(finding.message).includes(`catches every event ${label} lists`));
        const filters = finding.evidence.find((e) => e.source === 'logs:DescribeMetricFilters');
        assert.equal(
          (filters?.facts as { judgedAgainst?: { benchmark: string } }).judgedAgainst?.benchmark,
          label,
        );
        assert.match(
          plain(finding.message),
          /alarm watch-alarm watches its metric and notifies SNS topic .*security-alerts, which has 1 confirmed subscription/,
        );
        assert.deepEqual(
          finding.evidence.map((e) => e.source),
          [
            'cloudtrail:DescribeTrails',
            'cloudtrail:GetTrailStatus',
            'cloudtrail:GetEventSelectors',
            'logs:DescribeMetricFilters',
            'cloudwatch:DescribeAlarms',
            'sns:ListSubscriptionsByTopic',
          ],
        );
      });
    }
    for (const c of cases) {
      it(`${c.status === 'PASS' ? 'passes' : c.status === 'FAIL' ? 'fails' : 'is UNKNOWN for'}: ${c.name}${c.framework ? ` (--framework ${c.framework})` : ''}`, () => {
        const [finding] = judge(c.pattern, c.framework);
        assert.equal(finding?.status, c.status, finding && plain(finding.message));
        if (c.message) assert.match(plain(finding.message), c.message);
        if (c.status === 'FAIL') {
          assert.match(plain(finding.message), /^Nobody is alerted to /);
          assert.ok(finding.remediation?.cli.some((line) => line.startsWith('aws logs put-metric-filter')));
        }
      });
    }
  });
}
