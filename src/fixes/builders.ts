/**
 * The fixes controls propose, as API calls built from the account's real names. Each only adds or turns
 * on; the planner (plan.ts) merges them, orders them, computes each call's undo from the evidence, and
 * checks on a simulation of the account that they close the finding and weaken nothing.
 */
import { accountOfArn } from '../core/arn.js';
import type { SnapshotView } from '../evaluate/view.js';
import { code, rich } from '../core/rich.js';
import type { TrailRecord } from '../snapshot/schema.js';
import type { ApiCall, CallInput, Json } from './calls.js';
import { ref } from './calls.js';
import { firstFree, suggestBucketName } from './names.js';
import { accessLogBucketPolicy, cloudTrailBucketPolicy, cloudTrailKeyPolicy } from './policies.js';
import {
  CLOUDWATCH_LOGS_COST,
  KMS_REQUESTS_COST,
  NEW_KMS_KEY_COST,
  managementCopyCost,
  newBucketCost,
} from './costs.js';
import type { FixProposal } from '../core/finding.js';

export function apiCall(
  service: ApiCall['service'],
  operation: string,
  region: string,
  input: CallInput,
  output?: string,
): ApiCall {
  return { service, operation, region, input, ...(output !== undefined ? { output } : {}) };
}

/** Block Public Access, all four settings on, in the order the console shows them. */
export const BLOCK_ALL: { [key: string]: Json } = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/** Tags trailcheck puts on a trail it creates, so people can tell where it came from. */
export const CREATED_BY = [{ Key: 'created-by', Value: 'trailcheck' }];

// ---- Names of what a fix creates --------------------------------------------------------------------

function existing(view: SnapshotView) {
  return view.options.remediation?.existing ?? {};
}

function bucketTaken(view: SnapshotView, name: string): boolean {
  return view.bucket(name) !== undefined || (existing(view).buckets ?? []).includes(name);
}

/** `<bucket>-access-logs`, or `-access-logs-2`… when that name is taken. */
export function accessLogBucketName(view: SnapshotView, source: string): string {
  return firstFree(
    (n) => suggestBucketName(source, n === 1 ? 'access-logs' : `access-logs-${n}`),
    (name) => bucketTaken(view, name),
  );
}

/** The start of every role cloudWatchIntegration creates: iam-policy --for fix lets only these be passed. */
export const CLOUDWATCH_ROLE_PREFIX = 'CloudTrailToCloudWatchLogs-';

/** IAM role names: at most 64 characters of [\w+=,.@-]. */
export function cloudWatchRoleName(view: SnapshotView, trail: string): string {
  const base = `${CLOUDWATCH_ROLE_PREFIX}${trail}`.replace(/[^\w+=,.@-]/g, '-');
  const roles = existing(view).roles ?? [];
  return firstFree(
    (n) => (n === 1 ? base.slice(0, 64) : `${base.slice(0, 64 - String(n).length - 1)}-${n}`),
    (name) => roles.includes(name),
  );
}

export function keyAliasName(view: SnapshotView, trail: string): string {
  const base = `alias/cloudtrail-${trail.replace(/[^A-Za-z0-9/_-]/g, '-')}`.slice(0, 240);
  const aliases = existing(view).aliases ?? [];
  return firstFree(
    (n) => (n === 1 ? base : `${base}-${n}`),
    (name) => aliases.includes(name),
  );
}

/** Input fields every call on an existing bucket carries: S3 then refuses a bucket another account owns. */
function owned(view: SnapshotView): CallInput {
  return { ExpectedBucketOwner: view.accountId };
}

/** CreateBucket, which differs in us-east-1 (no LocationConstraint). */
export function createBucketCall(bucket: string, region: string): ApiCall {
  return apiCall(
    's3',
    'CreateBucket',
    region,
    region === 'us-east-1'
      ? { Bucket: bucket }
      : { Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region } },
  );
}

export function blockPublicAccessCall(view: SnapshotView, bucket: string, region: string): ApiCall {
  return apiCall('s3', 'PutPublicAccessBlock', region, {
    Bucket: bucket,
    PublicAccessBlockConfiguration: BLOCK_ALL,
    ...owned(view),
  });
}

