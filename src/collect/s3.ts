import { GetBucketLocationCommand, GetBucketLoggingCommand } from '@aws-sdk/client-s3';
import type { AwsClientFactory } from '../aws/clients.js';
import type { BucketLocation, BucketLogging, BucketRecord, Observation } from '../snapshot/schema.js';
import { mapLimit } from '../util/concurrency.js';
import { compact, observe } from './observe.js';

const BUCKET_CONCURRENCY = 8;

/** GetBucketLocation's answer as a Region name: empty means us-east-1, "EU" is the legacy eu-west-1. */
export function regionFromLocationConstraint(constraint: string | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export interface BucketRequest {
  name: string;
  /** Where to ask first: the Region of a trail that writes to it. */
  hintRegion: string;
}

async function readLocation(
  factory: AwsClientFactory,
  bucket: string,
  region: string,
): Promise<Observation<BucketLocation>> {
  return observe('s3', 'GetBucketLocation', region, async () => {
    const out = await factory.s3(region).send(new GetBucketLocationCommand({ Bucket: bucket }));
    const constraint = out.LocationConstraint as string | undefined;
    return compact({
      LocationConstraint: constraint || undefined,
      Region: regionFromLocationConstraint(constraint),
    });
  });
}

async function readLogging(
  factory: AwsClientFactory,
  bucket: string,
  region: string,
): Promise<Observation<BucketLogging>> {
  return observe('s3', 'GetBucketLogging', region, async () => {
    const out = await factory.s3(region).send(new GetBucketLoggingCommand({ Bucket: bucket }));
    if (!out.LoggingEnabled) return {};
    return {
      LoggingEnabled: compact({
        TargetBucket: out.LoggingEnabled.TargetBucket,
        TargetPrefix: out.LoggingEnabled.TargetPrefix,
      }),
    };
  });
}

/**
 * Reads the buckets trails deliver to. The bucket's Region comes first (it is where S3 answers its other
 * questions); a bucket that no longer exists is recorded as such and not asked about again.
 */
export async function readBuckets(
  factory: AwsClientFactory,
  requests: BucketRequest[],
  wantLogging: boolean,
): Promise<BucketRecord[]> {
  const records = await mapLimit(requests, BUCKET_CONCURRENCY, async ({ name, hintRegion }) => {
    const record: BucketRecord = { Name: name };
    record.location = await readLocation(factory, name, hintRegion);
    if (!record.location.ok && record.location.failure.kind === 'not-found') return record;
    // Without the location, ask from the trail's Region: the client follows S3's redirect if it is elsewhere.
    const region = record.location.ok ? record.location.value.Region : hintRegion;
    if (wantLogging) record.logging = await readLogging(factory, name, region);
    return record;
  });
  return records.sort((a, b) => a.Name.localeCompare(b.Name));
}
