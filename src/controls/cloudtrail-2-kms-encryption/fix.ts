/** CloudTrail.2's fix: SSE-KMS for a trail, with a key given by --kms-key or a new one. */
import { code, rich } from '../../core/rich.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { apiCall, existingNames } from '../../fixes/builders.js';
import { ref } from '../../fixes/calls.js';
import { KMS_REQUESTS_COST, NEW_KMS_KEY_COST } from '../../fixes/costs.js';
import { firstFree } from '../../fixes/names.js';
import { cloudTrailKeyPolicy } from '../../fixes/policies.js';
import type { TrailRecord } from '../../snapshot/schema.js';
import type { FixProposal } from '../types.js';

/** `alias/cloudtrail-<trail>`, or `-2`… when that alias is taken. */
export function keyAliasName(view: SnapshotView, trail: string): string {
  const base = `alias/cloudtrail-${trail.replace(/[^A-Za-z0-9/_-]/g, '-')}`.slice(0, 240);
  const aliases = existingNames(view).aliases ?? [];
  return firstFree(
    (n) => (n === 1 ? base : `${base}-${n}`),
    (name) => aliases.includes(name),
  );
}

/** The key must live in the Region of the bucket the logs go to. */
export function keyRegionFor(view: SnapshotView, trail: TrailRecord): string {
  const bucket = trail.config.S3BucketName ? view.bucket(trail.config.S3BucketName) : undefined;
  return bucket?.location?.ok ? bucket.location.value.Region : trail.config.HomeRegion;
}

/** A key ARN's Region, or undefined when it is not an ARN. */
function regionOfKeyArn(arn: string): string | undefined {
  return /^arn:[^:]+:kms:([^:]+):\d{12}:key\//.exec(arn)?.[1];
}

/**
 * SSE-KMS for a trail: with `--kms-key`, that key (it must be in the bucket's Region); otherwise a new key
 * whose policy lets CloudTrail encrypt this trail's logs and the account read them, with rotation on.
 */
export function encryptTrail(view: SnapshotView, trail: TrailRecord): FixProposal | undefined {
  const { Name, HomeRegion, TrailARN } = trail.config;
  const keyRegion = keyRegionFor(view, trail);
  const given = view.options.remediation?.kmsKeyArn;
  const console = (alias: string) => [
    `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
    'In General details, choose Edit.',
    alias
      ? `Set Log file SSE-KMS encryption to Enabled, choose New, and enter the alias ${alias.replace(/^alias\//, '')} (CloudTrail writes the key policy for you), then choose Save changes.`
      : `Set Log file SSE-KMS encryption to Enabled, choose Existing, and pick ${given ?? ''}, then choose Save changes.`,
  ];
  if (given !== undefined) {
    // CloudTrail refuses a key in another Region than the bucket: that trail needs another key.
    if (regionOfKeyArn(given) !== keyRegion) return undefined;
    return {
      summary: rich`Turn on SSE-KMS encryption for ${code(Name)} with the key ${code(given)}.`,
      calls: [apiCall('cloudtrail', 'UpdateTrail', HomeRegion, { Name, KmsKeyId: given })],
      console: console(''),
      notes: [
        `The key policy of ${given} must let cloudtrail.amazonaws.com call kms:GenerateDataKey* for this trail; CloudTrail refuses the change otherwise.`,
        KMS_REQUESTS_COST,
      ],
    };
  }
  const alias = keyAliasName(view, Name);
  const key = `${alias.replace(/^alias\//, '').replace(/[^A-Za-z0-9]+/g, '_')}_key`;
  const arn = ref(`${key}.KeyMetadata.Arn`);
  return {
    summary: rich`Create a KMS key that CloudTrail may use (alias ${code(alias)}) and turn on SSE-KMS encryption for ${code(Name)}.`,
    calls: [
      apiCall(
        'kms',
        'CreateKey',
        keyRegion,
        {
          Description: `CloudTrail log encryption for trail ${Name}`,
          Policy: cloudTrailKeyPolicy(view.partition, view.accountId, TrailARN),
        },
        key,
      ),
      apiCall('kms', 'CreateAlias', keyRegion, { AliasName: alias, TargetKeyId: arn }),
      apiCall('kms', 'EnableKeyRotation', keyRegion, { KeyId: arn }),
      apiCall('cloudtrail', 'UpdateTrail', HomeRegion, { Name, KmsKeyId: arn }),
    ],
    console: console(alias),
    notes: [NEW_KMS_KEY_COST],
  };
}
