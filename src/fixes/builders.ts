/**
 * The fix builders several controls share, as API calls built from the account's real names (a fix only
 * one control makes lives in that control's folder, fix.ts). Each only adds or turns on; the planner
 * (plan.ts) merges them, orders them, computes each call's undo from the evidence, and checks on a
 * simulation of the account that they close the finding and weaken nothing.
 */
import { accountOfArn } from '../core/arn.js';
import type { SnapshotView } from '../evaluate/view.js';
import { code, rich } from '../core/rich.js';
import type { TrailRecord } from '../snapshot/schema.js';
import { apiCall } from './calls.js';
import type { ApiCall, CallInput, Json } from './calls.js';
import { firstFree, suggestBucketName } from './names.js';
import { accessLogBucketPolicy, cloudTrailBucketPolicy } from './policies.js';
import { managementCopyCost, newBucketCost } from './costs.js';
import type { FixProposal } from '../core/finding.js';

export { apiCall };

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

/** Names that already exist (found by `trailcheck fix` before it plans), so a fix picks a free one. */
export function existingNames(view: SnapshotView) {
  return view.options.remediation?.existing ?? {};
}

function bucketTaken(view: SnapshotView, name: string): boolean {
  return view.bucket(name) !== undefined || (existingNames(view).buckets ?? []).includes(name);
}

/** `<bucket>-access-logs`, or `-access-logs-2`… when that name is taken. */
export function accessLogBucketName(view: SnapshotView, source: string): string {
  return firstFree(
    (n) => suggestBucketName(source, n === 1 ? 'access-logs' : `access-logs-${n}`),
    (name) => bucketTaken(view, name),
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
