/**
 * The CIS Monitoring checks ("… is monitored", Security Hub CloudWatch.1–14): one decision for all of
 * them. A check passes only when the whole chain holds: a multi-Region trail that is logging and records
 * every read and write management event delivers to a log group; a metric filter there catches every
 * event the CIS pattern catches (judged by meaning, see evaluate/filter-pattern.ts); an alarm watches the
 * filter's metric (namespace, name and dimensions); the alarm notifies an SNS topic with at least one
 * confirmed subscription. A link that could not be read makes the check UNKNOWN, never PASS.
 */
import { accountOfArn, parseLogGroupArn } from '../core/arn.js';
import { code, joinRich, nameList, plural, rich } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import {
  cisCoverage,
  cisMeanings,
  cisVersionLabel,
  judgedPattern,
  versionsCovered,
} from '../evaluate/cis-patterns.js';
import type { CisPattern, JudgedPattern } from '../evaluate/cis-patterns.js';
import { missingFact, missingFromFailure, observationEvidence } from '../evaluate/evidence.js';
import type { MissingFact } from '../evaluate/evidence.js';
import { toleratedExclusions } from '../evaluate/event-sources.js';
import { disjuncts } from '../evaluate/filter-pattern.js';
import { managementEventCoverage } from '../evaluate/selectors.js';
import type { SnapshotView } from '../evaluate/view.js';
import { awsCli } from '../fixes/shell.js';
import type { LogGroupRecord, MetricAlarm, MetricFilter, TopicRecord } from '../snapshot/schema.js';
import {
  checkTrails,
  discoveryEvidence,
  multiRegionNeeds,
  trailCheckEvidence,
} from './multi-region-requirement.js';
import type { TrailCheck } from './multi-region-requirement.js';
import { accountResource, makeFinding, settleUnknown } from './shared.js';
import type { ControlDefinition, ControlTexts, Evidence, EvidenceNeed, Finding } from './types.js';
import type { FrameworkIds } from '../frameworks/index.js';
import { MONITORING_FIX_CALLS, monitoringFix } from './monitoring-fix.js';
import { MONITORING_OPTIONS } from './monitoring-options.js';

/** The namespace trailcheck's remediation commands write metrics to (the one CIS's own examples use). */
const NAMESPACE = 'CISBenchmark';

/** Evidence every monitoring check needs: the trails that may qualify, then the chain behind them. */
export function monitoringNeeds(): EvidenceNeed[] {
  return [
    ...multiRegionNeeds(),
    { kind: 'logs.metricFilters' },
    { kind: 'cloudwatch.alarms' },
    { kind: 'sns.subscriptions' },
  ];
}

/** The read permissions of the chain beyond the trail's own: for `iam-policy` and the README. */
export const MONITORING_READ_ACTIONS = [
  'logs:DescribeMetricFilters',
  'cloudwatch:DescribeAlarms',
  'sns:ListSubscriptionsByTopic',
] as const;

/** Per pattern: the event sources a trail may leave out and still serve it (worked out once). */
const TOLERATED = new WeakMap<CisPattern, readonly string[]>();
function toleratedFor(pattern: CisPattern): readonly string[] {
  let tolerated = TOLERATED.get(pattern);
  if (!tolerated) TOLERATED.set(pattern, (tolerated = toleratedExclusions(cisMeanings(pattern))));
  return tolerated;
}

/** A chain that holds, link by link: the evidence of a PASS. */
interface Chain {
  check: TrailCheck;
  group: LogGroupRecord;
  filter: MetricFilter;
  alarm: MetricAlarm;
  topic: TopicRecord;
  confirmed: number;
}

/**
 * How far one path through the chain got. `depth` orders the gaps (the furthest link reached is the
 * one worth telling): 0 trail, 1 log group, 2 metric filter, 3 alarm, 4 subscription.
 */
type Outcome =
  | { kind: 'pass'; chain: Chain }
  | { kind: 'unknown'; missing: MissingFact[]; evidence: Evidence[] }
  | { kind: 'gap'; depth: number; gaps: RichText[]; evidence: Evidence[] };

