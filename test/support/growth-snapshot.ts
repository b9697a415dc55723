/**
 * Snapshots of accounts of any size, built directly (no emulator), for the benchmark's growth curve and
 * for tests that need a large account: N trails over four Regions, one bucket per trail, a key per
 * Region. Most trails fail several controls, so judging, planning and reporting all have work to do.
 * Deterministic: the same N always gives the same snapshot.
 */
import { cloudTrailBucketPolicy, cloudTrailKeyPolicy } from '../../src/fixes/policies.js';
import type { BucketRecord, Grant, KmsKeyRecord, Snapshot, TrailRecord } from '../../src/snapshot/schema.js';
import { ACCOUNT_ID, bucketWith, noBlock, ok, snapshot, trail } from './snapshot-builder.js';

/** Two continents and both US coasts, as the moto benchmark's first Regions. */
export const GROWTH_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'];

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const OWNER = 'growth-owner-canonical-id';

/**
 * Four kinds of trail, in turn: 0 is well configured (validation, its Region's key, CloudWatch Logs,
 * a private bucket that logs access elsewhere, versioning and a year's retention); 1 to 3 each fail
 * several controls in different ways, so the planner meets every common fix.
 */
type Variant = 0 | 1 | 2 | 3;

export interface GrowthTrail {
  name: string;
  arn: string;
  region: string;
  multiRegion: boolean;
  bucket: string;
  variant: Variant;
}

/** Which trails an account of `count` trails has: every fifth multi-Region, homes round the Regions. */
export function growthTrails(count: number, regions: readonly string[] = GROWTH_REGIONS): GrowthTrail[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`a growth account needs 1 or more trails, not ${count}`);
  if (regions.length === 0) throw new Error('a growth account needs at least one Region');
  return Array.from({ length: count }, (_, i) => {
    const region = regions[i % regions.length] as string;
    const name = `growth-trail-${String(i + 1).padStart(3, '0')}`;
    return {
      name,
      arn: `arn:aws:cloudtrail:${region}:${ACCOUNT_ID}:trail/${name}`,
      region,
      multiRegion: i % 5 === 0,
      bucket: `${name}-logs`,
      variant: (i % 4) as Variant,
    };
  });
}

const keyArn = (region: string) =>
  `arn:aws:kms:${region}:${ACCOUNT_ID}:key/00000000-0000-4000-8000-${region.replace(/-/g, '').padEnd(12, '0').slice(0, 12)}`;

