/**
 * An account where every control passes, with evidence from both test Regions: a multi-Region trail homed
 * in us-east-1 and a single-Region trail homed in eu-west-1, each encrypted with a KMS key, validating its
 * log files, logging all management events, into a bucket of its own Region that has access logging on.
 * The fault and permission matrices start from it, so that a wrong PASS under a fault would show.
 *
 * When a control is added, extend this scenario until the control passes here: the matrices check that
 * every control does.
 */
import type { SeedClients } from '../aws.js';
import { createBucket, createKey, createTrail, createTrailBucket, enableAccessLogging } from './builders.js';

export async function compliantScenario(aws: SeedClients): Promise<void> {
  const homes: Array<{ name: string; region: string; multiRegion: boolean }> = [
    { name: 'OrgAudit', region: 'us-east-1', multiRegion: true },
    { name: 'EuLocal', region: 'eu-west-1', multiRegion: false },
  ];
  for (const { name, region, multiRegion } of homes) {
    const bucket = `${name.toLowerCase()}-trail-logs`;
    await createTrailBucket(aws, bucket, name, region);
    await createBucket(aws, `${bucket}-access`, region);
    await enableAccessLogging(aws, bucket, `${bucket}-access`, region);
    const key = await createKey(aws, `alias/${name.toLowerCase()}`, region);
    await createTrail(aws, { name, bucket, region, multiRegion, kmsKeyId: key, logFileValidation: true });
  }
}
