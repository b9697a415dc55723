/**
 * The CloudWatch chain behind the CIS Monitoring checks: for each log group a trail delivers to, its
 * metric filters; the alarms of those Regions on the filters' metrics; the subscriptions of the SNS topics
 * those alarms notify. Each step reads only what the previous one found, and each listing is paginated.
 */
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import type { AwsClientFactory } from '../aws/clients.js';
import type {
  AlarmListing,
  EvidenceKind,
  LogGroupRecord,
  MetricAlarm,
  MetricFilter,
  Monitoring,
  TopicRecord,
  TrailRecord,
} from '../snapshot/schema.js';
import { parseLogGroupArn } from '../core/arn.js';
import { compact, observe } from './observe.js';

/** Pages read per listing before giving up: far above AWS's own limits (100 filters a log group). */
const MAX_PAGES = 1_000;

/** The most alarms DescribeAlarms returns a page. */
export const ALARMS_PER_PAGE = 100;

/** The key a metric is known by in one Region: namespace and name. */
export const metricKey = (namespace: string, name: string): string => `${namespace}\u0000${name}`;

/** `arn:aws:sns:REGION:ACCOUNT:NAME` → its Region; undefined when the action is not an SNS topic. */
export function snsTopicRegion(arn: string): string | undefined {
  return /^arn:[^:]+:sns:([^:]+):\d{12}:[^:]+$/.exec(arn)?.[1];
}

async function allPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const answer = await page(token);
    items.push(...answer.items);
    token = answer.next;
    if (!token) return items;
  }
  throw new Error(`more than ${MAX_PAGES} pages`);
}

async function readLogGroups(
  factory: AwsClientFactory,
  trails: readonly TrailRecord[],
  account: string,
): Promise<LogGroupRecord[]> {
  const wanted = new Map<string, { arn: string; region: string; logGroupName: string }>();
  for (const trail of trails) {
    const arn = trail.config.CloudWatchLogsLogGroupArn;
    const parsed = arn ? parseLogGroupArn(arn) : undefined;
    // Another account's group (an organization trail's) is read, and judged, where it lives.
    if (!arn || !parsed || parsed.account !== account) continue;
    const key = `${parsed.region}:${parsed.logGroupName}`;
    if (!wanted.has(key)) wanted.set(key, { arn, ...parsed });
  }
  const records = await Promise.all(
    [...wanted.values()].map(async ({ arn, region, logGroupName }): Promise<LogGroupRecord> => {
      const metricFilters = await observe('logs', 'DescribeMetricFilters', region, async () => {
        const filters = await allPages(async (token) => {
          const out = await factory
            .logs(region)
            .send(new DescribeMetricFiltersCommand({ logGroupName, ...(token ? { nextToken: token } : {}) }));
          return { items: out.metricFilters ?? [], next: out.nextToken };
        });
        return {
          MetricFilters: filters.map((f): MetricFilter => ({
            filterName: f.filterName ?? '',
            filterPattern: f.filterPattern ?? '',
            metricTransformations: (f.metricTransformations ?? []).map((t) =>
              compact({
                metricName: t.metricName ?? '',
                metricNamespace: t.metricNamespace ?? '',
                dimensions: t.dimensions && Object.keys(t.dimensions).length > 0 ? t.dimensions : undefined,
              }),
            ),
          })),
        };
      });
      return { LogGroupArn: arn, logGroupName, Region: region, metricFilters };
    }),
  );
  return records.sort((a, b) => a.LogGroupArn.localeCompare(b.LogGroupArn));
}

