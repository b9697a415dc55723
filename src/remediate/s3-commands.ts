import { awsCli } from './shell.js';

/** create-bucket differs in us-east-1, which takes no LocationConstraint. */
export function createBucketCommand(bucket: string, region: string): string {
  return awsCli('s3api', 'create-bucket', {
    bucket,
    region,
    'create-bucket-configuration': region === 'us-east-1' ? undefined : `LocationConstraint=${region}`,
  });
}
