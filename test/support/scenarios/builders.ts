/**
 * Building blocks for scenarios, all through the real AWS API: buckets with the policies AWS requires,
 * trails, selectors, logging. Scenarios compose these so each test states only what differs.
 */
import {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import type { AdvancedEventSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import type { BucketLocationConstraint } from '@aws-sdk/client-s3';
import { cloudTrailBucketPolicy } from '../../../src/fixes/policies.js';
import { ACCOUNT } from '../aws.js';
import type { SeedClients } from '../aws.js';

export async function createBucket(aws: SeedClients, name: string, region = 'us-east-1'): Promise<void> {
  await aws.s3(region).send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
}

/** A bucket CloudTrail may write to (the policy real AWS demands; moto does not check it). */
export async function createTrailBucket(
  aws: SeedClients,
  name: string,
  trailName: string,
  region = 'us-east-1',
): Promise<void> {
  await createBucket(aws, name, region);
  const trailArn = `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${trailName}`;
  await aws.s3(region).send(
    new PutBucketPolicyCommand({
      Bucket: name,
      Policy: cloudTrailBucketPolicy('aws', ACCOUNT, name, trailArn),
    }),
  );
}

/** Turns on server access logging from `source` into `target` (which gets the log-delivery grants). */
export async function enableAccessLogging(
  aws: SeedClients,
  source: string,
  target: string,
  region = 'us-east-1',
): Promise<void> {
  await aws.s3(region).send(
    new PutBucketAclCommand({
      Bucket: target,
      GrantWrite: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"',
      GrantReadACP: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"',
    }),
  );
  await aws.s3(region).send(
    new PutBucketLoggingCommand({
      Bucket: source,
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: `${source}/` } },
    }),
  );
}

/** A KMS key; with `policy`, that key policy (real AWS refuses a trail key whose policy shuts CloudTrail out). */
export async function createKey(
  aws: SeedClients,
  alias: string,
  region = 'us-east-1',
  policy?: string,
): Promise<string> {
  const key = await aws
    .kms(region)
    .send(new CreateKeyCommand({ Description: `test key ${alias}`, ...(policy ? { Policy: policy } : {}) }));
  const arn = key.KeyMetadata?.Arn;
  if (!arn || !key.KeyMetadata?.KeyId) throw new Error('moto returned no key ARN');
  await aws
    .kms(region)
    .send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyMetadata.KeyId }));
  return arn;
}

export interface TrailSpec {
  name: string;
  bucket: string;
  region?: string;
  multiRegion?: boolean;
  kmsKeyId?: string;
  logFileValidation?: boolean;
  /** Default true. */
  logging?: boolean;
  /** Default: one basic selector recording all management events, as AWS gives a new trail. */
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
}

/** Creates a trail as a user would: create, choose selectors, start logging. */
export async function createTrail(aws: SeedClients, spec: TrailSpec): Promise<string> {
  const region = spec.region ?? 'us-east-1';
  const client = aws.cloudtrail(region);
  const out = await client.send(
    new CreateTrailCommand({
      Name: spec.name,
      S3BucketName: spec.bucket,
      IsMultiRegionTrail: spec.multiRegion ?? false,
      EnableLogFileValidation: spec.logFileValidation ?? false,
      ...(spec.kmsKeyId ? { KmsKeyId: spec.kmsKeyId } : {}),
    }),
  );
  if (spec.advancedEventSelectors) {
    await client.send(
      new PutEventSelectorsCommand({
        TrailName: spec.name,
        AdvancedEventSelectors: spec.advancedEventSelectors,
      }),
    );
  } else {
    await client.send(
      new PutEventSelectorsCommand({
        TrailName: spec.name,
        EventSelectors: spec.eventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      }),
    );
  }
  // By name: moto 5.2.1 cannot start logging by ARN (see the emulator contract test).
  if (spec.logging ?? true) await client.send(new StartLoggingCommand({ Name: spec.name }));
  if (!out.TrailARN) throw new Error('moto returned no trail ARN');
  return out.TrailARN;
}
