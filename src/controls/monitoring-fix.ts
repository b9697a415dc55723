/**
 * The monitoring checks' fix (CloudWatch.1–14, TC.OrganizationsChanges), one builder for all of them: on
 * the log group of the trail that qualifies, a metric filter with the CIS pattern, an alarm on its metric
 * (Sum ≥ 1 over 5 minutes) that notifies an SNS topic. The topic is the user's (--alert-topic), or one the
 * fix creates and subscribes an address to (--alert-email). What exists already is reused, so a second
 * run changes nothing. A trail without a log group gets CloudTrail.5's fix first (the planner judges the
 * checks again after it, and this fix then applies to the new group).
 */
import { parseLogGroupArn } from '../core/arn.js';
import { code, rich } from '../core/rich.js';
import type { CisPattern } from '../evaluate/cis-patterns.js';
import type { SnapshotView } from '../evaluate/view.js';
import { apiCall, existingNames } from '../fixes/builders.js';
import type { ApiCall } from '../fixes/calls.js';
import { METRIC_ALARM_COST } from '../fixes/costs.js';
import { firstFree } from '../fixes/names.js';
import type { FixOperation } from '../fixes/permissions.js';
import { topicArn } from '../fixes/services/sns.js';
import type { MetricAlarm } from '../snapshot/schema.js';
import type { TrailCheck } from './multi-region-requirement.js';
import { alertEmail, alertTopic } from './monitoring-options.js';
import { optionValue } from './options.js';
import type { FixProposal } from './types.js';

/** The namespace of the metrics the fix's filters write (the one CIS's own examples use). */
export const FIX_NAMESPACE = 'CISBenchmark';

/** The topic --alert-email creates, one per Region of a trail's log group. */
export const ALERT_TOPIC_NAME = 'trailcheck-cis-alarms';

/** Every call the fix and its undo may make: `iam-policy --for fix` includes them. */
export const MONITORING_FIX_CALLS: readonly FixOperation[] = [
  ['logs', 'PutMetricFilter'],
  ['cloudwatch', 'PutMetricAlarm'],
  ['sns', 'CreateTopic'],
  ['sns', 'Subscribe'],
  // undo
  ['logs', 'DeleteMetricFilter'],
  ['cloudwatch', 'DeleteAlarms'],
  ['sns', 'DeleteTopic'],
  ['sns', 'Unsubscribe'],
];

/** `trailcheck-CloudWatch-1`: the filter's, its metric's and its alarm's name. */
export function monitoringName(controlId: string): string {
  return `trailcheck-${controlId.replace(/\./g, '-')}`;
}

/** The log group the fix works on: that of the first trail which qualifies but for the chain behind it. */
export function fixableGroup(view: SnapshotView, checks: readonly TrailCheck[]) {
  for (const check of checks) {
    if (!check.owned || !check.multiRegion || check.gaps.length > 0 || check.unknowns.length > 0) continue;
    const arn = check.trail.config.CloudWatchLogsLogGroupArn;
    const parsed = arn ? parseLogGroupArn(arn) : undefined;
    if (!parsed || parsed.account !== view.accountId) continue;
    const group = view.snapshot.monitoring?.logGroups.find(
      (g) => g.Region === parsed.region && g.logGroupName === parsed.logGroupName,
    );
    if (group?.metricFilters.ok) return { check, group, filters: group.metricFilters.value.MetricFilters };
  }
  return undefined;
}

