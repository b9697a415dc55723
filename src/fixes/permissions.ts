/**
 * What a control's fix may call, declared with the control (ControlDefinition.fixPermissions), so
 * `trailcheck iam-policy --for fix` is derived from the controls. The groups here are the calls of the
 * fix builders several controls share.
 */
import type { Service } from './calls.js';

/** An API call a fix or its undo may make; its IAM action comes from iamActionOf (remediate/services). */
export type FixOperation = readonly [Service, string];

export interface FixPermissions {
  /** Every call the control's fixes and their undos may make. */
  calls: readonly FixOperation[];
  /**
   * IAM actions AWS checks behind one of those calls, which are not calls of their own (a flow log to S3
   * needs logs:CreateLogDelivery): granted beside the calls' actions.
   */
  alsoActions?: readonly string[];
  /** A role the fix hands to an AWS service: iam:PassRole for these role names only, to that service only. */
  passRole?: PassRoleGrant;
}

export interface PassRoleGrant {
  /** The policy statement's Sid; controls that pass the same role share one statement. */
  sid: string;
  /** The role names, a pattern with `*`, as the fix builder names them. */
  roleNames: string;
  /** The service the role is passed to (iam:PassedToService). */
  toService: string;
}

/** Changing an existing trail's settings (makeMultiRegion, putSelectors, startLogging). */
export const TRAIL_SETTING_CALLS: readonly FixOperation[] = [
  ['cloudtrail', 'UpdateTrail'],
  ['cloudtrail', 'PutEventSelectors'],
  ['cloudtrail', 'StartLogging'],
  // undo
  ['cloudtrail', 'StopLogging'],
];

/** createTrail: a new multi-Region trail with its own bucket. */
export const NEW_TRAIL_CALLS: readonly FixOperation[] = [
  ['s3', 'CreateBucket'],
  ['s3', 'PutPublicAccessBlock'],
  ['s3', 'PutBucketPolicy'],
  ['cloudtrail', 'CreateTrail'],
  // CreateTrail with tags needs cloudtrail:AddTags.
  ['cloudtrail', 'AddTags'],
  // undo
  ['cloudtrail', 'DeleteTrail'],
  ['s3', 'DeleteBucket'],
];

/** enableAccessLogging: a new access-log bucket, and logging turned on. */
export const ACCESS_LOGGING_CALLS: readonly FixOperation[] = [
  ['s3', 'CreateBucket'],
  ['s3', 'PutPublicAccessBlock'],
  ['s3', 'PutBucketEncryption'],
  ['s3', 'PutBucketPolicy'],
  ['s3', 'PutBucketLogging'],
  // undo
  ['s3', 'DeleteBucket'],
];
