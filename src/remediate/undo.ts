/**
 * Every step of a fix has an undo, computed from the evidence of how things were before it: the old
 * values, the old policy text, the old grants. What a run created it may remove again (an empty bucket, a
 * trail, a role); a KMS key or a log group it created it keeps (data may already be encrypted with it or
 * delivered to it) and says so. A step whose before-state trailcheck could not read gets no undo, and the
 * planner leaves it to the user.
 */
import type { Snapshot } from '../snapshot/schema.js';
import type { ApiCall, CallInput, Json } from '../fixes/calls.js';
import { ref, text } from '../fixes/calls.js';
import { apiCall } from '../fixes/builders.js';
import { findBucket, findKey, findRotationKey, findTrail } from './simulate.js';

export interface Undo {
  /**
   * revert: calls that put back how it was; remove: calls that remove what this run created; none:
   * nothing to do (it was so already, or it belongs to something removed or kept as a whole); keep: left
   * in place on purpose, with `manual` saying how to remove it by hand.
   */
  kind: 'revert' | 'remove' | 'none' | 'keep';
  calls: ApiCall[];
  manual?: ApiCall[];
  /** False when the revert cannot restore exactly how it was (versioning can only be suspended). */
  exact: boolean;
  /** One plain sentence. */
  note: string;
}

/** Resources created earlier in the same plan: `bucket:NAME`, `trail:REGION:NAME`, `role:NAME`, `key:OUTPUT`. */
export type Created = Pick<ReadonlySet<string>, 'has'>;

/** The resources a call creates, as `Created` keys. */
export function createdBy(call: ApiCall): string[] {
  const input = call.input;
  switch (`${call.service}:${call.operation}`) {
    case 's3:CreateBucket':
      return [`bucket:${text(input.Bucket)}`];
    case 'cloudtrail:CreateTrail':
      return [`trail:${call.region}:${text(input.Name)}`];
    case 'iam:CreateRole':
      return [`role:${text(input.RoleName)}`];
    case 'kms:CreateKey':
      return call.output ? [`key:${call.output}`] : [];
    case 'logs:CreateLogGroup':
      return [`loggroup:${call.region}:${text(input.logGroupName)}`];
    case 'kms:CreateAlias':
      return [`alias:${call.region}:${text(input.AliasName)}`];
    default:
      return [];
  }
}

const revert = (calls: ApiCall[], note: string, exact = true): Undo => ({
  kind: 'revert',
  calls,
  exact,
  note,
});
const none = (note: string): Undo => ({ kind: 'none', calls: [], exact: true, note });

/** Why there is no undo: the before-state was not read. */
export class NoUndo {
  constructor(readonly reason: string) {}
}

function owner(input: CallInput): CallInput {
  return input.ExpectedBucketOwner !== undefined ? { ExpectedBucketOwner: input.ExpectedBucketOwner } : {};
}

