/**
 * The IAM action each API operation needs. S3 is the odd one out: several of its read operations are
 * authorised by actions whose names differ from the operation (GetPublicAccessBlock needs
 * s3:GetBucketPublicAccessBlock), so a missing-permission message must come from this table, not from
 * the operation name.
 */
const S3_ACTIONS: Record<string, string> = {
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  HeadBucket: 's3:ListBucket',
};

const S3_CONTROL_ACTIONS: Record<string, string> = {
  GetPublicAccessBlock: 's3:GetAccountPublicAccessBlock',
};

/** `service` is the IAM service prefix (cloudtrail, s3, s3control, ec2, sts, kms, logs…). */
export function iamActionFor(service: string, operation: string): string | undefined {
  if (service === 'sts' && operation === 'GetCallerIdentity') return undefined; // never needs a permission
  if (service === 's3') return S3_ACTIONS[operation] ?? `s3:${operation}`;
  if (service === 's3control') return S3_CONTROL_ACTIONS[operation] ?? `s3:${operation}`;
  return `${service}:${operation}`;
}