const gap = (depth: number, text: RichText, evidence: Evidence[] = []): Outcome => ({
  kind: 'gap',
  depth,
  gaps: [text],
  evidence,
});
/** An undecided link; its evidence is, unless given, that of the failed calls behind it. */
const unknown = (missing: MissingFact[], evidence?: Evidence[]): Outcome => ({
  kind: 'unknown',
  missing,
  evidence: evidence ?? missing.flatMap((m) => (m.evidence ? [m.evidence] : [])),
});

/** The best of several alternatives: a pass, else an unknown (it may pass), else the furthest gaps. */
function best(outcomes: readonly Outcome[], none: Outcome): Outcome {
  const pass = outcomes.find((o) => o.kind === 'pass');
  if (pass) return pass;
  const unknowns = outcomes.filter((o) => o.kind === 'unknown');
  if (unknowns.length > 0)
    return unknown(
      unknowns.flatMap((o) => o.missing),
      unknowns.flatMap((o) => o.evidence),
    );
  const gaps = outcomes.filter((o) => o.kind === 'gap');
  if (gaps.length === 0) return none;
  const depth = Math.max(...gaps.map((g) => g.depth));
  const furthest = gaps.filter((g) => g.depth === depth);
  return {
    kind: 'gap',
    depth,
    gaps: furthest.flatMap((g) => g.gaps),
    evidence: furthest.flatMap((g) => g.evidence),
  };
}

/** The account of a log group that is not the assessed account's (an organization trail's), else undefined. */
function foreignOwner(group: LogGroupRecord, accountId: string): string | undefined {
  const account = parseLogGroupArn(group.LogGroupArn)?.account;
  return account !== undefined && account !== accountId ? account : undefined;
}

/** " of the management account M (…)" for an organization trail's group judged from there; else nothing. */
function ownerPhrase(group: LogGroupRecord, accountId: string): RichText {
  const owner = foreignOwner(group, accountId);
  return owner
    ? rich` of the management account ${code(owner)} (the organization trail's, judged from that account's evidence with --org)`
    : [];
}

/** The group's filters, and the benchmark pattern they were judged against (the versions differ). */
function filterEvidence(group: LogGroupRecord, judged: JudgedPattern, accountId: string): Evidence {
  const owner = foreignOwner(group, accountId);
  return observationEvidence(group.metricFilters, (value) => ({
    logGroupName: group.logGroupName,
    // Another account's group (an organization trail's, with --org): named with its account.
    ...(owner ? { logGroupArn: group.LogGroupArn, account: owner } : {}),
    metricFilters: value.MetricFilters.map((f) => ({
      filterName: f.filterName,
      filterPattern: f.filterPattern,
      metricTransformations: f.metricTransformations,
    })),
    judgedAgainst: { benchmark: judged.label, pattern: judged.pattern.meaning ?? judged.pattern.text },
  }));
}

const alarmEvidence = (region: string, alarms: readonly MetricAlarm[]): Evidence => ({
  source: 'cloudwatch:DescribeAlarms',
  region,
  facts: { MetricAlarms: alarms },
});

const topicEvidence = (topic: TopicRecord): Evidence =>
  observationEvidence(topic.subscriptions, (value) => ({
    TopicArn: topic.TopicArn,
    Subscriptions: value.Subscriptions,
  }));

/** A subscription that delivers: confirmed, so it has its own ARN (not PendingConfirmation or Deleted). */
const isConfirmed = (subscriptionArn: string): boolean => subscriptionArn.startsWith('arn:');

/** Does the alarm watch exactly this metric? Dimensions are part of a metric's identity. */
function watches(
  alarm: MetricAlarm,
  namespace: string,
  name: string,
  dimensions: Readonly<Record<string, string>> | undefined,
): boolean {
  if (alarm.Namespace !== namespace || alarm.MetricName !== name) return false;
  const wanted = Object.keys(dimensions ?? {}).sort();
  const given = (alarm.Dimensions ?? []).map((d) => d.Name).sort();
  return wanted.length === given.length && wanted.every((n, i) => n === given[i]);
}

