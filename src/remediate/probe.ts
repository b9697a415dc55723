/**
 * Before `trailcheck fix` plans, it asks AWS whether the names its fixes would create are free: a bucket,
 * role or alias that exists already is never claimed (nor deleted on rollback) as the run's own; the plan
 * picks the next free name instead. A log group that exists is used as it is. Read-only calls.
 */
import type { AwsClientFactory } from '../aws/clients.js';
import { describeFailure, explainFailure } from '../aws/errors.js';
import { sendOperation } from '../aws/operations.js';
import type { ExistingNames } from '../evaluate/view.js';
import { CannotRunError } from '../util/errors.js';
import type { NameRequest } from '../fixes/services/types.js';

export type { NameRequest } from '../fixes/services/types.js';
export { namesCreated } from '../fixes/services/registry.js';

function notFound(error: unknown, service: string, operation: string, region: string): boolean {
  const failure = describeFailure(error, service, operation, region);
  return failure.kind === 'not-found' || failure.httpStatus === 404;
}

/** Whether a name is taken; throws CannotRunError when AWS would not say. */
async function exists(factory: AwsClientFactory, request: NameRequest): Promise<boolean> {
  const { kind, name, region } = request;
  const [service, operation, input]: [string, string, Record<string, unknown>] =
    kind === 'bucket'
      ? ['s3', 'HeadBucket', { Bucket: name }]
      : kind === 'role'
        ? ['iam', 'GetRole', { RoleName: name }]
        : kind === 'alias'
          ? ['kms', 'DescribeKey', { KeyId: name }]
          : kind === 'alarm'
            ? ['cloudwatch', 'DescribeAlarms', { AlarmNames: [name] }]
            : kind === 'topic'
              ? ['sns', 'ListTopics', {}]
              : ['logs', 'DescribeLogGroups', { logGroupNamePrefix: name }];
  try {
    if (kind === 'topic') return await topicExists(factory, name, region);
    const out = await sendOperation(factory, service, operation, region, input);
    if (kind === 'alarm') return ((out as { MetricAlarms?: unknown[] }).MetricAlarms ?? []).length > 0;
    if (kind === 'logGroup') {
      const groups = (out as { logGroups?: Array<{ logGroupName?: string }> }).logGroups ?? [];
      return groups.some((g) => g.logGroupName === name);
    }
    return true;
  } catch (error) {
    if (notFound(error, service, operation, region)) return false;
    const failure = describeFailure(error, service, operation, region);
    // S3 answers 403 for a bucket that exists in another account: the name is taken all the same.
    if (kind === 'bucket' && failure.httpStatus === 403) return true;
    throw new CannotRunError(
      `cannot tell whether ${kind === 'logGroup' ? 'log group' : kind === 'topic' ? 'SNS topic' : kind} ${name} exists, so trailcheck will not create it: ${explainFailure(failure)}.`,
    );
  }
}

/** Whether a topic of that name exists in the Region: ListTopics, page by page (SNS has no lookup by name). */
async function topicExists(factory: AwsClientFactory, name: string, region: string): Promise<boolean> {
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const out = (await sendOperation(
      factory,
      'sns',
      'ListTopics',
      region,
      token ? { NextToken: token } : {},
    )) as {
      Topics?: Array<{ TopicArn?: string }>;
      NextToken?: string;
    };
    if ((out.Topics ?? []).some((t) => t.TopicArn?.split(':').pop() === name)) return true;
    token = out.NextToken;
    if (!token) return false;
  }
  return false;
}

/** Asks about each name once; returns the ones that exist, by kind. */
export async function probeNames(
  factory: AwsClientFactory,
  requests: readonly NameRequest[],
  known: Map<string, boolean>,
): Promise<void> {
  for (const request of requests) {
    const key = `${request.kind}:${request.region}:${request.name}`;
    if (known.has(key)) continue;
    known.set(key, await exists(factory, request));
  }
}

export function existingNames(known: ReadonlyMap<string, boolean>): ExistingNames {
  const names: Required<{ [K in keyof ExistingNames]: string[] }> = {
    buckets: [],
    roles: [],
    aliases: [],
    logGroups: [],
    alarms: [],
    topics: [],
  };
  for (const [key, taken] of known) {
    if (!taken) continue;
    const [kind = '', region = '', ...rest] = key.split(':');
    const name = rest.join(':');
    if (kind === 'bucket') names.buckets.push(name);
    if (kind === 'role') names.roles.push(name);
    if (kind === 'alias') names.aliases.push(name);
    if (kind === 'logGroup') names.logGroups.push(name);
    if (kind === 'alarm') names.alarms.push(`${region}:${name}`);
    if (kind === 'topic') names.topics.push(`${region}:${name}`);
  }
  return names;
}