/** One DescribeAlarms listing per Region that has filters, keeping the alarms on the filters' metrics. */
async function readAlarms(
  factory: AwsClientFactory,
  logGroups: readonly LogGroupRecord[],
): Promise<AlarmListing[]> {
  const metricsByRegion = new Map<string, Set<string>>();
  for (const group of logGroups) {
    if (!group.metricFilters.ok) continue;
    for (const filter of group.metricFilters.value.MetricFilters)
      for (const t of filter.metricTransformations) {
        const metrics = metricsByRegion.get(group.Region) ?? new Set<string>();
        metrics.add(metricKey(t.metricNamespace, t.metricName));
        metricsByRegion.set(group.Region, metrics);
      }
  }
  const listings = await Promise.all(
    [...metricsByRegion.entries()].map(async ([region, metrics]): Promise<AlarmListing> => {
      const result = await observe('cloudwatch', 'DescribeAlarms', region, async () => {
        const alarms = await allPages(async (token) => {
          const out = await factory.cloudWatch(region).send(
            new DescribeAlarmsCommand({
              AlarmTypes: ['MetricAlarm'],
              // AWS's largest page (its default is 50): an account with thousands of alarms costs half the calls.
              MaxRecords: ALARMS_PER_PAGE,
              ...(token ? { NextToken: token } : {}),
            }),
          );
          return { items: out.MetricAlarms ?? [], next: out.NextToken };
        });
        const watching = alarms.filter(
          (a) => a.MetricName && a.Namespace && metrics.has(metricKey(a.Namespace, a.MetricName)),
        );
        return {
          MetricAlarms: watching
            .map((a): MetricAlarm =>
              compact({
                AlarmName: a.AlarmName ?? '',
                AlarmArn: a.AlarmArn,
                MetricName: a.MetricName,
                Namespace: a.Namespace,
                Dimensions: a.Dimensions?.map((d) => ({ Name: d.Name ?? '', Value: d.Value ?? '' })),
                ActionsEnabled: a.ActionsEnabled,
                AlarmActions: a.AlarmActions,
              }),
            )
            .sort((x, y) => x.AlarmName.localeCompare(y.AlarmName)),
        };
      });
      return { region, result };
    }),
  );
  return listings.sort((a, b) => a.region.localeCompare(b.region));
}

/** The subscriptions of each SNS topic an enabled alarm notifies, read in the topic's Region. */
async function readTopics(
  factory: AwsClientFactory,
  alarms: readonly AlarmListing[],
): Promise<TopicRecord[]> {
  const topics = new Map<string, string>();
  for (const listing of alarms) {
    if (!listing.result.ok) continue;
    for (const alarm of listing.result.value.MetricAlarms) {
      if (alarm.ActionsEnabled === false) continue;
      for (const action of alarm.AlarmActions ?? []) {
        const region = snsTopicRegion(action);
        if (region !== undefined) topics.set(action, region);
      }
    }
  }
  // Another account's topic is asked too: its topic policy may let this identity list it; if not, the
  // denial is the evidence (UNKNOWN, naming the permission), never a pass.
  const records = await Promise.all(
    [...topics.entries()].map(([TopicArn, region]) => readTopic(factory, TopicArn, region)),
  );
  return records.sort((a, b) => a.TopicArn.localeCompare(b.TopicArn));
}

/** One topic's subscriptions, read in the topic's Region (also for the topic `--alert-topic` names). */
export async function readTopic(
  factory: AwsClientFactory,
  TopicArn: string,
  region: string,
): Promise<TopicRecord> {
  const subscriptions = await observe('sns', 'ListSubscriptionsByTopic', region, async () => {
    const all = await allPages(async (token) => {
      const out = await factory
        .sns(region)
        .send(new ListSubscriptionsByTopicCommand({ TopicArn, ...(token ? { NextToken: token } : {}) }));
      return { items: out.Subscriptions ?? [], next: out.NextToken };
    });
    return {
      Subscriptions: all.map((s) =>
        compact({ SubscriptionArn: s.SubscriptionArn ?? '', Protocol: s.Protocol }),
      ),
    };
  });
  return { TopicArn, Region: region, subscriptions };
}

/** The chain as far as the controls asked: filters, then alarms, then topics. */
export async function readMonitoring(
  factory: AwsClientFactory,
  trails: readonly TrailRecord[],
  account: string,
  kinds: ReadonlySet<EvidenceKind>,
): Promise<Monitoring> {
  const logGroups = await readLogGroups(factory, trails, account);
  const alarms = kinds.has('cloudwatch.alarms') ? await readAlarms(factory, logGroups) : [];
  const topics = kinds.has('sns.subscriptions') ? await readTopics(factory, alarms) : [];
  return { logGroups, alarms, topics };
}
