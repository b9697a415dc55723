/** The CloudWatch chain of the CIS Monitoring checks, seeded in moto through the real API. */
import { UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ACCOUNT, TEST_CREDENTIALS } from '../aws.js';
import type { SeedClients } from '../aws.js';
import type { MotoServer } from '../moto.js';

export interface ChainSpec {
  /** The trail that delivers to the log group (it exists already). */
  trail: string;
  logGroup?: string;
  /** Filter name → pattern; each gets a metric of the same name and an alarm on it. */
  filters: Readonly<Record<string, string>>;
  /** Subscribe an e-mail address to the alarms' topic (moto lists it as confirmed). Default true. */
  subscribe?: boolean;
  region?: string;
}

export const CHAIN_NAMESPACE = 'CISBenchmark';

/** Points the trail at a new log group, adds the filters, one alarm per filter, and the alarms' topic. */
export async function seedMonitoringChain(
  moto: MotoServer,
  aws: SeedClients,
  spec: ChainSpec,
): Promise<{ logGroupArn: string; topicArn: string }> {
  const region = spec.region ?? 'us-east-1';
  const base = { region, endpoint: moto.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const logs = new CloudWatchLogsClient(base);
  const cloudWatch = new CloudWatchClient(base);
  const sns = new SNSClient(base);
  try {
    const logGroup = spec.logGroup ?? `aws-cloudtrail-logs-${spec.trail}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
    const logGroupArn = `arn:aws:logs:${region}:${ACCOUNT}:log-group:${logGroup}:*`;
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