/** The topics an alarm notifies, or why it alerts nobody. */
function judgeAlarm(
  view: SnapshotView,
  alarm: MetricAlarm,
  path: Omit<Chain, 'alarm' | 'topic' | 'confirmed'>,
): Outcome {
  if (alarm.ActionsEnabled === false)
    return gap(4, rich`alarm ${code(alarm.AlarmName)} has its actions disabled, so it notifies nobody`);
  const topics = (alarm.AlarmActions ?? []).filter((a) => a.split(':')[2] === 'sns');
  if (topics.length === 0) return gap(4, rich`alarm ${code(alarm.AlarmName)} notifies no SNS topic`);
  const monitoring = view.snapshot.monitoring;
  const outcomes = topics.map((arn): Outcome => {
    const topic = monitoring?.topics.find((t) => t.TopicArn === arn);
    if (!topic || !view.collected('sns.subscriptions'))
      return unknown([missingFact(undefined, 'sns:ListSubscriptionsByTopic') as MissingFact]);
    if (!topic.subscriptions.ok) {
      const missing = missingFromFailure(topic.subscriptions.failure);
      const owner = accountOfArn(arn);
      if (owner !== view.accountId)
        missing.reason = `${missing.reason} (the topic belongs to account ${owner}: its topic policy must allow sns:ListSubscriptionsByTopic to this identity)`;
      return unknown([missing], [topicEvidence(topic)]);
    }
    const subscriptions = topic.subscriptions.value.Subscriptions;
    const confirmed = subscriptions.filter((s) => isConfirmed(s.SubscriptionArn)).length;
    if (confirmed > 0) return { kind: 'pass', chain: { ...path, alarm, topic, confirmed } };
    const pending = subscriptions.length;
    return gap(
      4,
      pending === 0
        ? rich`alarm ${code(alarm.AlarmName)} notifies SNS topic ${code(arn)}, which has no subscription`
        : rich`alarm ${code(alarm.AlarmName)} notifies SNS topic ${code(arn)}, whose ${pending === 1 ? 'one subscription is' : `${pending} subscriptions are`} not confirmed`,
      [topicEvidence(topic)],
    );
  });
  return best(outcomes, gap(4, rich`alarm ${code(alarm.AlarmName)} notifies no SNS topic`));
}

/** The alarms on each metric a covering filter writes. */
function judgeFilter(
  view: SnapshotView,
  check: TrailCheck,
  group: LogGroupRecord,
  filter: MetricFilter,
): Outcome {
  const monitoring = view.snapshot.monitoring;
  const owner = parseLogGroupArn(group.LogGroupArn)?.account ?? view.accountId;
  const listing = monitoring?.alarms.find(
    (a) => a.region === group.Region && (a.account ?? view.accountId) === owner,
  );
  if (!listing || !view.collected('cloudwatch.alarms'))
    return unknown([missingFact(undefined, 'cloudwatch:DescribeAlarms') as MissingFact]);
  if (!listing.result.ok) return unknown([missingFromFailure(listing.result.failure)]);
  const alarms = listing.result.value.MetricAlarms;
  const outcomes: Outcome[] = filter.metricTransformations.map((metric) => {
    const watching = alarms.filter((a) =>
      watches(a, metric.metricNamespace, metric.metricName, metric.dimensions),
    );
    const evidence = [alarmEvidence(group.Region, watching)];
    if (watching.length === 0) {
      const dims = Object.keys(metric.dimensions ?? {});
      return gap(
        3,
        rich`no alarm watches the metric ${code(`${metric.metricNamespace}/${metric.metricName}`)} of filter ${code(filter.filterName)}${dims.length > 0 ? ` with its dimensions ${dims.join(', ')}` : ''}`,
        evidence,
      );
    }
    const found = best(
      watching.map((alarm) => judgeAlarm(view, alarm, { check, group, filter })),
      gap(3, rich`no alarm watches filter ${code(filter.filterName)}`),
    );
    return found.kind === 'gap' ? { ...found, evidence: [...evidence, ...found.evidence] } : found;
  });
  return best(outcomes, gap(3, rich`filter ${code(filter.filterName)} writes no metric`));
}

