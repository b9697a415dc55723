/**
 * The seed report's account: trail MooncloudCisTest, multi-Region, logging all management events,
 * encrypted with a KMS key, but without log file validation, delivering to a bucket without access
 * logging. Expected: CloudTrail.1 and .2 pass, .4 and .7 fail.
 */
import { cloudTrailKeyPolicy } from '../../../src/controls/cloudtrail-2-kms-encryption/control.js';
import { ACCOUNT } from '../aws.js';
import type { SeedClients } from '../aws.js';
import { createKey, createTrail, createTrailBucket } from './builders.js';

export const SEED_TRAIL = 'MooncloudCisTest';
export const SEED_BUCKET = 'mooncloud-cftrail';

export async function seedScenario(aws: SeedClients): Promise<void> {
  await createTrailBucket(aws, SEED_BUCKET, SEED_TRAIL);
  const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${SEED_TRAIL}`;
  const keyArn = await createKey(
    aws,
    'alias/mooncloud-cloudtrail',
    'us-east-1',
    cloudTrailKeyPolicy('aws', ACCOUNT, trailArn),
  );
  await createTrail(aws, {
    name: SEED_TRAIL,
    bucket: SEED_BUCKET,
    multiRegion: true,
    kmsKeyId: keyArn,
    logFileValidation: false,
  });
}