export function bucketPolicyCall(
  view: SnapshotView,
  bucket: string,
  region: string,
  policy: string,
): ApiCall {
  return apiCall('s3', 'PutBucketPolicy', region, { Bucket: bucket, Policy: policy, ...owned(view) });
}

// ---- CloudTrail.4 -----------------------------------------------------------------------------------

export function enableLogFileValidation(trail: TrailRecord): FixProposal {
  const { Name, HomeRegion } = trail.config;
  return {
    summary: rich`Enable “Log file integrity validation” on ${code(Name)}.`,
    calls: [apiCall('cloudtrail', 'UpdateTrail', HomeRegion, { Name, EnableLogFileValidation: true })],
    console: [
      `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
      'In General details, choose Edit.',
      'Under Additional settings, set Log file validation to Enabled, then choose Save changes.',
    ],
  };
}

// ---- CloudTrail.7 and TC.AccessLogTarget ------------------------------------------------------------

/**
 * A separate access-log bucket in the source bucket's account and Region (Block Public Access on, SSE-S3,
 * a policy that lets only the S3 logging service deliver, and only for the source bucket), then access
 * logging on the source bucket into it.
 */
export function enableAccessLogging(view: SnapshotView, bucket: string, region: string): FixProposal {
  const target = accessLogBucketName(view, bucket);
  const prefix = `${bucket}/`;
  return {
    summary: rich`Create a new S3 bucket (e.g. ${code(target)}) in ${region} and set it as the access log target of ${code(bucket)}.`,
    calls: [
      createBucketCall(target, region),
      blockPublicAccessCall(view, target, region),
      apiCall('s3', 'PutBucketEncryption', region, {
        Bucket: target,
        // Access log delivery supports SSE-S3 on the target bucket, not SSE-KMS.
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        ...owned(view),
      }),
      bucketPolicyCall(
        view,
        target,
        region,
        accessLogBucketPolicy(view.partition, view.accountId, target, bucket),
      ),
      apiCall('s3', 'PutBucketLogging', region, {
        Bucket: bucket,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: prefix } },
        ...owned(view),
      }),
    ],
    console: [
      `Open the S3 console and choose Create bucket: name it ${target}, Region ${region}, keep “Block all public access” on.`,
      `Open bucket ${bucket}, choose Properties, then Server access logging, Edit.`,
      `Choose Enable, set the destination to s3://${target}/${prefix}, then Save changes (the console adds the bucket policy the logging service needs).`,
    ],
    notes: [newBucketCost(target)],
  };
}

// ---- CloudTrail.2 -----------------------------------------------------------------------------------

/** The key must live in the Region of the bucket the logs go to. */
export function keyRegionFor(view: SnapshotView, trail: TrailRecord): string {
  const bucket = trail.config.S3BucketName ? view.bucket(trail.config.S3BucketName) : undefined;
  return bucket?.location?.ok ? bucket.location.value.Region : trail.config.HomeRegion;
}

/** A key ARN's Region, or undefined when it is not an ARN. */
function regionOfKeyArn(arn: string): string | undefined {
  return /^arn:[^:]+:kms:([^:]+):\d{12}:key\//.exec(arn)?.[1];
}

/**
 * SSE-KMS for a trail: with `--kms-key`, that key (it must be in the bucket's Region); otherwise a new key
 * whose policy lets CloudTrail encrypt this trail's logs and the account read them, with rotation on.
 */
