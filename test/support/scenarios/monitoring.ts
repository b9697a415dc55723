/** The CloudWatch chain of the CIS Monitoring checks, seeded in moto through the real API. */
import { UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CIS_MONITORING_PATTERNS, judgedPattern } from '../../../src/evaluate/cis-patterns.js';
import type { CisVersion } from '../../../src/evaluate/cis-patterns.js';
import { ACCOUNT } from '../aws.js';
import type { SeedClients } from '../aws.js';

export interface ChainSpec {
  /** The trail that delivers to the log group (it exists already). */
  trail: string;
  logGroup?: string;
  /** Filter name → pattern; each gets a metric of the same name and an alarm on it. */
  filters: Readonly<Record<string, string>>;
  /** Subscribe an e-mail address to the alarms' topic (moto lists it as confirmed). Default true. */
  subscribe?: boolean;
  region?: string;
  /** Point the trail at the log group (default true; false when it already is). */
  pointTrail?: boolean;
}

/**
 * Every monitoring check's CIS pattern as printed, one filter each, named after the check: `version`'s, or
 * the one judged without --framework (v1.2.0's, which passes under every version).
 */
export function printedCisFilters(version?: CisVersion): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CIS_MONITORING_PATTERNS).map(([id, versions]) => [
      id.replace('.', '-'),
      (version ? versions[version] : judgedPattern(id, undefined)?.pattern)?.text ?? '',
    ]),
  );
}

export const CHAIN_NAMESPACE = 'CISBenchmark';

/** Points the trail at a new log group, adds the filters, one alarm per filter, and the alarms' topic. */
export async function seedMonitoringChain(
  aws: SeedClients,
  spec: ChainSpec,
): Promise<{ logGroupArn: string; topicArn: string }> {
  const region = spec.region ?? 'us-east-1';
  const logs = aws.logs(region);
  const cloudWatch = aws.cloudWatch(region);
  const sns = aws.sns(region);
  try {
    const logGroup = spec.logGroup ?? `aws-cloudtrail-logs-${spec.trail}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
    const logGroupArn = `arn:aws:logs:${region}:${ACCOUNT}:log-group:${logGroup}:*`;
    if (spec.pointTrail ?? true)
      await aws.cloudtrail(region).send(
        new UpdateTrailCommand({
          Name: spec.trail,
          CloudWatchLogsLogGroupArn: logGroupArn,
          CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/CloudTrailToCloudWatchLogs`,
        }),
      );
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'security-alerts' }))).TopicArn;
    if (!topicArn) throw new Error('moto returned no topic ARN');
    if (spec.subscribe ?? true)
      await sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'secops@example.com' }),
      );
    for (const [name, pattern] of Object.entries(spec.filters)) {
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: logGroup,
          filterName: name,
          filterPattern: pattern,
          metricTransformations: [{ metricName: name, metricNamespace: CHAIN_NAMESPACE, metricValue: '1' }],
        }),
      );
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `${name}-alarm`,
          MetricName: name,
          Namespace: CHAIN_NAMESPACE,
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topicArn],
        }),
      );
    }
    return { logGroupArn, topicArn };
  } finally {
    logs.destroy();
    cloudWatch.destroy();
    sns.destroy();
  }
}
