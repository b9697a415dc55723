/**
 * More scenario building blocks, all through the real AWS API: trails with the settings builders.ts does
 * not cover (CloudWatch Logs, tags, key prefix), public and private bucket settings, account-level Block
 * Public Access, versioning, Object Lock and lifecycle rules, and scanners with hand-written IAM policies.
 */
import { CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { Tag } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { DefaultRetention, LifecycleRule, PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import {
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { cloudTrailBucketPolicy } from '../../../src/fixes/policies.js';
import { ACCOUNT, TEST_CREDENTIALS } from '../aws.js';
import type { SeedClients } from '../aws.js';
import type { MotoSuite } from '../moto-suite.js';
import { createTrail } from './builders.js';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

export const trailArn = (name: string, region = 'us-east-1') =>
  `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of the CloudTrail bucket policy AWS documents, scoped to one trail. */
export function cloudTrailStatements(
  bucket: string,
  trailName: string,
  region = 'us-east-1',
): PolicyStatement[] {
  const policy = JSON.parse(cloudTrailBucketPolicy('aws', ACCOUNT, bucket, trailArn(trailName, region))) as {
    Statement: PolicyStatement[];
  };
  return policy.Statement;
}

export async function putBucketPolicy(
  aws: SeedClients,
  bucket: string,
  statements: PolicyStatement[],
  region = 'us-east-1',
): Promise<string> {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  await aws.s3(region).send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
  return policy;
}

/** A trail bucket whose policy is the CloudTrail policy plus `extra` statements. */
export async function createTrailBucketWith(
  aws: SeedClients,
  bucket: string,
  trailName: string,
  extra: PolicyStatement[],
  region = 'us-east-1',
): Promise<string> {
  await aws.s3(region).send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-1' } }),
    }),
  );
  return putBucketPolicy(aws, bucket, [...cloudTrailStatements(bucket, trailName, region), ...extra], region);
}

/** Grants a permission on the bucket to a global group (AllUsers, AuthenticatedUsers) through the ACL. */
export async function grantToGroup(
  aws: SeedClients,
  bucket: string,
  group: string,
  permission: 'READ' | 'WRITE' | 'READ_ACP' = 'READ',
  region = 'us-east-1',
): Promise<void> {
  const grant = `uri="${group}"`;
  await aws.s3(region).send(
    new PutBucketAclCommand({
      Bucket: bucket,
      ...(permission === 'READ' ? { GrantRead: grant } : {}),
      ...(permission === 'WRITE' ? { GrantWrite: grant } : {}),
      ...(permission === 'READ_ACP' ? { GrantReadACP: grant } : {}),
    }),
  );
}

export const BLOCK_ALL: PublicAccessBlockConfiguration = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export async function putBucketPublicAccessBlock(
  aws: SeedClients,
  bucket: string,
  configuration: PublicAccessBlockConfiguration,
  region = 'us-east-1',
): Promise<void> {
  await aws
    .s3(region)
    .send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: configuration }));
}

/**
 * The account-wide Block Public Access settings (S3 Control). The SDK puts the account id in front of the
 * host, which a loopback endpoint cannot take: a fixed endpoint provider sends it to moto as is.
 */
export async function putAccountPublicAccessBlock(
  suite: MotoSuite,
  configuration: PublicAccessBlockConfiguration,
): Promise<void> {
  const client = new S3ControlClient({
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    endpointProvider: () => ({ url: new URL(`${suite.moto.endpoint}/`) }),
  });
  try {
    await client.send(
      new PutAccountPublicAccessBlockCommand({
        AccountId: ACCOUNT,
        PublicAccessBlockConfiguration: configuration,
      }),
    );
  } finally {
    client.destroy();
  }
}

export async function setVersioning(
  aws: SeedClients,
  bucket: string,
  status: 'Enabled' | 'Suspended',
  region = 'us-east-1',
): Promise<void> {
  await aws
    .s3(region)
    .send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));
}

/** A bucket created with Object Lock (which turns versioning on), with a default retention when given. */
export async function createLockedTrailBucket(
  aws: SeedClients,
  bucket: string,
  trailName: string,
  retention?: DefaultRetention,
): Promise<void> {
  await aws.s3().send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  await putBucketPolicy(aws, bucket, cloudTrailStatements(bucket, trailName));
  if (retention) {
    await aws.s3().send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: retention } },
      }),
    );
  }
}

export async function putLifecycle(
  aws: SeedClients,
  bucket: string,
  rules: LifecycleRule[],
  region = 'us-east-1',
): Promise<void> {
  await aws.s3(region).send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: rules },
    }),
  );
}

export interface TrailOptions {
  name: string;
  bucket: string;
  region?: string;
  multiRegion?: boolean;
  organization?: boolean;
  s3KeyPrefix?: string;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  tags?: Tag[];
  /** Default true. */
  logging?: boolean;
}

/** A trail with the settings builders.createTrail leaves out; moto gives it no event selectors. */
export async function createTrailWith(aws: SeedClients, options: TrailOptions): Promise<string> {
  const client = aws.cloudtrail(options.region ?? 'us-east-1');
  const out = await client.send(
    new CreateTrailCommand({
      Name: options.name,
      S3BucketName: options.bucket,
      IsMultiRegionTrail: options.multiRegion ?? false,
      ...(options.organization ? { IsOrganizationTrail: true } : {}),
      ...(options.s3KeyPrefix ? { S3KeyPrefix: options.s3KeyPrefix } : {}),
      ...(options.cloudWatchLogsLogGroupArn
        ? {
            CloudWatchLogsLogGroupArn: options.cloudWatchLogsLogGroupArn,
            CloudWatchLogsRoleArn: options.cloudWatchLogsRoleArn,
          }
        : {}),
      ...(options.tags ? { TagsList: options.tags } : {}),
    }),
  );
  // By name: moto 5.2.1 cannot start logging by ARN.
  if (options.logging ?? true) await client.send(new StartLoggingCommand({ Name: options.name }));
  if (!out.TrailARN) throw new Error('moto returned no trail ARN');
  return out.TrailARN;
}

/**
 * Creates an IAM user with exactly this policy, then switches moto to enforce IAM. For scanners whose
 * permissions depend on the resource, e.g. S3 reads allowed on the account's own buckets only, which is how
 * a log bucket owned by another account looks to a scan.
 */
export async function scannerWithPolicy(
  suite: MotoSuite,
  statements: PolicyStatement[],
  userName = 'trailcheck-scanner',
) {
  const iam = suite.aws.iam();
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: userName,
      PolicyName: 'scan',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }, ...statements],
      }),
    }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const accessKeyId = key.AccessKey?.AccessKeyId;
  const secretAccessKey = key.AccessKey?.SecretAccessKey;
  if (!accessKeyId || !secretAccessKey) throw new Error('moto returned no access key');
  await suite.moto.enforceIam();
  return { accessKeyId, secretAccessKey };
}

/**
 * Writes `trailcheck fix` makes that moto 5.2.1 authorises under other names (its S3 action map): the
 * bucket-level Put/DeletePublicAccessBlock as s3:PutPublicAccessBlock and s3:DeletePublicAccessBlock
 * (AWS: s3:PutBucketPublicAccessBlock), PutBucketEncryption as s3:CreateBucket (AWS:
 * s3:PutEncryptionConfiguration), HeadBucket as s3:HeadBucket (AWS: s3:ListBucket).
 */
export const MOTO_FIX_EXTRA_ACTIONS: readonly string[] = [
  's3:PutPublicAccessBlock',
  's3:DeletePublicAccessBlock',
  's3:HeadBucket',
  's3:CreateBucket',
];

/**
 * Actions moto 5.2.1 checks in place of the ones AWS checks, which a restricted scanner on moto needs on
 * top of scanActions(): the account-level GetPublicAccessBlock (S3 Control) needs s3:GetPublicAccessBlock
 * and s3:ListBucket (AWS: s3:GetAccountPublicAccessBlock), and the bucket-level GetPublicAccessBlock,
 * GetBucketPolicyStatus and GetObjectLockConfiguration fall through moto's S3 action map to s3:ListBucket;
 * CloudWatch's DescribeAlarms is checked as monitoring:DescribeAlarms.
 */
export const MOTO_EXTRA_ACTIONS: readonly string[] = [
  's3:GetPublicAccessBlock',
  's3:ListBucket',
  // moto names the action by the request's signing name, which is `monitoring` for CloudWatch.
  'monitoring:DescribeAlarms',
];

/** A restricted scanner on moto: exactly these AWS actions, plus the ones moto checks instead. */
export const withMotoQuirks = (actions: readonly string[]): string[] => [...actions, ...MOTO_EXTRA_ACTIONS];

/**
 * Trail Audit (multi-Region) delivering to audit-logs, a bucket public through a policy statement and an
 * ACL grant: a fix of it creates a key, a role, a log group and a bucket among policy and trail changes.
 */
export async function exposedAccount(aws: SeedClients, logFileValidation = false): Promise<void> {
  await createTrailBucketWith(aws, 'audit-logs', 'Audit', [
    {
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::audit-logs/*',
    },
  ]);
  await grantToGroup(aws, 'audit-logs', ALL_USERS);
  await createTrail(aws, { name: 'Audit', bucket: 'audit-logs', multiRegion: true, logFileValidation });
}
