/** Hand-built snapshots whose plans use every fix trailcheck makes (for the plan's unit and form tests). */
import { cloudTrailBucketPolicy } from '../../src/fixes/policies.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { ACCOUNT_ID, bucketWith, noBlock, ok, snapshot, trail } from './snapshot-builder.js';

export const OWNER = 'owner-canonical-id';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

/**
 * Trail Audit (us-east-1): single-Region, stopped, reads only, no validation, no key, no CloudWatch Logs;
 * its bucket audit-logs (eu-west-1): public through its ACL and a policy statement, a CloudTrail write
 * grant without aws:SourceArn, no access logging, no versioning.
 */
export function everyFixSnapshot(): Snapshot {
  const scoped = JSON.parse(
    cloudTrailBucketPolicy(
      'aws',
      ACCOUNT_ID,
      'audit-logs',
      `arn:aws:cloudtrail:us-east-1:${ACCOUNT_ID}:trail/Audit`,
    ),
  ) as { Statement: Array<Record<string, unknown>> };
  const [aclCheck, write] = scoped.Statement;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      aclCheck,
      { ...write, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
      {
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::audit-logs/*',
      },
    ],
  });
  const region = 'eu-west-1';
  return snapshot({
    // Issue 15's controls have nothing to fix here: their evidence is present and empty.
    keyRotation: { listings: [], keys: [] },
    config: { regions: [] },
    flowLogs: { regions: [] },
    trails: [
      trail({
        Name: 'Audit',
        S3BucketName: 'audit-logs',
        IsMultiRegionTrail: false,
        LogFileValidationEnabled: false,
        status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus'),
        selectors: ok(
          { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] },
          'cloudtrail:GetEventSelectors',
        ),
        insights: ok({ InsightSelectors: [] }, 'cloudtrail:GetInsightSelectors'),
        tags: ok({ TagsList: [] }, 'cloudtrail:ListTags'),
      }),
    ],
    buckets: [
      bucketWith(
        'audit-logs',
        {
          logging: ok({}, 's3:GetBucketLogging', region),
          acl: ok(
            {
              Owner: { ID: OWNER },
              Grants: [
                { Grantee: { Type: 'CanonicalUser', ID: OWNER }, Permission: 'FULL_CONTROL' },
                { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
              ],
            },
            's3:GetBucketAcl',
            region,
          ),
          policy: ok({ Policy: policy }, 's3:GetBucketPolicy', region),
          publicAccessBlock: ok({ Configured: false }, 's3:GetPublicAccessBlock', region),
          policyStatus: ok({}, 's3:GetBucketPolicyStatus', region),
          versioning: ok({}, 's3:GetBucketVersioning', region),
          objectLock: ok({}, 's3:GetObjectLockConfiguration', region),
          lifecycle: ok({ Rules: [] }, 's3:GetBucketLifecycleConfiguration', region),
        },
        region,
      ),
    ],
    accountPublicAccessBlock: noBlock('s3control:GetPublicAccessBlock'),
    kmsKeys: [],
    eventDataStores: {
      discovery: [
        { region: 'us-east-1', result: ok({ EventDataStoreArns: [] }, 'cloudtrail:ListEventDataStores') },
        {
          region: 'eu-west-1',
          result: ok({ EventDataStoreArns: [] }, 'cloudtrail:ListEventDataStores', 'eu-west-1'),
        },
      ],
      stores: [],
    },
  });
}

/** An account with no trail at all (every other piece of evidence read, and empty). */
export function noTrailSnapshot(): Snapshot {
  return snapshot({
    trails: [],
    buckets: [],
    accountPublicAccessBlock: noBlock('s3control:GetPublicAccessBlock'),
    kmsKeys: [],
  });
}
