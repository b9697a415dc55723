/**
 * The IAM permissions `trailcheck fix` needs: to read the evidence (as a scan does), to check that the
 * names it creates are free, to make each control's fix, and to undo it if a later step fails.
 */
import { scanActions } from '../controls/scan-policy.js';
import type { ControlDefinition } from '../controls/types.js';
import type { Service } from '../fixes/calls.js';
import { iamActionOf } from '../fixes/calls.js';

type Operation = [Service, string];

const TRAIL: Operation[] = [
  ['cloudtrail', 'UpdateTrail'],
  ['cloudtrail', 'PutEventSelectors'],
  ['cloudtrail', 'StartLogging'],
  // undo
  ['cloudtrail', 'StopLogging'],
];
const NEW_TRAIL: Operation[] = [
  ['s3', 'CreateBucket'],
  ['s3', 'PutPublicAccessBlock'],
  ['s3', 'PutBucketPolicy'],
  ['cloudtrail', 'CreateTrail'],
  // undo
  ['cloudtrail', 'DeleteTrail'],
  ['s3', 'DeleteBucket'],
];
const ACCESS_LOGS: Operation[] = [
  ['s3', 'CreateBucket'],
  ['s3', 'PutPublicAccessBlock'],
  ['s3', 'PutBucketEncryption'],
  ['s3', 'PutBucketPolicy'],
  ['s3', 'PutBucketLogging'],
  // undo
  ['s3', 'DeleteBucket'],
];

/** The calls each control's fix (and its undo) may make. */
export const FIX_OPERATIONS: Readonly<Record<string, readonly Operation[]>> = {
  'CloudTrail.1': [...TRAIL, ...NEW_TRAIL],
  'CloudTrail.2': [
    ['kms', 'CreateKey'],
    ['kms', 'CreateAlias'],
    ['kms', 'EnableKeyRotation'],
    ['cloudtrail', 'UpdateTrail'],
    ['kms', 'DeleteAlias'],
  ],
  'CloudTrail.3': [...TRAIL, ...NEW_TRAIL],
  'CloudTrail.4': [['cloudtrail', 'UpdateTrail']],
  'CloudTrail.5': [
    ['logs', 'CreateLogGroup'],
    ['iam', 'CreateRole'],
    ['iam', 'PutRolePolicy'],
    ['cloudtrail', 'UpdateTrail'],
    ['iam', 'DeleteRolePolicy'],
    ['iam', 'DeleteRole'],
  ],
  'CloudTrail.6': [
    ['s3', 'PutBucketPolicy'],
    ['s3', 'DeleteBucketPolicy'],
    ['s3', 'PutBucketAcl'],
    ['s3', 'PutPublicAccessBlock'],
    ['s3', 'DeletePublicAccessBlock'],
  ],
  'CloudTrail.7': ACCESS_LOGS,
  'TC.AccessLogTarget': ACCESS_LOGS,
  'TC.DeliveryHealth': [
    ['cloudtrail', 'StartLogging'],
    ['cloudtrail', 'StopLogging'],
  ],
  'TC.S3ObjectWrites': TRAIL,
  'TC.S3ObjectReads': TRAIL,
  'TC.BucketPolicyScoped': [
    ['s3', 'PutBucketPolicy'],
    ['s3', 'DeleteBucketPolicy'],
  ],
  'TC.BucketRetention': [['s3', 'PutBucketVersioning']],
  'TC.KmsKeyUsable': [
    ['kms', 'PutKeyPolicy'],
    ['kms', 'EnableKey'],
    ['kms', 'DisableKey'],
  ],
};

/** Before creating a bucket, role, alias or log group, fix asks whether the name is free. */
export const PROBE_ACTIONS: readonly string[] = [
  's3:ListBucket',
  'iam:GetRole',
  'kms:DescribeKey',
  'logs:DescribeLogGroups',
];

/** Writes whose permission is not named after one call. */
const EXTRA: Readonly<Record<string, readonly string[]>> = {
  // CreateTrail with tags needs cloudtrail:AddTags.
  'CloudTrail.1': ['cloudtrail:AddTags'],
  'CloudTrail.3': ['cloudtrail:AddTags'],
};

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{
    Sid: string;
    Effect: 'Allow';
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string>>;
  }>;
}

export function fixWriteActions(controls: readonly ControlDefinition[]): string[] {
  const actions = new Set<string>();
  for (const control of controls) {
    for (const [service, operation] of FIX_OPERATIONS[control.id] ?? [])
      actions.add(iamActionOf({ service, operation }));
    for (const action of EXTRA[control.id] ?? []) actions.add(action);
  }
  return [...actions].sort();
}

/** True when one of the controls' fixes hands a role to CloudTrail (CloudWatch Logs). */
function passesRole(controls: readonly ControlDefinition[]): boolean {
  return controls.some((c) => c.id === 'CloudTrail.5');
}

export function scanPolicy(controls: readonly ControlDefinition[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'TrailcheckScan', Effect: 'Allow', Action: scanActions(controls), Resource: '*' }],
  };
}

/** Scan, name checks, the fixes and their undos; iam:PassRole only for trailcheck's own role, only to CloudTrail. */
export function fixPolicy(controls: readonly ControlDefinition[], partition = 'aws'): PolicyDocument {
  const reads = [...new Set([...scanActions(controls), ...PROBE_ACTIONS])].sort();
  const statements: PolicyDocument['Statement'] = [
    { Sid: 'TrailcheckRead', Effect: 'Allow', Action: reads, Resource: '*' },
  ];
  const writes = fixWriteActions(controls);
  if (writes.length > 0)
    statements.push({ Sid: 'TrailcheckFix', Effect: 'Allow', Action: writes, Resource: '*' });
  if (passesRole(controls))
    statements.push({
      Sid: 'TrailcheckPassCloudWatchLogsRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: `arn:${partition}:iam::*:role/CloudTrailToCloudWatchLogs-*`,
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudtrail.amazonaws.com' } },
    });
  return { Version: '2012-10-17', Statement: statements };
}
