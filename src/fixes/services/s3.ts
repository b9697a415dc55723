/** S3's write operations: buckets created and removed, and the settings fixes put on them, with their undos. */
import type { Grant, Snapshot } from '../../snapshot/schema.js';
import type { ApiCall, CallInput, Json } from '../../core/api-call.js';
import { text } from '../../core/api-call.js';
import { apiCall } from '../../core/api-call.js';
import { bucketOf, findBucket, newBucket, ok, ownerId, str } from './draft.js';
import type { BucketAspect, Created, OperationSpec, ServiceOperations, TargetContext } from './types.js';
import { NoUndo, none, revert } from './types.js';

function owner(input: CallInput): CallInput {
  return input.ExpectedBucketOwner !== undefined ? { ExpectedBucketOwner: input.ExpectedBucketOwner } : {};
}

/** The bucket a call names, whether this run created it, and how it was before the call. */
function bucketContext(call: ApiCall, before: Snapshot, created: Created) {
  const bucketName = typeof call.input.Bucket === 'string' ? call.input.Bucket : '';
  return {
    bucketName,
    bucket: bucketName ? findBucket(before, bucketName) : undefined,
    newBucket: created.has(`bucket:${bucketName}`),
  };
}

/** A setting of an existing bucket, in the declarative forms. */
function aspect(name?: BucketAspect): OperationSpec['target'] {
  return (call: ApiCall, context: TargetContext) => {
    const b = context.bucket(text(call.input.Bucket), call.region, false);
    if (name) b.aspects.add(name);
  };
}

