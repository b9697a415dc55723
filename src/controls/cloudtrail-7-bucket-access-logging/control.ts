import type { SnapshotView } from '../../evaluate/view.js';
import { code, rich } from '../../report/rich.js';
import { BLOCK_ALL_PUBLIC_ACCESS, accessLogBucketPolicy } from '../../remediate/policies.js';
import { suggestBucketName } from '../../remediate/names.js';
import { createBucketCommand } from '../../remediate/s3-commands.js';
import { awsCli } from '../../remediate/shell.js';
import { assessTrailBuckets, bucketFact, unknownBucketFinding } from '../bucket-context.js';
import { makeFinding } from '../shared.js';
import type { ControlDefinition, Remediation } from '../types.js';
import { texts } from './texts.js';

export function enableAccessLogging(view: SnapshotView, bucket: string, region: string): Remediation {
  const target = suggestBucketName(bucket, 'access-logs');
  const prefix = `${bucket}/`;
  return {
    summary: rich`Create a new S3 bucket (e.g. ${code(target)}) in ${region} and set it as the access log target of ${code(bucket)}.`,
    cli: [
      createBucketCommand(target, region),
      awsCli('s3api', 'put-public-access-block', {
        bucket: target,
        'public-access-block-configuration': BLOCK_ALL_PUBLIC_ACCESS,
      }),
      awsCli('s3api', 'put-bucket-encryption', {
        bucket: target,
        // Access log delivery supports SSE-S3 on the target bucket, not SSE-KMS.
        'server-side-encryption-configuration': JSON.stringify({
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        }),
      }),
      awsCli('s3api', 'put-bucket-policy', {
        bucket: target,
        policy: accessLogBucketPolicy(view.partition, view.accountId, target, bucket),
      }),
      awsCli('s3api', 'put-bucket-logging', {
        bucket,
        'bucket-logging-status': JSON.stringify({
          LoggingEnabled: { TargetBucket: target, TargetPrefix: prefix },
        }),
      }),
    ],
    console: [
      `Open the S3 console and choose Create bucket: name it ${target}, Region ${region}, keep “Block all public access” on.`,
      `Open bucket ${bucket}, choose Properties, then Server access logging, Edit.`,
      `Choose Enable, set the destination to s3://${target}/${prefix}, then Save changes (the console adds the bucket policy the logging service needs).`,
    ],
  };
}

/** LoggingEnabled without a TargetBucket: AWS always names one, so this answer says nothing. */
export const MALFORMED_LOGGING = {
  reason: 's3:GetBucketLogging reported access logging on but named no target bucket (a malformed answer)',
};

export const control: ControlDefinition = {
  id: 'CloudTrail.7',
  title: 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket',
  severity: 'low',
  resourceType: 'AwsS3Bucket',
  needs: [{ kind: 'cloudtrail.trails' }, { kind: 's3.bucketLogging' }],
  texts,
  evaluate(view) {
    return assessTrailBuckets(view, control, 'access logging', (bucket) => {
      const logging = bucketFact(
        view,
        bucket,
        's3.bucketLogging',
        bucket.record?.logging,
        's3:GetBucketLogging',
        (l) => ({
          LoggingEnabled: l.LoggingEnabled ?? null,
        }),
      );
      if (logging.missing) return unknownBucketFinding(control, bucket, 'access logging', [logging.missing]);
      const { name, usedBy, resource, evidence } = bucket;
      const enabled = logging.value.LoggingEnabled;
      if (enabled && !enabled.TargetBucket) {
        return unknownBucketFinding(control, bucket, 'access logging', [MALFORMED_LOGGING]);
      }
      if (enabled) {
        const target = enabled.TargetBucket ?? '';
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message:
            target === name
              ? rich`Bucket ${code(name)} ${usedBy} has server access logging enabled, but writes the access logs into itself; a separate bucket would keep them safe from whoever can wipe the trail logs.`
              : rich`Bucket ${code(name)} ${usedBy} writes server access logs to bucket ${code(target)}${enabled.TargetPrefix ? rich` under ${code(enabled.TargetPrefix)}` : []}.`,
          evidence,
        });
      }
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Bucket ${code(name)} ${usedBy} has server access logging disabled, so nobody would know who read, changed or deleted its log files.`,
        evidence,
        remediation: enableAccessLogging(view, name, bucket.region),
      });
    });
  },
};