export function encryptTrail(view: SnapshotView, trail: TrailRecord): FixProposal | undefined {
  const { Name, HomeRegion, TrailARN } = trail.config;
  const keyRegion = keyRegionFor(view, trail);
  const given = view.options.remediation?.kmsKeyArn;
  const console = (alias: string) => [
    `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
    'In General details, choose Edit.',
    alias
      ? `Set Log file SSE-KMS encryption to Enabled, choose New, and enter the alias ${alias.replace(/^alias\//, '')} (CloudTrail writes the key policy for you), then choose Save changes.`
      : `Set Log file SSE-KMS encryption to Enabled, choose Existing, and pick ${given ?? ''}, then choose Save changes.`,
  ];
  if (given !== undefined) {
    // CloudTrail refuses a key in another Region than the bucket: that trail needs another key.
    if (regionOfKeyArn(given) !== keyRegion) return undefined;
    return {
      summary: rich`Turn on SSE-KMS encryption for ${code(Name)} with the key ${code(given)}.`,
      calls: [apiCall('cloudtrail', 'UpdateTrail', HomeRegion, { Name, KmsKeyId: given })],
      console: console(''),
      notes: [
        `The key policy of ${given} must let cloudtrail.amazonaws.com call kms:GenerateDataKey* for this trail; CloudTrail refuses the change otherwise.`,
        KMS_REQUESTS_COST,
      ],
    };
  }
  const alias = keyAliasName(view, Name);
  const key = `${alias.replace(/^alias\//, '').replace(/[^A-Za-z0-9]+/g, '_')}_key`;
  const arn = ref(`${key}.KeyMetadata.Arn`);
  return {
    summary: rich`Create a KMS key that CloudTrail may use (alias ${code(alias)}) and turn on SSE-KMS encryption for ${code(Name)}.`,
    calls: [
      apiCall(
        'kms',
        'CreateKey',
        keyRegion,
        {
          Description: `CloudTrail log encryption for trail ${Name}`,
          Policy: cloudTrailKeyPolicy(view.partition, view.accountId, TrailARN),
        },
        key,
      ),
      apiCall('kms', 'CreateAlias', keyRegion, { AliasName: alias, TargetKeyId: arn }),
      apiCall('kms', 'EnableKeyRotation', keyRegion, { KeyId: arn }),
      apiCall('cloudtrail', 'UpdateTrail', HomeRegion, { Name, KmsKeyId: arn }),
    ],
    console: console(alias),
    notes: [NEW_KMS_KEY_COST],
  };
}

// ---- CloudTrail.5 -----------------------------------------------------------------------------------

export function cloudWatchIntegration(view: SnapshotView, trail: TrailRecord): FixProposal {
  const { Name, HomeRegion } = trail.config;
  const account = view.accountId;
  const partition = view.partition;
  const group = `aws-cloudtrail-logs-${Name}`;
  const role = cloudWatchRoleName(view, Name);
  const groupArn = `arn:${partition}:logs:${HomeRegion}:${account}:log-group:${group}`;
  const iamRegion = view.snapshot.scope.controlRegion;
  // No aws:SourceArn condition: CloudTrail documents that confused-deputy conditions do not apply to
  // this role, so a role that demands one would not be assumable and delivery would fail.
  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };
  const permissions = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${groupArn}:log-stream:${account}_CloudTrail_${HomeRegion}*`,
      },
    ],
  };
  const groupExists = (view.options.remediation?.existing?.logGroups ?? []).includes(group);
  return {
    summary: groupExists
      ? rich`Create a role CloudTrail may use (${code(role)}) and point trail ${code(Name)} at it and at the existing log group ${code(group)}.`
      : rich`Create the log group ${code(group)} and a role CloudTrail may use (${code(role)}), and point trail ${code(Name)} at them.`,
    calls: [
      ...(groupExists ? [] : [apiCall('logs', 'CreateLogGroup', HomeRegion, { logGroupName: group })]),
      apiCall('iam', 'CreateRole', iamRegion, {
        RoleName: role,
        AssumeRolePolicyDocument: JSON.stringify(trust),
        Description: `Lets CloudTrail deliver trail ${Name} to CloudWatch Logs (created by trailcheck)`,
      }),
      apiCall('iam', 'PutRolePolicy', iamRegion, {
        RoleName: role,
        PolicyName: 'cloudtrail-to-cloudwatch-logs',
        PolicyDocument: JSON.stringify(permissions),
      }),
      apiCall('cloudtrail', 'UpdateTrail', HomeRegion, {
        Name,
        CloudWatchLogsLogGroupArn: `${groupArn}:*`,
        CloudWatchLogsRoleArn: `arn:${partition}:iam::${account}:role/${role}`,
      }),
    ],
    console: [
      `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
      'In CloudWatch Logs, choose Edit, select Enabled, let the console create a new log group and IAM role, then choose Save changes.',
    ],
    notes: [CLOUDWATCH_LOGS_COST],
  };
}