/** Is a filter about this check at all? Worth naming when it misses: it shares the pattern's fields. */
function isNear(
  filter: MetricFilter,
  misses: number,
  meaningSize: number,
  paths: readonly string[],
): boolean {
  return misses < meaningSize || paths.every((p) => filter.filterPattern.includes(p.replace(/^\$\./, '')));
}

function judgeLogGroup(view: SnapshotView, check: TrailCheck, topic: string, judged: JudgedPattern): Outcome {
  const { pattern } = judged;
  const trailName = check.trail.config.Name;
  const arn = check.trail.config.CloudWatchLogsLogGroupArn;
  if (!arn) return gap(1, rich`trail ${code(trailName)} sends no events to CloudWatch Logs`);
  const parsed = parseLogGroupArn(arn);
  if (!parsed)
    return gap(1, rich`trail ${code(trailName)} names a log group trailcheck cannot read (${arn})`);
  // An organization trail's group lives in the management account: judged here only from that account's
  // evidence, which `--org` puts beside the member's (judge/organization.ts).
  const group = view.snapshot.monitoring?.logGroups.find(
    (g) =>
      g.Region === parsed.region &&
      g.logGroupName === parsed.logGroupName &&
      (parseLogGroupArn(g.LogGroupArn)?.account ?? view.accountId) === parsed.account,
  );
  if (parsed.account !== view.accountId && !group)
    return unknown([
      {
        reason:
          check.trail.config.IsOrganizationTrail === true
            ? `trail ${trailName} is an organization trail of account ${parsed.account} and delivers to log group ${parsed.logGroupName} there, whose filters and alarms only that account's evidence shows: run trailcheck scan --org from the management account to judge them for this account`
            : `trail ${trailName} delivers to a log group of account ${parsed.account}, where its filters and alarms are judged`,
      },
    ]);
  if (!group || !view.collected('logs.metricFilters'))
    return unknown([missingFact(undefined, 'logs:DescribeMetricFilters') as MissingFact]);
  if (!group.metricFilters.ok)
    return unknown(
      [missingFromFailure(group.metricFilters.failure)],
      [filterEvidence(group, judged, view.accountId)],
    );

  const meaning = cisMeanings(pattern)[0];
  const meaningSize = meaning ? (disjuncts(meaning)?.length ?? 1) : 1;
  const paths = meaning ? [...new Set((disjuncts(meaning)?.[0] ?? []).map((a) => a.path))] : [];
  const near: RichText[] = [];
  const undecided: MissingFact[] = [];
  const covering: MetricFilter[] = [];
  for (const filter of group.metricFilters.value.MetricFilters) {
    const verdict = cisCoverage(filter.filterPattern, pattern);
    switch (verdict.verdict) {
      case 'covers':
        covering.push(filter);
        break;
      case 'misses':
        if (isNear(filter, verdict.misses.length, meaningSize, paths)) {
          // A filter written to another version's narrower pattern: say which, and how to judge by it.
          const fits = versionsCovered(judged.controlId, filter.filterPattern);
          const names = fits.map((v) => cisVersionLabel(v).replace(/^CIS /, ''));
          const versions =
            names.length > 1
              ? `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''} patterns`
              : `${names[0] ?? ''} pattern`;
          const fitsPhrase =
            fits.length > 0
              ? rich` (it catches every event of the CIS ${versions}: ${code(`--framework ${fits.at(-1) ?? ''}`)} judges by that)`
              : [];
          near.push(
            rich`filter ${code(filter.filterName)} misses ${verdict.misses.map((m) => m.summary).join(' / ')}${fitsPhrase}`,
          );
        }
        break;
      case 'unparseable':
        near.push(rich`filter ${code(filter.filterName)} cannot be read: ${verdict.reason}`);
        break;
      case 'undecided':
        undecided.push({
          reason: `whether filter ${filter.filterName} catches ${topic} could not be decided: ${verdict.reason}`,
        });
        break;
    }
  }
  const evidence = [filterEvidence(group, judged, view.accountId)];
  if (covering.length === 0) {
    if (undecided.length > 0) return unknown(undecided, evidence);
    const where = rich`log group ${code(group.logGroupName)}${ownerPhrase(group, view.accountId)} (trail ${code(trailName)})`;
    return gap(
      2,
      near.length > 0
        ? rich`${where} has no metric filter that catches every event ${judged.label} lists: ${joinRich(near, '; ')}`
        : rich`${where} has no metric filter for ${topic}`,
      evidence,
    );
  }
  const found = best(
    covering.map((filter) => judgeFilter(view, check, group, filter)),
    gap(2, rich`no metric filter`),
  );
  return found.kind === 'gap' ? { ...found, evidence: [...evidence, ...found.evidence] } : found;
}