function trailRecord(t: GrowthTrail, regions: readonly string[]): TrailRecord {
  const { region, variant } = t;
  const healthy = variant === 0;
  return trail({
    Name: t.name,
    HomeRegion: region,
    S3BucketName: t.bucket,
    IsMultiRegionTrail: t.multiRegion,
    LogFileValidationEnabled: healthy,
    ...(healthy
      ? {
          KmsKeyId: keyArn(region),
          CloudWatchLogsLogGroupArn: `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:cloudtrail/${t.name}:*`,
          CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/CloudTrailToCloudWatch`,
        }
      : {}),
    seenIn: t.multiRegion ? [...regions] : [region],
    status: ok(
      variant === 3
        ? { IsLogging: false, StopLoggingTime: '2026-11-01T08:00:00.000Z' }
        : {
            IsLogging: true,
            LatestDeliveryTime: variant === 2 ? '2026-11-20T10:00:00.000Z' : '2026-11-24T09:55:00.000Z',
            ...(variant === 2 ? { LatestDeliveryError: 'AccessDenied' } : {}),
          },
      'cloudtrail:GetTrailStatus',
      region,
    ),
    selectors: ok(
      variant === 3
        ? { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }
        : { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
      'cloudtrail:GetEventSelectors',
      region,
    ),
    insights: ok(
      { InsightSelectors: healthy ? [{ InsightType: 'ApiCallRateInsight' }] : [] },
      'cloudtrail:GetInsightSelectors',
      region,
    ),
    tags: ok(
      { TagsList: healthy || variant === 1 ? [{ Key: 'Owner', Value: 'security' }] : [] },
      'cloudtrail:ListTags',
      region,
    ),
  });
}

function bucketPolicy(t: GrowthTrail): string {
  const scoped = JSON.parse(cloudTrailBucketPolicy('aws', ACCOUNT_ID, t.bucket, t.arn)) as {
    Statement: Array<Record<string, unknown>>;
  };
  if (t.variant === 0 || t.variant === 3) return JSON.stringify(scoped);
  const [aclCheck, write] = scoped.Statement;
  // 1: anyone may read the logs; 2: any trail of any account may write into the bucket (no aws:SourceArn).
  const extra =
    t.variant === 1
      ? [
          aclCheck,
          write,
          {
            Sid: 'PublicRead',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${t.bucket}/*`,
          },
        ]
      : [
          aclCheck,
          { ...write, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
        ];
  return JSON.stringify({ Version: '2012-10-17', Statement: extra });
}

function bucketRecord(t: GrowthTrail): BucketRecord {
  const { region, variant } = t;
  const healthy = variant === 0;
  const grants: Grant[] = [{ Grantee: { Type: 'CanonicalUser', ID: OWNER }, Permission: 'FULL_CONTROL' }];
  // 2: the ACL grants everyone read too.
  if (variant === 2) grants.push({ Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' });
  return bucketWith(
    t.bucket,
    {
      logging: ok(
        healthy
          ? { LoggingEnabled: { TargetBucket: `growth-access-logs-${region}`, TargetPrefix: `${t.bucket}/` } }
          : variant === 3
            ? // Into itself: TC.AccessLogTarget fails.
              { LoggingEnabled: { TargetBucket: t.bucket, TargetPrefix: 'access/' } }
            : {},
        's3:GetBucketLogging',
        region,
      ),
      acl: ok({ Owner: { ID: OWNER }, Grants: grants }, 's3:GetBucketAcl', region),
      policy: ok({ Policy: bucketPolicy(t) }, 's3:GetBucketPolicy', region),
      publicAccessBlock: ok(
        healthy
          ? {
              Configured: true,
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: true,
              RestrictPublicBuckets: true,
            }
          : { Configured: false },
        's3:GetPublicAccessBlock',
        region,
      ),
      policyStatus: ok({ IsPublic: variant === 1 }, 's3:GetBucketPolicyStatus', region),
      versioning: ok(healthy ? { Status: 'Enabled' } : {}, 's3:GetBucketVersioning', region),
      objectLock: ok({}, 's3:GetObjectLockConfiguration', region),
      lifecycle: ok(
        healthy
          ? { Rules: [{ ID: 'keep-a-year', Status: 'Enabled', Filter: {}, Expiration: { Days: 400 } }] }
          : { Rules: [] },
        's3:GetBucketLifecycleConfiguration',
        region,
      ),
    },
    region,
  );
}

/** One key per Region, enabled, whose policy lets CloudTrail use it for the Region's healthy trails. */
function keyRecords(trails: readonly GrowthTrail[], regions: readonly string[]): KmsKeyRecord[] {
  return regions.flatMap((region) => {
    const users = trails.filter((t) => t.variant === 0 && t.region === region).map((t) => t.arn);
    const [first] = users;
    if (first === undefined) return [];
    const policy = JSON.parse(cloudTrailKeyPolicy('aws', ACCOUNT_ID, first)) as {
      Statement: Array<{ Condition?: { StringEquals?: Record<string, unknown> } }>;
    };
    for (const statement of policy.Statement) {
      const equals = statement.Condition?.StringEquals;
      if (equals?.['aws:SourceArn'] !== undefined) equals['aws:SourceArn'] = users;
    }
    const arn = keyArn(region);
    return [
      {
        KeyId: arn,
        Region: region,
        describe: ok(
          {
            KeyId: arn.split('/')[1],
            Arn: arn,
            KeyState: 'Enabled',
            Enabled: true,
            KeyManager: 'CUSTOMER',
            Origin: 'AWS_KMS',
          },
          'kms:DescribeKey',
          region,
        ),
        policy: ok({ Policy: JSON.stringify(policy) }, 'kms:GetKeyPolicy', region),
      },
    ];
  });
}

/**
 * The snapshot of an account of `count` trails over `regions`, every piece of evidence read (no
 * CloudTrail Lake stores, account-level Block Public Access off). Validated by the snapshot schema.
 */
export function growthSnapshot(count: number, regions: readonly string[] = GROWTH_REGIONS): Snapshot {
  const trails = growthTrails(count, regions);
  return snapshot({
    regions: [...regions],
    trails: trails.map((t) => trailRecord(t, regions)),
    buckets: trails.map(bucketRecord),
    kmsKeys: keyRecords(trails, regions),
    // The healthy trails' log groups have no metric filter yet: every CIS Monitoring check fails, read.
    monitoring: {
      logGroups: trails
        .filter((t) => t.variant === 0)
        .map((t) => ({
          LogGroupArn: `arn:aws:logs:${t.region}:${ACCOUNT_ID}:log-group:cloudtrail/${t.name}:*`,
          logGroupName: `cloudtrail/${t.name}`,
          Region: t.region,
          metricFilters: ok({ MetricFilters: [] }, 'logs:DescribeMetricFilters', t.region),
        })),
      alarms: [],
      topics: [],
    },
    // Each Region: AWS Config off, one default VPC without a flow log, no key of its own to rotate (read).
    config: {
      regions: regions.map((region) => ({
        region,
        recorders: ok({ ConfigurationRecorders: [] }, 'config:DescribeConfigurationRecorders', region),
        statuses: ok(
          { ConfigurationRecordersStatus: [] },
          'config:DescribeConfigurationRecorderStatus',
          region,
        ),
        channels: ok({ DeliveryChannels: [] }, 'config:DescribeDeliveryChannels', region),
      })),
    },
    flowLogs: {
      regions: regions.map((region) => ({
        region,
        vpcs: ok({ Vpcs: [{ VpcId: `vpc-${region}`, IsDefault: true }] }, 'ec2:DescribeVpcs', region),
        flowLogs: ok({ FlowLogs: [] }, 'ec2:DescribeFlowLogs', region),
      })),
    },
    keyRotation: {
      listings: regions.map((region) => ({
        region,
        result: ok({ KeyCount: 0, Unread: 0 }, 'kms:ListKeys', region),
      })),
      keys: [],
    },
    accountPublicAccessBlock: noBlock('s3control:GetPublicAccessBlock'),
    eventDataStores: {
      discovery: regions.map((region) => ({
        region,
        result: ok({ EventDataStoreArns: [] }, 'cloudtrail:ListEventDataStores', region),
      })),
      stores: [],
    },
  });
}