/** The fix, or undefined when it needs a value only the user can give or there is nothing left to call. */
export function monitoringFix(
  view: SnapshotView,
  controlId: string,
  pattern: CisPattern,
  topic: string,
  checks: readonly TrailCheck[],
): FixProposal | undefined {
  const found = fixableGroup(view, checks);
  if (!found) return undefined;
  const { group, filters } = found;
  const region = group.Region;
  const given = optionValue(view, alertTopic);
  const email = optionValue(view, alertEmail);
  if (given === undefined && email === undefined) return undefined;
  // CloudWatch alarms notify topics of their own Region only.
  if (given !== undefined && given.split(':')[3] !== region) return undefined;
  const monitoring = view.snapshot.monitoring;
  const calls: ApiCall[] = [];
  const notes: string[] = [];

  // The topic.
  let arn: string;
  let pending: boolean;
  if (given !== undefined) {
    arn = given;
    const record = monitoring?.topics.find((t) => t.TopicArn === arn);
    const subscriptions = record?.subscriptions.ok ? record.subscriptions.value.Subscriptions : [];
    pending = !subscriptions.some((s) => s.SubscriptionArn.startsWith('arn:'));
  } else {
    arn = topicArn(view.partition, region, view.accountId, ALERT_TOPIC_NAME);
    const record = monitoring?.topics.find((t) => t.TopicArn === arn);
    const known =
      record !== undefined || (existingNames(view).topics ?? []).includes(`${region}:${ALERT_TOPIC_NAME}`);
    if (!known) calls.push(apiCall('sns', 'CreateTopic', region, { Name: ALERT_TOPIC_NAME }));
    const subscriptions = record?.subscriptions.ok ? record.subscriptions.value.Subscriptions : [];
    // An address subscribed already waits for its confirmation; subscribing it again sends another e-mail.
    if (subscriptions.length === 0)
      calls.push(
        apiCall(
          'sns',
          'Subscribe',
          region,
          { TopicArn: arn, Protocol: 'email', Endpoint: email ?? '', ReturnSubscriptionArn: true },
          'alertSubscription',
        ),
      );
    pending = !subscriptions.some((s) => s.SubscriptionArn.startsWith('arn:'));
  }

  // The filter: ours if it is there with the same pattern, else one under a free name.
  const base = monitoringName(controlId);
  const filterPattern = pattern.meaning ?? pattern.text;
  const ours = filters.find((f) => f.filterName.startsWith(base) && f.filterPattern === filterPattern);
  const filterName =
    ours?.filterName ??
    firstFree(
      (n) => (n === 1 ? base : `${base}-${n}`),
      (name) => filters.some((f) => f.filterName === name),
    );
  const metric = ours?.metricTransformations[0] ?? { metricName: base, metricNamespace: FIX_NAMESPACE };
  if (!ours)
    calls.push(
      apiCall('logs', 'PutMetricFilter', region, {
        logGroupName: group.logGroupName,
        filterName,
        filterPattern,
        metricTransformations: [
          { metricName: metric.metricName, metricNamespace: metric.metricNamespace, metricValue: '1' },
        ],
      }),
    );

  // The alarm: one on the metric that notifies the topic with its actions on, else a new one.
  const listing = monitoring?.alarms.find((a) => a.region === region);
  const alarms: MetricAlarm[] = listing?.result.ok ? listing.result.value.MetricAlarms : [];
  const alarming = alarms.some(
    (a) =>
      a.Namespace === metric.metricNamespace &&
      a.MetricName === metric.metricName &&
      (a.Dimensions ?? []).length === 0 &&
      a.ActionsEnabled !== false &&
      (a.AlarmActions ?? []).includes(arn),
  );
  const taken = existingNames(view).alarms ?? [];
  const alarmName = firstFree(
    (n) => (n === 1 ? base : `${base}-${n}`),
    (name) => alarms.some((a) => a.AlarmName === name) || taken.includes(`${region}:${name}`),
  );
  if (!alarming)
    calls.push(
      apiCall('cloudwatch', 'PutMetricAlarm', region, {
        AlarmName: alarmName,
        AlarmDescription: `${topic}: CIS ${controlId} (created by trailcheck)`,
        ActionsEnabled: true,
        AlarmActions: [arn],
        MetricName: metric.metricName,
        Namespace: metric.metricNamespace,
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );

  if (calls.length === 0) return undefined;
  // The note about the person's step comes first: the plan lists it as that step's sentence.
  if (pending)
    notes.push(
      email !== undefined && given === undefined
        ? `The subscription of ${email} stays “pending confirmation” until someone opens the e-mail AWS sends and confirms it: until then the alarm alerts nobody and this check stays FAIL.`
        : `Topic ${arn} has no confirmed subscription: until one is confirmed the alarm alerts nobody and this check stays FAIL.`,
    );
  const topicPart =
    given !== undefined
      ? rich`that notifies SNS topic ${code(arn)}`
      : calls.some((c) => c.operation === 'CreateTopic')
        ? rich`that notifies a new SNS topic ${code(ALERT_TOPIC_NAME)} with ${code(email ?? '')} subscribed`
        : rich`that notifies SNS topic ${code(arn)}`;
  return {
    summary: rich`Add a metric filter for ${topic} with the CIS pattern to log group ${code(group.logGroupName)} (${region}), and an alarm on its metric ${topicPart}.`,
    calls,
    console: [
      `Open CloudWatch in ${region}, Logs, Log groups, ${group.logGroupName}, Metric filters, Create metric filter; paste the CIS pattern and name the metric ${metric.metricNamespace}/${metric.metricName}.`,
      `Create an alarm on that metric (Sum ≥ 1 over 5 minutes) named ${alarmName} that notifies ${arn}.`,
    ],
    notes: [...notes, ...(alarming ? [] : [METRIC_ALARM_COST])],
    ...(pending ? { pending: true } : {}),
  };
}