/** One trail's path: its own qualification (logging, multi-Region, all management events), then its log group. */
function judgeTrail(view: SnapshotView, check: TrailCheck, topic: string, judged: JudgedPattern): Outcome {
  const evidence = trailCheckEvidence(check);
  if (check.gaps.length > 0)
    return gap(0, rich`trail ${code(check.trail.config.Name)} ${joinRich(check.gaps, ' and ')}`, evidence);
  const downstream = judgeLogGroup(view, check, topic, judged);
  if (downstream.kind === 'gap') return { ...downstream, evidence: [...evidence, ...downstream.evidence] };
  if (check.unknowns.length === 0) return downstream;
  const missing = [...check.unknowns, ...(downstream.kind === 'unknown' ? downstream.missing : [])];
  return unknown(missing, [...evidence, ...(downstream.kind === 'unknown' ? downstream.evidence : [])]);
}

const describeTrailGap = (reasons: string[]): RichText =>
  rich`does not record every read and write management event (${reasons.join('; ')})`;

/** The remediation of a FAIL, as commands to adapt (trailcheck proposes no fix for these checks yet). */
function manualSteps(
  view: SnapshotView,
  controlId: string,
  pattern: CisPattern,
  texts: ControlTexts,
  checks: readonly TrailCheck[],
) {
  const groups = checks
    .filter((c) => c.multiRegion && c.trail.config.CloudWatchLogsLogGroupArn)
    .map((c) => parseLogGroupArn(c.trail.config.CloudWatchLogsLogGroupArn as string));
  // Own first; else an organization trail's group judged here with --org, which is fixed where it lives.
  const held = new Set(
    (view.snapshot.monitoring?.logGroups ?? []).map((g) => {
      const p = parseLogGroupArn(g.LogGroupArn);
      return p ? `${p.account}:${p.region}:${p.logGroupName}` : '';
    }),
  );
  const withGroup =
    groups.find((p) => p !== undefined && p.account === view.accountId) ??
    groups.find((p) => p !== undefined && held.has(`${p.account}:${p.region}:${p.logGroupName}`));
  if (!withGroup) {
    return {
      summary: rich`Send the events of a logging multi-Region trail that records all management events to CloudWatch Logs first (CloudTrail.1 and CloudTrail.5), then ${texts.action}.`,
      cli: [],
      console: [],
    };
  }
  const { region, logGroupName, account } = withGroup;
  const metric = `trailcheck-${controlId.replace(/\./g, '-')}`;
  const topicArn = `arn:${view.partition}:sns:${region}:${account}:trailcheck-cis-alarms`;
  const elsewhere =
    account === view.accountId
      ? []
      : rich`Use the credentials of the management account ${code(account)}, where the organization trail's log group lives (this closes the check in every member). `;
  return {
    summary: rich`${elsewhere}To ${texts.action}, give log group ${code(logGroupName)} (${region}) what it lacks of: a metric filter with the CIS pattern, an alarm on its metric, an SNS topic with a confirmed subscription. Whom to alert is yours to say: run ${code('trailcheck fix')} with ${code('--alert-email ADDRESS')} or ${code('--alert-topic ARN')} and it makes the rest, or run these commands.`,
    cli: [
      awsCli('logs', 'put-metric-filter', {
        region,
        'log-group-name': logGroupName,
        'filter-name': metric,
        'filter-pattern': pattern.meaning ?? pattern.text,
        'metric-transformations': `metricName=${metric},metricNamespace=${NAMESPACE},metricValue=1`,
      }),
      awsCli('sns', 'create-topic', { region, name: 'trailcheck-cis-alarms' }),
      `${awsCli('sns', 'subscribe', { region, 'topic-arn': topicArn, protocol: 'email' })} --notification-endpoint YOUR-ADDRESS   # then confirm the e-mail`,
      awsCli('cloudwatch', 'put-metric-alarm', {
        region,
        'alarm-name': metric,
        'metric-name': metric,
        namespace: NAMESPACE,
        statistic: 'Sum',
        period: '300',
        threshold: '1',
        'comparison-operator': 'GreaterThanOrEqualToThreshold',
        'evaluation-periods': '1',
        'treat-missing-data': 'notBreaching',
        'alarm-actions': topicArn,
      }),
    ],
    console: [
      `Open CloudWatch in ${region}, Logs, Log groups, ${logGroupName}, Metric filters, Create metric filter, and paste the CIS pattern.`,
      'Create an alarm on the new metric (Sum ≥ 1 over 5 minutes) that notifies an SNS topic, and confirm the topic’s e-mail subscription.',
    ],
  };
}

