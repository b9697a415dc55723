import type { ControlDefinition } from './types.js';
import type { EvidenceKind } from '../snapshot/schema.js';

/** Every bucket question is asked in the bucket's own Region, found first. */
const BUCKET = 's3:GetBucketLocation';

/** The IAM actions collecting each piece of evidence needs. */
export const ACTIONS_BY_EVIDENCE: Readonly<Record<EvidenceKind, readonly string[]>> = {
  'cloudtrail.trails': ['cloudtrail:DescribeTrails'],
  'cloudtrail.status': ['cloudtrail:GetTrailStatus'],
  'cloudtrail.eventSelectors': ['cloudtrail:GetEventSelectors'],
  'cloudtrail.insightSelectors': ['cloudtrail:GetInsightSelectors'],
  'cloudtrail.tags': ['cloudtrail:ListTags'],
  'cloudtrail.eventDataStores': ['cloudtrail:ListEventDataStores', 'cloudtrail:GetEventDataStore'],
  's3.bucketLocation': [BUCKET],
  's3.bucketLogging': [BUCKET, 's3:GetBucketLogging'],
  's3.bucketAcl': [BUCKET, 's3:GetBucketAcl'],
  's3.bucketPolicy': [BUCKET, 's3:GetBucketPolicy'],
  's3.bucketPublicAccessBlock': [BUCKET, 's3:GetBucketPublicAccessBlock'],
  's3.bucketPolicyStatus': [BUCKET, 's3:GetBucketPolicyStatus'],
  's3.accountPublicAccessBlock': ['s3:GetAccountPublicAccessBlock'],
  's3.bucketVersioning': [BUCKET, 's3:GetBucketVersioning'],
  's3.bucketObjectLock': [BUCKET, 's3:GetBucketObjectLockConfiguration'],
  's3.bucketLifecycle': [BUCKET, 's3:GetLifecycleConfiguration'],
  'kms.keys': ['kms:DescribeKey', 'kms:GetKeyPolicy'],
  'logs.metricFilters': ['logs:DescribeMetricFilters'],
  'cloudwatch.alarms': ['cloudwatch:DescribeAlarms'],
  'sns.subscriptions': ['sns:ListSubscriptionsByTopic'],
  'kms.keyRotation': ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyRotationStatus'],
  'config.recorders': [
    'config:DescribeConfigurationRecorders',
    'config:DescribeConfigurationRecorderStatus',
    'config:DescribeDeliveryChannels',
  ],
  'ec2.flowLogs': ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
};

/** Needed by every scan: finding the enabled Regions (sts:GetCallerIdentity needs no permission). */
export const BASE_ACTIONS: readonly string[] = ['ec2:DescribeRegions', 'cloudtrail:DescribeTrails'];

/** The least-privilege action list for scanning with the given controls. */
export function scanActions(controls: readonly ControlDefinition[]): string[] {
  const actions = new Set(BASE_ACTIONS);
  for (const control of controls) {
    for (const need of control.needs)
      for (const action of ACTIONS_BY_EVIDENCE[need.kind]) actions.add(action);
  }
  return [...actions].sort();
}
