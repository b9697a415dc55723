import {
  GetBucketAclCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { LifecycleRule as SdkLifecycleRule } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import type { AwsClientFactory } from '../aws/clients.js';
import type {
  BucketLocation,
  BucketPolicy,
  BucketPolicyStatus,
  BucketRecord,
  ObjectLock,
  EvidenceKind,
  LifecycleRule,
  Observation,
  PublicAccessBlock,
} from '../snapshot/schema.js';
import { compact, isoTime, observe } from './observe.js';

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

/** The bucket evidence kinds, each a reader of one S3 API. */
type BucketKind = Exclude<
  Extract<EvidenceKind, `s3.${string}`>,
  's3.accountPublicAccessBlock' | 's3.bucketLocation'
>;

const NO_PUBLIC_ACCESS_BLOCK: PublicAccessBlock = { Configured: false };

function lifecycleRule(rule: SdkLifecycleRule): LifecycleRule {
  const filter = rule.Filter;
  return compact({
    ID: rule.ID,
    Status: rule.Status,
    Prefix: rule.Prefix,
    Filter: filter
      ? compact({
          Prefix: filter.Prefix,
          Tag:
            filter.Tag?.Key !== undefined
              ? compact({ Key: filter.Tag.Key, Value: filter.Tag.Value })
              : undefined,
          ObjectSizeGreaterThan: filter.ObjectSizeGreaterThan,
          ObjectSizeLessThan: filter.ObjectSizeLessThan,
          And: filter.And
            ? compact({
                Prefix: filter.And.Prefix,
                Tags: filter.And.Tags?.flatMap((t) =>
                  t.Key !== undefined ? [compact({ Key: t.Key, Value: t.Value })] : [],
                ),
                ObjectSizeGreaterThan: filter.And.ObjectSizeGreaterThan,
                ObjectSizeLessThan: filter.And.ObjectSizeLessThan,
              })
            : undefined,
        })
      : undefined,
    Expiration: rule.Expiration
      ? compact({
          Days: rule.Expiration.Days,
          Date: isoTime(rule.Expiration.Date),
          ExpiredObjectDeleteMarker: rule.Expiration.ExpiredObjectDeleteMarker,
        })
      : undefined,
    NoncurrentVersionExpiration: rule.NoncurrentVersionExpiration
      ? compact({
          NoncurrentDays: rule.NoncurrentVersionExpiration.NoncurrentDays,
          NewerNoncurrentVersions: rule.NoncurrentVersionExpiration.NewerNoncurrentVersions,
        })
      : undefined,
  });
}

/** One reader per bucket evidence kind: the S3 call, and the record field it fills. */
/**
 * Every bucket request names the account expected to own it: a bucket of another account (a central log
 * archive) then answers AccessDenied and its findings are UNKNOWN, instead of being judged with this
 * account's settings.
 */
export interface BucketTarget {
  Bucket: string;
  ExpectedBucketOwner: string;
}

const READERS: Record<
  BucketKind,
  (factory: AwsClientFactory, target: BucketTarget, region: string, record: BucketRecord) => Promise<void>
> = {
  's3.bucketLogging': async (factory, target, region, record) => {
    record.logging = await observe('s3', 'GetBucketLogging', region, async () => {
      const out = await factory.s3(region).send(new GetBucketLoggingCommand(target));
      if (!out.LoggingEnabled) return {};
      return {
        LoggingEnabled: compact({
          TargetBucket: out.LoggingEnabled.TargetBucket,
          TargetPrefix: out.LoggingEnabled.TargetPrefix,
        }),
      };
    });
  },
  's3.bucketAcl': async (factory, target, region, record) => {
    record.acl = await observe('s3', 'GetBucketAcl', region, async () => {
      const out = await factory.s3(region).send(new GetBucketAclCommand(target));
      return {
        ...(out.Owner ? { Owner: compact({ ID: out.Owner.ID, DisplayName: out.Owner.DisplayName }) } : {}),
        Grants: (out.Grants ?? []).map((g) =>
          compact({
            Grantee: g.Grantee
              ? compact({
                  Type: g.Grantee.Type,
                  ID: g.Grantee.ID,
                  URI: g.Grantee.URI,
                  DisplayName: g.Grantee.DisplayName,
                  EmailAddress: g.Grantee.EmailAddress,
                })
              : undefined,
            Permission: g.Permission,
          }),
        ),
      };
    });
  },
  's3.bucketPolicy': async (factory, target, region, record) => {
    record.policy = await observe<BucketPolicy>(
      's3',
      'GetBucketPolicy',
      region,
      async () =>
        compact({
          Policy: (await factory.s3(region).send(new GetBucketPolicyCommand(target))).Policy,
        }),
      { codes: ['NoSuchBucketPolicy'], value: {} },
    );
  },
  's3.bucketPublicAccessBlock': async (factory, target, region, record) => {
    record.publicAccessBlock = await observe(
      's3',
      'GetPublicAccessBlock',
      region,
      async () => {
        const out = await factory.s3(region).send(new GetPublicAccessBlockCommand(target));
        return { Configured: true, ...compact({ ...out.PublicAccessBlockConfiguration }) };
      },
      { codes: ['NoSuchPublicAccessBlockConfiguration'], value: NO_PUBLIC_ACCESS_BLOCK },
    );
  },
  's3.bucketPolicyStatus': async (factory, target, region, record) => {
    record.policyStatus = await observe<BucketPolicyStatus>(
      's3',
      'GetBucketPolicyStatus',
      region,
      async () =>
        compact({
          IsPublic: (await factory.s3(region).send(new GetBucketPolicyStatusCommand(target))).PolicyStatus
            ?.IsPublic,
        }),
      { codes: ['NoSuchBucketPolicy'], value: {} },
    );
  },
  's3.bucketVersioning': async (factory, target, region, record) => {
    record.versioning = await observe('s3', 'GetBucketVersioning', region, async () => {
      const out = await factory.s3(region).send(new GetBucketVersioningCommand(target));
      return compact({ Status: out.Status, MFADelete: out.MFADelete });
    });
  },
  's3.bucketObjectLock': async (factory, target, region, record) => {
    record.objectLock = await observe<ObjectLock>(
      's3',
      'GetObjectLockConfiguration',
      region,
      async () => {
        const out = await factory.s3(region).send(new GetObjectLockConfigurationCommand(target));
        const config = out.ObjectLockConfiguration;
        const retention = config?.Rule?.DefaultRetention;
        return compact({
          ObjectLockEnabled: config?.ObjectLockEnabled,
          Rule: retention
            ? {
                DefaultRetention: compact({
                  Mode: retention.Mode,
                  Days: retention.Days,
                  Years: retention.Years,
                }),
              }
            : undefined,
        });
      },
      { codes: ['ObjectLockConfigurationNotFoundError'], value: {} },
    );
  },
  's3.bucketLifecycle': async (factory, target, region, record) => {
    record.lifecycle = await observe(
      's3',
      'GetBucketLifecycleConfiguration',
      region,
      async () => {
        const out = await factory.s3(region).send(new GetBucketLifecycleConfigurationCommand(target));
        return { Rules: (out.Rules ?? []).map(lifecycleRule) };
      },
      { codes: ['NoSuchLifecycleConfiguration'], value: { Rules: [] } },
    );
  },
};

async function readLocation(
  factory: AwsClientFactory,
  target: BucketTarget,
  region: string,
): Promise<Observation<BucketLocation>> {
  return observe('s3', 'GetBucketLocation', region, async () => {
    const out = await factory.s3(region).send(new GetBucketLocationCommand(target));
    const constraint = out.LocationConstraint as string | undefined;
    return compact({
      LocationConstraint: constraint || undefined,
      Region: regionFromLocationConstraint(constraint),
    });
  });
}

/**
 * Reads the buckets trails deliver to. The bucket's Region comes first (it is where S3 answers its other
 * questions); a bucket that no longer exists is recorded as such and not asked about again.
 */
export async function readBuckets(
  factory: AwsClientFactory,
  requests: BucketRequest[],
  kinds: ReadonlySet<EvidenceKind>,
  owner: string,
): Promise<BucketRecord[]> {
  const wanted = (Object.keys(READERS) as BucketKind[]).filter((kind) => kinds.has(kind));
  // All buckets at once: the client factory bounds the calls in flight per S3 Region.
  const records = await Promise.all(
    requests.map(async ({ name, hintRegion }) => {
      const record: BucketRecord = { Name: name };
      const target: BucketTarget = { Bucket: name, ExpectedBucketOwner: owner };
      record.location = await readLocation(factory, target, hintRegion);
      if (!record.location.ok && record.location.failure.kind === 'not-found') return record;
      // Without the location, ask from the trail's Region: the client follows S3's redirect if it is elsewhere.
      const region = record.location.ok ? record.location.value.Region : hintRegion;
      await Promise.all(wanted.map((kind) => READERS[kind](factory, target, region, record)));
      return record;
    }),
  );
  return records.sort((a, b) => a.Name.localeCompare(b.Name));
}

/** The account-wide Block Public Access settings (S3 Control), which apply to every bucket. */
export async function readAccountPublicAccessBlock(
  factory: AwsClientFactory,
  account: string,
  region: string,
): Promise<Observation<PublicAccessBlock>> {
  return observe(
    's3control',
    'GetPublicAccessBlock',
    region,
    async () => {
      const out = await factory
        .s3Control(region)
        .send(new GetAccountPublicAccessBlockCommand({ AccountId: account }));
      return { Configured: true, ...compact({ ...out.PublicAccessBlockConfiguration }) };
    },
    { codes: ['NoSuchPublicAccessBlockConfiguration'], value: NO_PUBLIC_ACCESS_BLOCK },
  );
}
