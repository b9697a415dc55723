/**
 * Seeds moto with a benchmark account through the real AWS API: one multi-Region trail homed in the first
 * Region, and in every Region trails of their own, each writing to its own bucket in its Region. The trails
 * differ the way real accounts do: basic and advanced selectors, with and without S3 data events, some
 * narrowed to read-only; some encrypted, validated, tagged, with Insights or CloudWatch Logs; one in four
 * stopped; buckets with and without server access logging (into a log bucket per Region).
 */
import {
  AddTagsCommand,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import type { AdvancedEventSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import { ACCOUNT } from '../test/support/aws.js';
import type { SeedClients } from '../test/support/aws.js';
import {
  createBucket,
  createKey,
  createTrailBucket,
  enableAccessLogging,
} from '../test/support/scenarios/builders.js';
import { cloudTrailKeyPolicy } from '../src/controls/cloudtrail-2-kms-encryption/control.js';
import type { BenchSize } from './sizes.js';

export interface SeededTrail {
  name: string;
  arn: string;
  region: string;
  bucket: string;
}

export interface SeededAccount {
  regions: string[];
  trails: SeededTrail[];
  /** Every bucket created: trail buckets and access-log buckets. */
  buckets: string[];
}

const ALL_MANAGEMENT: EventSelector[] = [{ ReadWriteType: 'All', IncludeManagementEvents: true }];
const S3_READS: EventSelector[] = [
  {
    ReadWriteType: 'ReadOnly',
    IncludeManagementEvents: true,
    DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
  },
];
const MANAGEMENT_AND_S3: AdvancedEventSelector[] = [
  {
    Name: 'Management events selector',
    FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
  },
  {
    Name: 'S3 object events',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    ],
  },
];
const READ_ONLY_MANAGEMENT: AdvancedEventSelector[] = [
  {
    Name: 'Read-only management events',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Management'] },
      { Field: 'readOnly', Equals: ['true'] },
    ],
  },
];

interface TrailPlan {
  name: string;
  region: string;
  multiRegion: boolean;
  /** Which variant of settings: cycles through four. */
  variant: number;
}

async function seedTrail(aws: SeedClients, plan: TrailPlan, key: string | undefined): Promise<SeededTrail> {
  const { name, region, variant } = plan;
  const arn = `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;
  const bucket = `${name.toLowerCase()}-logs`;
  await createTrailBucket(aws, bucket, name, region);
  if (variant % 2 === 0) await enableAccessLogging(aws, bucket, `bench-access-logs-${region}`, region);
  const client = aws.cloudtrail(region);
  await client.send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: bucket,
      IsMultiRegionTrail: plan.multiRegion,
      EnableLogFileValidation: variant % 2 === 0,
      ...(key !== undefined && variant % 2 === 0 ? { KmsKeyId: key } : {}),
      ...(variant === 0
        ? {
            CloudWatchLogsLogGroupArn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:cloudtrail/${name}:*`,
            CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/CloudTrailToCloudWatch`,
          }
        : {}),
    }),
  );
  const selectors =
    variant === 0
      ? { EventSelectors: ALL_MANAGEMENT }
      : variant === 1
        ? { AdvancedEventSelectors: MANAGEMENT_AND_S3 }
        : variant === 2
          ? { EventSelectors: S3_READS }
          : { AdvancedEventSelectors: READ_ONLY_MANAGEMENT };
  await client.send(new PutEventSelectorsCommand({ TrailName: name, ...selectors }));
  if (variant !== 3) await client.send(new StartLoggingCommand({ Name: name }));
  if (variant <= 1)
    await client.send(
      new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'Owner', Value: 'security' }] }),
    );
  if (variant === 0) {
    await client.send(
      new PutInsightSelectorsCommand({
        TrailName: name,
        InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }],
      }),
    );
  }
  return { name, arn, region, bucket };
}

/** Seeds the account of one size into a freshly reset moto; Regions are seeded at the same time. */
export async function seedAccount(
  aws: SeedClients,
  size: BenchSize,
  regions: string[],
): Promise<SeededAccount> {
  const [home] = regions;
  if (home === undefined) throw new Error('a benchmark account needs at least one Region');
  const perRegion = await Promise.all(
    regions.map(async (region, regionIndex) => {
      const plans: TrailPlan[] = [];
      if (region === home) plans.push({ name: 'bench-org-wide', region, multiRegion: true, variant: 0 });
      for (let j = 1; j < size.trailsPerRegion; j++) {
        plans.push({
          name: `bench-${region}-${j}`,
          region,
          multiRegion: false,
          variant: (regionIndex + j) % 4,
        });
      }
      const logBucket = `bench-access-logs-${region}`;
      await createBucket(aws, logBucket, region);
      const arnOf = (name: string) => `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;
      // One key per Region, usable by each trail of the Region that encrypts.
      const key = await createKey(
        aws,
        `alias/bench-${region}`,
        region,
        keyPolicyFor(plans.map((p) => arnOf(p.name))),
      );
      const trails: SeededTrail[] = [];
      for (const plan of plans) trails.push(await seedTrail(aws, plan, key));
      return { trails, buckets: [logBucket, ...trails.map((t) => t.bucket)] };
    }),
  );
  return {
    regions,
    trails: perRegion.flatMap((r) => r.trails),
    buckets: perRegion.flatMap((r) => r.buckets).sort(),
  };
}

/** A key policy letting CloudTrail use the key for each of the given trails (aws:SourceArn lists them all). */
function keyPolicyFor(trailArns: string[]): string {
  const [first = ''] = trailArns;
  const policy = JSON.parse(cloudTrailKeyPolicy('aws', ACCOUNT, first)) as {
    Statement: Array<{ Condition?: { StringEquals?: Record<string, unknown> } }>;
  };
  for (const statement of policy.Statement) {
    const equals = statement.Condition?.StringEquals;
    if (equals?.['aws:SourceArn'] !== undefined) equals['aws:SourceArn'] = trailArns;
  }
  return JSON.stringify(policy);
}
