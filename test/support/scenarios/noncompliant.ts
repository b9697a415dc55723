/**
 * An account where every control fails, with evidence from both test Regions. LaxGlobal (multi-Region,
 * us-east-1) is not logging, unencrypted, unvalidated, untagged, without Insights, CloudWatch Logs or S3
 * data events, and delivers to a public bucket that writes its access logs into itself. LaxEu (eu-west-1)
 * records write events only, is encrypted with a key whose policy shuts CloudTrail out, and delivers to a
 * bucket without access logging whose policy lets CloudTrail write unscoped. Lake (answered by the proxy:
 * `NONCOMPLIANT_LAKE`) has a store without a customer managed key. Under any fault, a PASS here is false.
 */
import { PutBucketAclCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { ACCOUNT } from '../aws.js';
import type { SeedClients } from '../aws.js';
import { createBucket, createKey, createTrail, createTrailBucket, enableAccessLogging } from './builders.js';
import type { LakeStore } from './lake.js';

export const NONCOMPLIANT_LAKE: LakeStore[] = [{ region: 'eu-west-1', name: 'default-key-lake' }];

export async function noncompliantScenario(aws: SeedClients): Promise<void> {
  await createTrailBucket(aws, 'lax-trail-logs', 'LaxGlobal');
  await enableAccessLogging(aws, 'lax-trail-logs', 'lax-trail-logs');
  // After the logging grants, which would replace it.
  await aws.s3().send(new PutBucketAclCommand({ Bucket: 'lax-trail-logs', ACL: 'public-read' }));
  await createTrail(aws, { name: 'LaxGlobal', bucket: 'lax-trail-logs', multiRegion: true, logging: false });

  await createBucket(aws, 'lax-eu-trail-logs', 'eu-west-1');
  await aws.s3('eu-west-1').send(
    new PutBucketPolicyCommand({
      Bucket: 'lax-eu-trail-logs',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'UnscopedCloudTrailWrite',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::lax-eu-trail-logs/AWSLogs/${ACCOUNT}/*`,
          },
          {
            Sid: 'AclCheck',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:GetBucketAcl',
            Resource: 'arn:aws:s3:::lax-eu-trail-logs',
          },
        ],
      }),
    }),
  );
  // The default key policy: only the account, not CloudTrail.
  const key = await createKey(aws, 'alias/lax-eu', 'eu-west-1');
  await createTrail(aws, {
    name: 'LaxEu',
    bucket: 'lax-eu-trail-logs',
    region: 'eu-west-1',
    kmsKeyId: key,
    eventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
  });
}
