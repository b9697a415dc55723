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

export const BLOCK_ALL_PUBLIC_ACCESS =
  'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true';