export interface MonitoringCheck {
  id: string;
  title: string;
  frameworks: FrameworkIds;
  texts: ControlTexts;
}

/** A CIS Monitoring control: its id, title and texts; the chain and its verdicts are shared. */
export function monitoringControl({ id, title, frameworks, texts }: MonitoringCheck): ControlDefinition {
  if (!judgedPattern(id, undefined)) throw new Error(`no CIS pattern for ${id}`);
  const control: ControlDefinition = {
    id,
    title,
    frameworks,
    severity: 'low',
    resourceType: 'AwsAccount',
    scope: 'account',
    needs: monitoringNeeds(),
    texts,
    options: MONITORING_OPTIONS,
    fixPermissions: { calls: MONITORING_FIX_CALLS },
    evaluate(view): Finding[] {
      const resource = accountResource(view);
      const judged = judgedPattern(id, view.options.framework?.id) as JudgedPattern;
      const { pattern } = judged;
      // A trail that leaves out KMS or RDS Data API events still serves the checks whose pattern needs
      // none of them; checks that tolerate the same sources share their trail checks.
      const tolerated = toleratedFor(pattern);
      const checks = checkTrails(
        view,
        `CIS monitoring tolerating [${tolerated.join(',')}]`,
        (selectors) => managementEventCoverage(selectors, tolerated),
        describeTrailGap,
      );
      const candidates = checks.filter((c) => c.multiRegion);
      if (checks.length === 0 && view.discoveredRegions.length === 0) {
        const missing = view.failedDiscoveries.map((d) => missingFromFailure(d.failure));
        return [
          makeFinding(control, {
            status: 'UNKNOWN',
            resource,
            message: rich`trailcheck could not list the account's trails in any scanned Region, so whether ${texts.topic} is monitored is not known.`,
            evidence: discoveryEvidence(view),
            remediation: settleUnknown(missing, rich`account ${code(view.accountId)}`),
          }),
        ];
      }
      const noTrail = gap(
        0,
        checks.length === 0
          ? rich`the account has no CloudTrail trail`
          : rich`none of the account's trails (${nameList(checks.map((c) => c.trail.config.Name))}) is multi-Region`,
        checks.length === 0 ? discoveryEvidence(view) : checks.flatMap(trailCheckEvidence),
      );
      const outcome = best(
        candidates.map((c) => judgeTrail(view, c, texts.topic, judged)),
        noTrail,
      );
      switch (outcome.kind) {
        case 'pass': {
          const { check, group, filter, alarm, topic, confirmed } = outcome.chain;
          return [
            makeFinding(control, {
              status: 'PASS',
              resource,
              message: rich`Trail ${code(check.trail.config.Name)} delivers to log group ${code(group.logGroupName)}${ownerPhrase(group, view.accountId)}, whose metric filter ${code(filter.filterName)} catches every event ${judged.label} lists for ${texts.topic}; alarm ${code(alarm.AlarmName)} watches its metric and notifies SNS topic ${code(topic.TopicArn)}, which has ${confirmed} confirmed ${plural(confirmed, 'subscription')}.`,
              evidence: [
                ...trailCheckEvidence(check),
                filterEvidence(group, judged, view.accountId),
                alarmEvidence(group.Region, [alarm]),
                topicEvidence(topic),
              ],
            }),
          ];
        }
        case 'unknown': {
          const reasons = [...new Set(outcome.missing.map((m) => m.reason))];
          return [
            makeFinding(control, {
              status: 'UNKNOWN',
              resource,
              message: rich`Whether ${texts.topic} is monitored could not be confirmed: ${reasons.join('; ')}.`,
              evidence: outcome.evidence,
              remediation: settleUnknown(outcome.missing, rich`the CloudWatch chain of ${texts.topic}`),
            }),
          ];
        }
        case 'gap': {
          const proposal = monitoringFix(view, id, pattern, texts.topic, checks);
          const steps = manualSteps(view, id, pattern, texts, checks);
          // A trail that falls short (one leaving out KMS events, for CloudWatch.7) is the step to take
          // first, even when its log group's filters, alarms and topic are all there.
          if (outcome.depth === 0 && steps.cli.length > 0)
            steps.summary = rich`Fix the trail first: ${joinRich(outcome.gaps, '; ')}. ${steps.summary}`;
          return [
            makeFinding(control, {
              status: 'FAIL',
              resource,
              message: rich`Nobody is alerted to ${texts.topic}: ${joinRich(outcome.gaps, '; ')}.`,
              evidence: outcome.evidence,
              ...(proposal ? { proposal } : { remediation: steps }),
            }),
          ];
        }
      }
    },
  };
  return control;
}

