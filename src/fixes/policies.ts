/** Resource policies a fix writes, built from the account's real names. */

/** Lets CloudTrail write one trail's logs into a bucket, and only that trail (aws:SourceArn). */
export function cloudTrailBucketPolicy(
  partition: string,
  account: string,
  bucket: string,
  trailArn: string,
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSCloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: `arn:${partition}:s3:::${bucket}`,
        Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
      },
      {
        Sid: 'AWSCloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:${partition}:s3:::${bucket}/AWSLogs/${account}/*`,
        Condition: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn },
        },
      },
    ],
  });
}

/** Lets the S3 logging service deliver access logs of one source bucket into a target bucket. */
export function accessLogBucketPolicy(
  partition: string,
  account: string,
  target: string,
  source: string,
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'S3ServerAccessLogsPolicy',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:${partition}:s3:::${target}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': `arn:${partition}:s3:::${source}` },
          StringEquals: { 'aws:SourceAccount': account },
        },
      },
    ],
  });
}

/** A key policy that lets CloudTrail encrypt this account's trail logs and the account read them. */
export function cloudTrailKeyPolicy(partition: string, account: string, trailArn: string): string {
  const trailPattern = `arn:${partition}:cloudtrail:*:${account}:trail/*`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnableIamPolicies',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'AllowCloudTrailToEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailPattern },
        },
      },
      {
        Sid: 'AllowCloudTrailToDescribeKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
      },
      {
        Sid: 'AllowAccountToDecryptLogs',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': account },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailPattern },
        },
      },
    ],
  });
}