export function undoFor(call: ApiCall, before: Snapshot, created: Created): Undo | NoUndo {
  const { input, region } = call;
  const operation = `${call.service}:${call.operation}`;
  const bucketName = typeof input.Bucket === 'string' ? input.Bucket : '';
  const bucket = bucketName ? findBucket(before, bucketName) : undefined;
  const newBucket = created.has(`bucket:${bucketName}`);
  const trailName = text(input.Name ?? input.TrailName);
  const newTrail = created.has(`trail:${region}:${trailName}`);
  const trail = findTrail(before, trailName, region);

  switch (operation) {
    case 'cloudtrail:CreateTrail':
      return {
        kind: 'remove',
        calls: [apiCall('cloudtrail', 'DeleteTrail', region, { Name: trailName })],
        exact: true,
        note: `delete trail ${trailName}, which this run created`,
      };
    case 'cloudtrail:UpdateTrail': {
      if (newTrail) return none(`trail ${trailName} is new: deleting it undoes this`);
      if (!trail) return new NoUndo(`trail ${trailName} is not in the evidence`);
      const config = trail.config;
      const old: CallInput = { Name: trailName };
      const values: Record<string, Json> = {
        IsMultiRegionTrail: config.IsMultiRegionTrail ?? false,
        IncludeGlobalServiceEvents: config.IncludeGlobalServiceEvents ?? true,
        EnableLogFileValidation: config.LogFileValidationEnabled ?? false,
        // An empty string removes the setting again.
        KmsKeyId: config.KmsKeyId ?? '',
        CloudWatchLogsLogGroupArn: config.CloudWatchLogsLogGroupArn ?? '',
        CloudWatchLogsRoleArn: config.CloudWatchLogsRoleArn ?? '',
        S3BucketName: config.S3BucketName ?? '',
      };
      for (const field of Object.keys(input)) if (field !== 'Name') old[field] = values[field] ?? null;
      return revert(
        [apiCall('cloudtrail', 'UpdateTrail', region, old)],
        `set ${Object.keys(old)
          .filter((f) => f !== 'Name')
          .join(', ')} of trail ${trailName} back`,
      );
    }
    case 'cloudtrail:PutEventSelectors': {
      if (newTrail) return none(`trail ${trailName} is new: deleting it undoes this`);
      const selectors = trail?.eventSelectors;
      if (!selectors?.ok) return new NoUndo(`the event selectors of trail ${trailName} were not read`);
      const advanced = selectors.value.AdvancedEventSelectors ?? [];
      const old: CallInput =
        advanced.length > 0
          ? { TrailName: trailName, AdvancedEventSelectors: advanced }
          : { TrailName: trailName, EventSelectors: selectors.value.EventSelectors ?? [] };
      return revert(
        [apiCall('cloudtrail', 'PutEventSelectors', region, old)],
        `put the old event selectors of trail ${trailName} back`,
      );
    }
    case 'cloudtrail:StartLogging': {
      if (newTrail) return none(`trail ${trailName} is new: deleting it undoes this`);
      const status = trail?.status;
      if (!status?.ok || status.value.IsLogging === undefined)
        return new NoUndo(`whether trail ${trailName} is logging was not read`);
      if (status.value.IsLogging) return none(`trail ${trailName} was logging already`);
      return revert(
        [apiCall('cloudtrail', 'StopLogging', region, { Name: trailName })],
        `stop trail ${trailName} again`,
      );
    }
    case 's3:CreateBucket':
      return {
        kind: 'remove',
        // S3 deletes only an empty bucket: a rollback can never take logs with it.
        calls: [
          apiCall('s3', 'DeleteBucket', region, {
            Bucket: bucketName,
            ExpectedBucketOwner: before.account.Account,
          }),
        ],
        exact: true,
        note: `delete bucket ${bucketName}, which this run created (S3 deletes it only while it is empty)`,
      };
    case 's3:PutPublicAccessBlock': {
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      const block = bucket?.publicAccessBlock;
      if (!block?.ok)
        return new NoUndo(`the Block Public Access settings of bucket ${bucketName} were not read`);
      if (!block.value.Configured)
        return revert(
          [apiCall('s3', 'DeletePublicAccessBlock', region, { Bucket: bucketName, ...owner(input) })],
          `remove the Block Public Access settings of bucket ${bucketName} again (it had none)`,
        );
      const { BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets } = block.value;
      return revert(
        [
          apiCall('s3', 'PutPublicAccessBlock', region, {
            Bucket: bucketName,
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: BlockPublicAcls ?? false,
              IgnorePublicAcls: IgnorePublicAcls ?? false,
              BlockPublicPolicy: BlockPublicPolicy ?? false,
              RestrictPublicBuckets: RestrictPublicBuckets ?? false,
            },
            ...owner(input),
          }),
        ],
        `put the old Block Public Access settings of bucket ${bucketName} back`,
      );
    }
    case 's3:PutBucketPolicy':
    case 's3:DeleteBucketPolicy': {
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      const policy = bucket?.policy;
      if (!policy?.ok) return new NoUndo(`the policy of bucket ${bucketName} was not read`);
      if (policy.value.Policy === undefined)
        return operation === 's3:DeleteBucketPolicy'
          ? none(`bucket ${bucketName} had no policy`)
          : revert(
              [apiCall('s3', 'DeleteBucketPolicy', region, { Bucket: bucketName, ...owner(input) })],
              `delete the policy of bucket ${bucketName} again (it had none)`,
            );
      return revert(
        [
          apiCall('s3', 'PutBucketPolicy', region, {
            Bucket: bucketName,
            Policy: policy.value.Policy,
            ...owner(input),
          }),
        ],
        `put the old policy of bucket ${bucketName} back, word for word`,
      );
    }
    case 's3:PutBucketAcl': {
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      const acl = bucket?.acl;
      if (!acl?.ok || !acl.value.Owner?.ID) return new NoUndo(`the ACL of bucket ${bucketName} was not read`);
      const grants = acl.value.Grants.map((g) => {
        const { DisplayName: _name, ...grantee } = g.Grantee ?? {};
        return { Grantee: grantee, Permission: g.Permission };
      });
      return revert(
        [
          apiCall('s3', 'PutBucketAcl', region, {
            Bucket: bucketName,
            AccessControlPolicy: { Grants: grants as Json, Owner: { ID: acl.value.Owner.ID } },
            ...owner(input),
          }),
        ],
        `put the old ACL grants of bucket ${bucketName} back`,
      );
    }
    case 's3:PutBucketLogging': {
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      const logging = bucket?.logging;
      if (!logging?.ok) return new NoUndo(`the access logging of bucket ${bucketName} was not read`);
      const enabled = logging.value.LoggingEnabled;
      return revert(
        [
          apiCall('s3', 'PutBucketLogging', region, {
            Bucket: bucketName,
            BucketLoggingStatus: enabled ? { LoggingEnabled: enabled as Json } : {},
            ...owner(input),
          }),
        ],
        enabled
          ? `point the access logs of bucket ${bucketName} back at ${enabled.TargetBucket ?? ''}`
          : `turn access logging of bucket ${bucketName} off again`,
      );
    }
    case 's3:PutBucketEncryption':
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      return new NoUndo(`trailcheck does not read the default encryption of bucket ${bucketName}`);
    case 's3:PutBucketVersioning': {
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      const versioning = bucket?.versioning;
      if (!versioning?.ok) return new NoUndo(`the versioning of bucket ${bucketName} was not read`);
      const status = versioning.value.Status;
      if (status === 'Enabled') return none(`bucket ${bucketName} was versioned already`);
      const suspend = [
        apiCall('s3', 'PutBucketVersioning', region, {
          Bucket: bucketName,
          VersioningConfiguration: { Status: 'Suspended' },
          ...owner(input),
        }),
      ];
      return status === 'Suspended'
        ? revert(suspend, `suspend versioning of bucket ${bucketName} again`)
        : revert(
            suspend,
            `suspend versioning of bucket ${bucketName}: S3 cannot turn versioning off once it was on, so the bucket stays “Suspended” instead of never versioned`,
            false,
          );
    }
    case 'kms:CreateKey':
      return {
        kind: 'keep',
        calls: [],
        manual: call.output
          ? [
              apiCall('kms', 'ScheduleKeyDeletion', region, {
                KeyId: ref(`${call.output}.KeyMetadata.Arn`),
                PendingWindowInDays: 30,
              }),
            ]
          : [],
        exact: false,
        note: 'keep the new KMS key: log files may already be encrypted with it, and deleting a key loses them (it is charged per month while it exists; schedule its deletion by hand once nothing uses it)',
      };
    case 'kms:CreateAlias':
      return {
        kind: 'remove',
        calls: [apiCall('kms', 'DeleteAlias', region, { AliasName: text(input.AliasName) })],
        exact: true,
        note: `delete alias ${text(input.AliasName)}, which this run created (the key stays)`,
      };
    case 'kms:EnableKeyRotation': {
      const existing = findRotationKey(before, text(input.KeyId));
      if (!existing) return none('a setting of the new key, which is kept');
      if (!existing.rotation?.ok) return new NoUndo(`the rotation of key ${text(input.KeyId)} was not read`);
      if (existing.rotation.value.KeyRotationEnabled) return none('rotation was on already');
      return revert(
        [apiCall('kms', 'DisableKeyRotation', region, { KeyId: text(input.KeyId) })],
        `turn automatic rotation of key ${text(input.KeyId)} off again`,
      );
    }
    case 'kms:PutKeyPolicy': {
      const record = findKey(before, text(input.KeyId));
      if (!record?.policy?.ok) return new NoUndo(`the policy of key ${text(input.KeyId)} was not read`);
      return revert(
        [
          apiCall('kms', 'PutKeyPolicy', region, {
            KeyId: text(input.KeyId),
            PolicyName: 'default',
            Policy: record.policy.value.Policy,
          }),
        ],
        `put the old policy of key ${text(input.KeyId)} back, word for word`,
      );
    }
    case 'kms:EnableKey': {
      const record = findKey(before, text(input.KeyId));
      if (!record?.describe.ok) return new NoUndo(`the state of key ${text(input.KeyId)} was not read`);
      if (record.describe.value.KeyState === 'Enabled') return none('the key was enabled already');
      return revert(
        [apiCall('kms', 'DisableKey', region, { KeyId: text(input.KeyId) })],
        `disable key ${text(input.KeyId)} again`,
      );
    }
    case 'logs:CreateLogGroup':
      return {
        kind: 'keep',
        calls: [],
        manual: [apiCall('logs', 'DeleteLogGroup', region, { logGroupName: text(input.logGroupName) })],
        exact: false,
        note: `keep log group ${text(input.logGroupName)}: events may already have been delivered to it (delete it by hand if it stays empty)`,
      };
    case 'iam:CreateRole':
      return {
        kind: 'remove',
        calls: [apiCall('iam', 'DeleteRole', region, { RoleName: text(input.RoleName) })],
        exact: true,
        note: `delete role ${text(input.RoleName)}, which this run created`,
      };
    case 'iam:PutRolePolicy':
      if (!created.has(`role:${text(input.RoleName)}`))
        return new NoUndo(`trailcheck does not read the inline policies of role ${text(input.RoleName)}`);
      return {
        kind: 'remove',
        calls: [
          apiCall('iam', 'DeleteRolePolicy', region, {
            RoleName: text(input.RoleName),
            PolicyName: text(input.PolicyName),
          }),
        ],
        exact: true,
        note: `delete the inline policy of role ${text(input.RoleName)} (IAM deletes a role only once it has none)`,
      };
    default:
      return new NoUndo(`trailcheck has no undo for ${operation}`);
  }
}