/** What differs between the monitoring checks' texts; the rest is said the same way for all of them. */
export interface MonitoringTextSpec {
  /** Short name for tables: "Root use alarm". */
  name: string;
  /** What is watched, as a noun phrase: "use of the root user". */
  topic: string;
  /** The events CIS's pattern catches, in a few words. */
  events: string;
  whyItMatters: string;
  whyFix: string;
}

export function monitoringTexts(spec: MonitoringTextSpec): ControlTexts {
  return {
    name: spec.name,
    topic: spec.topic,
    checks: `A logging multi-Region trail that records every read and write management event (leaving out KMS or RDS Data API events only if the pattern needs none of them) delivers to a CloudWatch Logs log group; a metric filter there catches every event of the CIS pattern for ${spec.topic} (${spec.events}) of the CIS version chosen with --framework (without one, v1.2.0's, which Security Hub checks and which catches the most), judged by meaning: other spacing, order of terms and quoting, and extra OR terms that catch more, pass; a filter that misses an event fails, naming it; an alarm watches the filter's metric (namespace, name and dimensions) with its actions on, and notifies an SNS topic with at least one confirmed subscription. A link trailcheck may not read (a topic of another account, a denied call) is UNKNOWN. One finding for the account.`,
    whatItDoes: `A metric filter counts ${spec.topic} in the log group the trail delivers to; an alarm on that count notifies an SNS topic, which e-mails or pages someone within minutes.`,
    whyItMatters: spec.whyItMatters,
    whyFix: spec.whyFix,
    action: `alert someone to ${spec.topic}`,
    howToFix: `On the log group of a logging multi-Region trail (CloudTrail.1 and CloudTrail.5 first if there is none): aws logs put-metric-filter with the CIS pattern (a failed finding gives the command with it), aws cloudwatch put-metric-alarm on its metric (Sum ≥ 1 over 5 minutes) with --alarm-actions an SNS topic, and aws sns subscribe an address that confirms the subscription. In the console: CloudWatch, Log groups, the group, Metric filters, Create metric filter; then Create alarm on the new metric.`,
    meaning: ({ status, findings }): RichText => {
      const finding = findings[0];
      if (!finding) return rich`No finding.`;
      if (status === 'PASS') return rich`Someone is alerted to ${spec.topic} within minutes.`;
      return finding.message;
    },
  };
}