export const S3: ServiceOperations = {
  CreateBucket: {
    simulate: (draft, input, call) => {
      const snapshot = draft.snapshot;
      const name = str(input.Bucket) ?? '';
      const configuration = input.CreateBucketConfiguration as { LocationConstraint?: string } | undefined;
      const region = configuration?.LocationConstraint ?? call.region;
      if (!findBucket(snapshot, name)) draft.addBucket(newBucket(name, region, ownerId(snapshot)));
      return { Location: `/${name}` };
    },
    undo: (call, before) => {
      const { bucketName } = bucketContext(call, before, new Set());
      return {
        kind: 'remove',
        // S3 deletes only an empty bucket: a rollback can never take logs with it.
        calls: [
          apiCall('s3', 'DeleteBucket', call.region, {
            Bucket: bucketName,
            ExpectedBucketOwner: before.account.Account,
          }),
        ],
        exact: true,
        note: `delete bucket ${bucketName}, which this run created (S3 deletes it only while it is empty)`,
      };
    },
    creates: (call) => [`bucket:${text(call.input.Bucket)}`],
    names: (call) => [{ kind: 'bucket', name: text(call.input.Bucket), region: call.region }],
    target: (call, context) => {
      context.bucket(text(call.input.Bucket), call.region, true);
    },
  },
  DeleteBucket: {
    simulate: (draft, input) => {
      const bucket = draft.bucket(str(input.Bucket) ?? '');
      if (bucket) draft.removeBucket(bucket);
      return {};
    },
    target: aspect(),
  },
  PutPublicAccessBlock: {
    simulate: (draft, input, call) => {
      const bucket = bucketOf(draft, input, call);
      const configuration = (input.PublicAccessBlockConfiguration ?? {}) as Record<string, boolean>;
      bucket.publicAccessBlock = ok(
        { Configured: true, ...configuration },
        's3:GetPublicAccessBlock',
        call.region,
      );
      return {};
    },
    undo: (call, before, created) => {
      const { input, region } = call;
      const { bucketName, bucket, newBucket } = bucketContext(call, before, created);
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
    },
    document: (call) => `pab:${text(call.input.Bucket)}`,
    iamAction: 's3:PutBucketPublicAccessBlock',
    target: aspect('pab'),
  },
  DeletePublicAccessBlock: {
    simulate: (draft, input, call) => {
      bucketOf(draft, input, call).publicAccessBlock = ok(
        { Configured: false },
        's3:GetPublicAccessBlock',
        call.region,
      );
      return {};
    },
    iamAction: 's3:PutBucketPublicAccessBlock',
    target: aspect(),
  },
  PutBucketPolicy: {
    simulate: (draft, input, call) => {
      const bucket = bucketOf(draft, input, call);
      bucket.policy = ok({ Policy: str(input.Policy) ?? '' }, 's3:GetBucketPolicy', call.region);
      // S3 judges the new policy itself; trailcheck's own reading of it decides from here.
      bucket.policyStatus = ok({}, 's3:GetBucketPolicyStatus', call.region);
      return {};
    },
    undo: (call, before, created) => policyUndo(call, before, created),
    document: (call) => `policy:${text(call.input.Bucket)}`,
    target: aspect('policy'),
  },
  DeleteBucketPolicy: {
    simulate: (draft, input, call) => {
      const bucket = bucketOf(draft, input, call);
      bucket.policy = ok({}, 's3:GetBucketPolicy', call.region);
      bucket.policyStatus = ok({}, 's3:GetBucketPolicyStatus', call.region);
      return {};
    },
    undo: (call, before, created) => policyUndo(call, before, created),
    document: (call) => `policy:${text(call.input.Bucket)}`,
    target: aspect('policy'),
  },
  PutBucketAcl: {
    simulate: (draft, input, call) => {
      const bucket = bucketOf(draft, input, call);
      const before = bucket.acl?.ok ? bucket.acl.value : { Grants: [] };
      const policy = input.AccessControlPolicy as { Owner?: { ID?: string }; Grants?: Grant[] } | undefined;
      const owner = policy?.Owner?.ID ?? before.Owner?.ID;
      const grants = policy
        ? structuredClone(policy.Grants ?? [])
        : owner
          ? [{ Grantee: { Type: 'CanonicalUser', ID: owner }, Permission: 'FULL_CONTROL' }]
          : [];
      bucket.acl = ok(
        {
          ...(before.Owner ? { Owner: { ...before.Owner } } : owner ? { Owner: { ID: owner } } : {}),
          Grants: grants,
        },
        's3:GetBucketAcl',
        call.region,
      );
      return {};
    },
    undo: (call, before, created) => {
      const { bucketName, bucket, newBucket } = bucketContext(call, before, created);
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      const acl = bucket?.acl;
      if (!acl?.ok || !acl.value.Owner?.ID) return new NoUndo(`the ACL of bucket ${bucketName} was not read`);
      const grants = acl.value.Grants.map((g) => {
        const { DisplayName: _name, ...grantee } = g.Grantee ?? {};
        return { Grantee: grantee, Permission: g.Permission };
      });
      return revert(
        [
          apiCall('s3', 'PutBucketAcl', call.region, {
            Bucket: bucketName,
            AccessControlPolicy: { Grants: grants as Json, Owner: { ID: acl.value.Owner.ID } },
            ...owner(call.input),
          }),
        ],
        `put the old ACL grants of bucket ${bucketName} back`,
      );
    },
    document: (call) => `acl:${text(call.input.Bucket)}`,
    target: aspect('acl'),
  },
  PutBucketLogging: {
    simulate: (draft, input, call) => {
      const bucket = bucketOf(draft, input, call);
      const status = (input.BucketLoggingStatus ?? {}) as {
        LoggingEnabled?: { TargetBucket?: string; TargetPrefix?: string };
      };
      bucket.logging = ok(
        status.LoggingEnabled ? { LoggingEnabled: { ...status.LoggingEnabled } } : {},
        's3:GetBucketLogging',
        call.region,
      );
      return {};
    },
    undo: (call, before, created) => {
      const { bucketName, bucket, newBucket } = bucketContext(call, before, created);
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      const logging = bucket?.logging;
      if (!logging?.ok) return new NoUndo(`the access logging of bucket ${bucketName} was not read`);
      const enabled = logging.value.LoggingEnabled;
      return revert(
        [
          apiCall('s3', 'PutBucketLogging', call.region, {
            Bucket: bucketName,
            BucketLoggingStatus: enabled ? { LoggingEnabled: enabled as Json } : {},
            ...owner(call.input),
          }),
        ],
        enabled
          ? `point the access logs of bucket ${bucketName} back at ${enabled.TargetBucket ?? ''}`
          : `turn access logging of bucket ${bucketName} off again`,
      );
    },
    document: (call) => `logging:${text(call.input.Bucket)}`,
    target: aspect('logging'),
  },
  PutBucketVersioning: {
    simulate: (draft, input, call) => {
      const bucket = bucketOf(draft, input, call);
      const before = bucket.versioning?.ok ? bucket.versioning.value : {};
      const configuration = (input.VersioningConfiguration ?? {}) as { Status?: string };
      bucket.versioning = ok(
        { ...before, ...(configuration.Status ? { Status: configuration.Status } : {}) },
        's3:GetBucketVersioning',
        call.region,
      );
      return {};
    },
    undo: (call, before, created) => {
      const { bucketName, bucket, newBucket } = bucketContext(call, before, created);
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      const versioning = bucket?.versioning;
      if (!versioning?.ok) return new NoUndo(`the versioning of bucket ${bucketName} was not read`);
      const status = versioning.value.Status;
      if (status === 'Enabled') return none(`bucket ${bucketName} was versioned already`);
      const suspend = [
        apiCall('s3', 'PutBucketVersioning', call.region, {
          Bucket: bucketName,
          VersioningConfiguration: { Status: 'Suspended' },
          ...owner(call.input),
        }),
      ];
      return status === 'Suspended'
        ? revert(suspend, `suspend versioning of bucket ${bucketName} again`)
        : revert(
            suspend,
            `suspend versioning of bucket ${bucketName}: S3 cannot turn versioning off once it was on, so the bucket stays “Suspended” instead of never versioned`,
            false,
          );
    },
    document: (call) => `versioning:${text(call.input.Bucket)}`,
    target: aspect('versioning'),
  },
  PutBucketEncryption: {
    simulate: () => ({}),
    undo: (call, before, created) => {
      const { bucketName, newBucket } = bucketContext(call, before, created);
      if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
      return new NoUndo(`trailcheck does not read the default encryption of bucket ${bucketName}`);
    },
    iamAction: 's3:PutEncryptionConfiguration',
    target: aspect('encryption'),
  },
};

function policyUndo(call: ApiCall, before: Snapshot, created: Created) {
  const { bucketName, bucket, newBucket } = bucketContext(call, before, created);
  if (newBucket) return none(`bucket ${bucketName} is new: deleting it undoes this`);
  const policy = bucket?.policy;
  if (!policy?.ok) return new NoUndo(`the policy of bucket ${bucketName} was not read`);
  if (policy.value.Policy === undefined)
    return call.operation === 'DeleteBucketPolicy'
      ? none(`bucket ${bucketName} had no policy`)
      : revert(
          [apiCall('s3', 'DeleteBucketPolicy', call.region, { Bucket: bucketName, ...owner(call.input) })],
          `delete the policy of bucket ${bucketName} again (it had none)`,
        );
  return revert(
    [
      apiCall('s3', 'PutBucketPolicy', call.region, {
        Bucket: bucketName,
        Policy: policy.value.Policy,
        ...owner(call.input),
      }),
    ],
    `put the old policy of bucket ${bucketName} back, word for word`,
  );
}
