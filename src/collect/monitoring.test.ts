/**
 * What the monitoring chain costs in calls when an account has thousands of alarms: one paginated
 * DescribeAlarms a Region, at AWS's largest page. AWS is stood in for by middleware that answers each
 * call itself (moto returns every alarm in one page, so it cannot show paging).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsClientFactory } from '../aws/clients.js';
import { EVIDENCE_KINDS } from '../snapshot/schema.js';
import { ACCOUNT_ID, trail } from '../../test/support/snapshot-builder.js';
import { LOG_GROUP, LOG_GROUP_ARN, TOPIC_ARN } from '../../test/support/monitoring-fixtures.js';
import { ALARMS_PER_PAGE, readMonitoring } from './monitoring.js';

/** Answers `DescribeAlarms` from `alarms`, `MaxRecords` at a time (AWS's default page: 50). */
function stubbedFactory(alarms: number) {
  const factory = new AwsClientFactory({
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  const calls: Record<string, number> = {};
  const answer =
    (service: string, respond: (input: Record<string, unknown>) => object) =>
    () =>
    (args: { input: object }) => {
      calls[service] = (calls[service] ?? 0) + 1;
      return Promise.resolve({
        output: { $metadata: {}, ...respond(args.input as Record<string, unknown>) },
        response: {},
      });
    };
  factory.logs('us-east-1').middlewareStack.add(
    answer('logs:DescribeMetricFilters', () => ({
      metricFilters: [
        {
          filterName: 'watch',
          logGroupName: LOG_GROUP,
          filterPattern: '{ $.userIdentity.type = "Root" }',
          metricTransformations: [
            { metricName: 'Watched', metricNamespace: 'CISBenchmark', metricValue: '1' },
          ],
        },
      ],
    })),
    { step: 'initialize', name: 'stubLogs' },
  );
  factory.cloudWatch('us-east-1').middlewareStack.add(
    answer('cloudwatch:DescribeAlarms', (input) => {
      const size = (input['MaxRecords'] as number | undefined) ?? 50;
      const start = Number(input['NextToken'] ?? 0);
      const page = Array.from({ length: Math.min(size, alarms - start) }, (_, i) => ({
        AlarmName: start + i === 0 ? 'watch-alarm' : `noise-${start + i}`,
        MetricName: start + i === 0 ? 'Watched' : `Noise${start + i}`,
        Namespace: start + i === 0 ? 'CISBenchmark' : 'Other',
        ActionsEnabled: true,
        AlarmActions: [TOPIC_ARN],
      }));
      return { MetricAlarms: page, ...(start + size < alarms ? { NextToken: String(start + size) } : {}) };
    }),
    { step: 'initialize', name: 'stubAlarms' },
  );
  factory.sns('us-east-1').middlewareStack.add(
    answer('sns:ListSubscriptionsByTopic', () => ({
      Subscriptions: [{ SubscriptionArn: `${TOPIC_ARN}:1`, Protocol: 'email' }],
    })),
    { step: 'initialize', name: 'stubSns' },
  );
  return { factory, calls };
}

describe('readMonitoring at scale', () => {
  for (const alarms of [1, 100, 1_000, 5_000])
    it(`${alarms} alarms in the Region: ${Math.ceil(alarms / ALARMS_PER_PAGE)} DescribeAlarms, one call for each other link`, async () => {
      const { factory, calls } = stubbedFactory(alarms);
      try {
        const trails = [trail({ Name: 'Main', CloudWatchLogsLogGroupArn: LOG_GROUP_ARN })];
        const monitoring = await readMonitoring(factory, trails, ACCOUNT_ID, new Set(EVIDENCE_KINDS));
        assert.deepEqual(calls, {
          'logs:DescribeMetricFilters': 1,
          'cloudwatch:DescribeAlarms': Math.ceil(alarms / ALARMS_PER_PAGE),
          // Only the alarm on the filter's metric is kept, so only its topic is asked about.
          'sns:ListSubscriptionsByTopic': 1,
        });
        const [listing] = monitoring.alarms;
        assert.ok(listing?.result.ok);
        assert.deepEqual(
          listing.result.value.MetricAlarms.map((a) => a.AlarmName),
          ['watch-alarm'],
        );
      } finally {
        factory.destroy();
      }
    });
});