// ---- CloudTrail.1, .3, TC.DeliveryHealth, TC.S3Object* -----------------------------------------------

export function startLogging(trail: TrailRecord): ApiCall {
  return apiCall('cloudtrail', 'StartLogging', trail.config.HomeRegion, { Name: trail.config.Name });
}

export function makeMultiRegion(trail: TrailRecord): ApiCall {
  const { Name, HomeRegion, IncludeGlobalServiceEvents } = trail.config;
  return apiCall('cloudtrail', 'UpdateTrail', HomeRegion, {
    Name,
    IsMultiRegionTrail: true,
    // A multi-Region trail must include global service events.
    ...(IncludeGlobalServiceEvents === false ? { IncludeGlobalServiceEvents: true } : {}),
  });
}

export function putSelectors(
  trail: TrailRecord,
  selectors: { flag: 'event-selectors' | 'advanced-event-selectors'; selectors: unknown[] },
): ApiCall {
  const field = selectors.flag === 'event-selectors' ? 'EventSelectors' : 'AdvancedEventSelectors';
  return apiCall('cloudtrail', 'PutEventSelectors', trail.config.HomeRegion, {
    TrailName: trail.config.Name,
    [field]: selectors.selectors as Json,
  });
}

export const NEW_TRAIL_NAME = 'all-regions-audit-trail';

/**
 * A multi-Region trail for an account that owns none: a private bucket with the policy CloudTrail needs
 * (scoped to the new trail), the trail with log file validation, all management events, started.
 */
export function createTrail(view: SnapshotView): FixProposal {
  const region = view.snapshot.scope.controlRegion;
  const account = view.accountId;
  const bucket = firstFree(
    (n) => `aws-cloudtrail-logs-${account}-${region}${n === 1 ? '' : `-${n}`}`,
    (name) => bucketTaken(view, name),
  );
  const trailArn = `arn:${view.partition}:cloudtrail:${region}:${account}:trail/${NEW_TRAIL_NAME}`;
  return {
    summary: rich`Create a multi-Region trail (e.g. ${code(NEW_TRAIL_NAME)}) that logs all read and write management events to a new private bucket (e.g. ${code(bucket)}), and start it.`,
    calls: [
      createBucketCall(bucket, region),
      blockPublicAccessCall(view, bucket, region),
      bucketPolicyCall(
        view,
        bucket,
        region,
        cloudTrailBucketPolicy(view.partition, account, bucket, trailArn),
      ),
      apiCall('cloudtrail', 'CreateTrail', region, {
        Name: NEW_TRAIL_NAME,
        S3BucketName: bucket,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        TagsList: CREATED_BY,
      }),
      apiCall('cloudtrail', 'PutEventSelectors', region, {
        TrailName: NEW_TRAIL_NAME,
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      }),
      apiCall('cloudtrail', 'StartLogging', region, { Name: NEW_TRAIL_NAME }),
    ],
    console: [
      `Open the CloudTrail console in ${region} and choose Create trail.`,
      `Name it ${NEW_TRAIL_NAME}, create a new S3 bucket for it, and keep log file validation enabled.`,
      'Under Management events, select both Read and Write, then create the trail (console-created trails are multi-Region and start logging at once).',
    ],
    notes: [managementCopyCost(view, NEW_TRAIL_NAME, trailArn), newBucketCost(bucket)],
  };
}

/** Whether the account owns the trail (fixes never touch another account's organization trail). */
export function ownsTrail(view: SnapshotView, trail: TrailRecord): boolean {
  return accountOfArn(trail.config.TrailARN) === view.accountId;
}
