/**
 * What a call does to the account, on the evidence snapshot: the planner applies each fix to a copy of the
 * snapshot and evaluates the controls again, to see that it closes the finding, weakens nothing, and what
 * its undo must restore. Resources the snapshot does not describe (log groups, roles, aliases, default
 * encryption) are not modelled; their calls change nothing here.
 */
import type {
  BucketRecord,
  EventSelectors,
  Grant,
  Observation,
  Snapshot,
  TrailConfig,
  TrailRecord,
} from '../snapshot/schema.js';
import type { ApiCall, Json } from './calls.js';
import { isRef } from './calls.js';

/** Outputs of calls made so far, by output name. */
export type Outputs = ReadonlyMap<string, unknown>;

/** The input with every Ref replaced by the value it points at. */
export function resolveInput(call: ApiCall, outputs: Outputs): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(call.input)) {
    if (!isRef(value)) {
      input[field] = value;
      continue;
    }
    const [name = '', ...path] = value.$ref.split('.');
    let current: unknown = outputs.get(name);
    if (current === undefined) throw new Error(`${value.$ref} is used before ${name} was made`);
    for (const key of path) current = (current as Record<string, unknown> | undefined)?.[key];
    if (current === undefined || current === null) throw new Error(`${value.$ref} has no value`);
    input[field] = current;
  }
  return input;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

function ok<T>(value: T, operation: string, region: string): Observation<T> {
  return { ok: true, value, source: { operation, region } };
}

/** The trail a call names (by name in its home Region, or by ARN). */
export function findTrail(snapshot: Snapshot, nameOrArn: string, region: string): TrailRecord | undefined {
  return snapshot.cloudtrail.trails.find(
    (t) => t.config.TrailARN === nameOrArn || (t.config.Name === nameOrArn && t.config.HomeRegion === region),
  );
}

export function findBucket(snapshot: Snapshot, name: string): BucketRecord | undefined {
  return snapshot.s3.buckets.find((b) => b.Name === name);
}

function newBucket(name: string, region: string, owner: string | undefined): BucketRecord {
  const at = (operation: string) => ({ operation, region });
  return {
    Name: name,
    location: {
      ok: true,
      value: { Region: region, ...(region === 'us-east-1' ? {} : { LocationConstraint: region }) },
      source: at('s3:GetBucketLocation'),
    },
    logging: { ok: true, value: {}, source: at('s3:GetBucketLogging') },
    acl: {
      ok: true,
      value: {
        ...(owner ? { Owner: { ID: owner } } : {}),
        Grants: owner ? [{ Grantee: { Type: 'CanonicalUser', ID: owner }, Permission: 'FULL_CONTROL' }] : [],
      },
      source: at('s3:GetBucketAcl'),
    },
    policy: { ok: true, value: {}, source: at('s3:GetBucketPolicy') },
    publicAccessBlock: { ok: true, value: { Configured: false }, source: at('s3:GetPublicAccessBlock') },
    policyStatus: { ok: true, value: {}, source: at('s3:GetBucketPolicyStatus') },
    versioning: { ok: true, value: {}, source: at('s3:GetBucketVersioning') },
    objectLock: { ok: true, value: {}, source: at('s3:GetObjectLockConfiguration') },
    lifecycle: { ok: true, value: { Rules: [] }, source: at('s3:GetBucketLifecycleConfiguration') },
  };
}

/** The canonical id of the account's buckets' owner, as other buckets' ACLs name it. */
function ownerId(snapshot: Snapshot): string | undefined {
  for (const bucket of snapshot.s3.buckets)
    if (bucket.acl?.ok && bucket.acl.value.Owner?.ID) return bucket.acl.value.Owner.ID;
  return undefined;
}

/** What AWS gives a new trail: one selector recording every management event. */
const DEFAULT_SELECTORS: EventSelectors = {
  EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
};

/** Placeholder values for what AWS makes up at apply time (a new key's id); the plan maps them back to refs. */
export function newKeyId(output: string): string {
  return `trailcheck-new-${output}`;
}

type Mutation = (snapshot: Snapshot, input: Record<string, unknown>, call: ApiCall) => unknown;

function trailOf(
  snapshot: Snapshot,
  input: Record<string, unknown>,
  call: ApiCall,
  field = 'Name',
): TrailRecord {
  const name = str(input[field]) ?? '';
  const trail = findTrail(snapshot, name, call.region);
  if (!trail) throw new Error(`${call.operation}: no trail ${name} in ${call.region}`);
  return trail;
}

function bucketOf(snapshot: Snapshot, input: Record<string, unknown>, call: ApiCall): BucketRecord {
  const name = str(input.Bucket) ?? '';
  const bucket = findBucket(snapshot, name);
  if (!bucket) throw new Error(`${call.operation}: no bucket ${name}`);
  return bucket;
}

const UPDATE_FIELDS: Array<[keyof TrailConfig, string]> = [
  ['IsMultiRegionTrail', 'IsMultiRegionTrail'],
  ['IncludeGlobalServiceEvents', 'IncludeGlobalServiceEvents'],
  ['LogFileValidationEnabled', 'EnableLogFileValidation'],
  ['KmsKeyId', 'KmsKeyId'],
  ['CloudWatchLogsLogGroupArn', 'CloudWatchLogsLogGroupArn'],
  ['CloudWatchLogsRoleArn', 'CloudWatchLogsRoleArn'],
  ['S3BucketName', 'S3BucketName'],
];

/** Which trails each scanned Region's DescribeTrails would list. */
function relist(snapshot: Snapshot): void {
  for (const discovery of snapshot.cloudtrail.discovery) {
    if (!discovery.result.ok) continue;
    discovery.result.value.TrailARNs = snapshot.cloudtrail.trails
      .filter((t) => t.config.IsMultiRegionTrail === true || t.config.HomeRegion === discovery.region)
      .map((t) => t.config.TrailARN)
      .sort();
  }
  for (const trail of snapshot.cloudtrail.trails) {
    trail.seenIn = snapshot.scope.regions
      .filter((r) => trail.config.IsMultiRegionTrail === true || trail.config.HomeRegion === r)
      .sort();
  }
}

const MUTATIONS: Record<string, Mutation> = {
  'cloudtrail:CreateTrail': (snapshot, input, call) => {
    const name = str(input.Name) ?? '';
    const arn = `arn:${snapshot.account.Partition}:cloudtrail:${call.region}:${snapshot.account.Account}:trail/${name}`;
    const config: TrailConfig = {
      Name: name,
      TrailARN: arn,
      HomeRegion: call.region,
      S3BucketName: str(input.S3BucketName) ?? '',
      IsMultiRegionTrail: bool(input.IsMultiRegionTrail) ?? false,
      IncludeGlobalServiceEvents: bool(input.IncludeGlobalServiceEvents) ?? true,
      LogFileValidationEnabled: bool(input.EnableLogFileValidation) ?? false,
      IsOrganizationTrail: false,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      ...(str(input.KmsKeyId) ? { KmsKeyId: str(input.KmsKeyId) } : {}),
    };
    const tags = Array.isArray(input.TagsList)
      ? (input.TagsList as Array<{ Key: string; Value?: string }>)
      : [];
    snapshot.cloudtrail.trails.push({
      config,
      configSource: { operation: 'cloudtrail:DescribeTrails', region: call.region },
      seenIn: [],
      status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus', call.region),
      eventSelectors: ok(structuredClone(DEFAULT_SELECTORS), 'cloudtrail:GetEventSelectors', call.region),
      insightSelectors: ok({ InsightSelectors: [] }, 'cloudtrail:GetInsightSelectors', call.region),
      tags: ok({ TagsList: tags.map((t) => ({ ...t })) }, 'cloudtrail:ListTags', call.region),
    });
    snapshot.cloudtrail.trails.sort((a, b) => a.config.TrailARN.localeCompare(b.config.TrailARN));
    relist(snapshot);
    return { TrailARN: arn, Name: name };
  },
  'cloudtrail:DeleteTrail': (snapshot, input, call) => {
    const trail = trailOf(snapshot, input, call);
    snapshot.cloudtrail.trails = snapshot.cloudtrail.trails.filter((t) => t !== trail);
    relist(snapshot);
    return {};
  },
  'cloudtrail:UpdateTrail': (snapshot, input, call) => {
    const trail = trailOf(snapshot, input, call);
    const config = trail.config as Record<string, unknown>;
    for (const [field, member] of UPDATE_FIELDS) {
      if (!(member in input)) continue;
      const value = input[member];
      // An empty string removes the setting (KmsKeyId: "" turns SSE-KMS off).
      if (value === '' || value === undefined) delete config[field];
      else config[field] = value;
    }
    relist(snapshot);
    return { TrailARN: trail.config.TrailARN };
  },
  'cloudtrail:PutEventSelectors': (snapshot, input, call) => {
    const trail = trailOf(snapshot, input, call, 'TrailName');
    const value: EventSelectors = {};
    if (Array.isArray(input.EventSelectors)) value.EventSelectors = structuredClone(input.EventSelectors);
    if (Array.isArray(input.AdvancedEventSelectors))
      value.AdvancedEventSelectors = structuredClone(input.AdvancedEventSelectors);
    trail.eventSelectors = ok(value, 'cloudtrail:GetEventSelectors', call.region);
    return {};
  },
  'cloudtrail:StartLogging': (snapshot, input, call) => {
    const trail = trailOf(snapshot, input, call);
    const before = trail.status?.ok ? trail.status.value : {};
    const { StopLoggingTime: _stopped, LatestDeliveryError: _error, ...rest } = before;
    // Delivery resumes within minutes of starting: the state a scan sees once it has.
    trail.status = ok(
      {
        ...rest,
        IsLogging: true,
        StartLoggingTime: snapshot.finishedAt,
        LatestDeliveryTime: snapshot.finishedAt,
      },
      'cloudtrail:GetTrailStatus',
      call.region,
    );
    return {};
  },
  'cloudtrail:StopLogging': (snapshot, input, call) => {
    const trail = trailOf(snapshot, input, call);
    const before = trail.status?.ok ? trail.status.value : {};
    trail.status = ok({ ...before, IsLogging: false }, 'cloudtrail:GetTrailStatus', call.region);
    return {};
  },
  's3:CreateBucket': (snapshot, input, call) => {
    const name = str(input.Bucket) ?? '';
    const configuration = input.CreateBucketConfiguration as { LocationConstraint?: string } | undefined;
    const region = configuration?.LocationConstraint ?? call.region;
    if (!findBucket(snapshot, name)) {
      snapshot.s3.buckets.push(newBucket(name, region, ownerId(snapshot)));
      snapshot.s3.buckets.sort((a, b) => a.Name.localeCompare(b.Name));
    }
    return { Location: `/${name}` };
  },
  's3:DeleteBucket': (snapshot, input) => {
    snapshot.s3.buckets = snapshot.s3.buckets.filter((b) => b.Name !== str(input.Bucket));
    return {};
  },
  's3:PutPublicAccessBlock': (snapshot, input, call) => {
    const bucket = bucketOf(snapshot, input, call);
    const configuration = (input.PublicAccessBlockConfiguration ?? {}) as Record<string, boolean>;
    bucket.publicAccessBlock = ok(
      { Configured: true, ...configuration },
      's3:GetPublicAccessBlock',
      call.region,
    );
    return {};
  },
  's3:DeletePublicAccessBlock': (snapshot, input, call) => {
    bucketOf(snapshot, input, call).publicAccessBlock = ok(
      { Configured: false },
      's3:GetPublicAccessBlock',
      call.region,
    );
    return {};
  },
  's3:PutBucketPolicy': (snapshot, input, call) => {
    const bucket = bucketOf(snapshot, input, call);
    bucket.policy = ok({ Policy: str(input.Policy) ?? '' }, 's3:GetBucketPolicy', call.region);
    // S3 judges the new policy itself; trailcheck's own reading of it decides from here.
    bucket.policyStatus = ok({}, 's3:GetBucketPolicyStatus', call.region);
    return {};
  },
  's3:DeleteBucketPolicy': (snapshot, input, call) => {
    const bucket = bucketOf(snapshot, input, call);
    bucket.policy = ok({}, 's3:GetBucketPolicy', call.region);
    bucket.policyStatus = ok({}, 's3:GetBucketPolicyStatus', call.region);
    return {};
  },
  's3:PutBucketAcl': (snapshot, input, call) => {
    const bucket = bucketOf(snapshot, input, call);
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
  's3:PutBucketLogging': (snapshot, input, call) => {
    const bucket = bucketOf(snapshot, input, call);
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
  's3:PutBucketVersioning': (snapshot, input, call) => {
    const bucket = bucketOf(snapshot, input, call);
    const before = bucket.versioning?.ok ? bucket.versioning.value : {};
    const configuration = (input.VersioningConfiguration ?? {}) as { Status?: string };
    bucket.versioning = ok(
      { ...before, ...(configuration.Status ? { Status: configuration.Status } : {}) },
      's3:GetBucketVersioning',
      call.region,
    );
    return {};
  },
  's3:PutBucketEncryption': () => ({}),
  'kms:CreateKey': (snapshot, input, call) => {
    const id = newKeyId(call.output ?? 'key');
    const arn = `arn:${snapshot.account.Partition}:kms:${call.region}:${snapshot.account.Account}:key/${id}`;
    snapshot.kms ??= { keys: [] };
    snapshot.kms.keys.push({
      KeyId: arn,
      Region: call.region,
      describe: ok(
        {
          KeyId: id,
          Arn: arn,
          KeyState: 'Enabled',
          Enabled: true,
          KeyManager: 'CUSTOMER',
          Origin: 'AWS_KMS',
        },
        'kms:DescribeKey',
        call.region,
      ),
      policy: ok({ Policy: str(input.Policy) ?? '' }, 'kms:GetKeyPolicy', call.region),
    });
    return { KeyMetadata: { KeyId: id, Arn: arn } };
  },
  'kms:PutKeyPolicy': (snapshot, input) => {
    const record = findKey(snapshot, str(input.KeyId) ?? '');
    if (record) record.policy = ok({ Policy: str(input.Policy) ?? '' }, 'kms:GetKeyPolicy', record.Region);
    return {};
  },
  'kms:EnableKey': (snapshot, input) => setKeyState(snapshot, str(input.KeyId) ?? '', 'Enabled'),
  'kms:DisableKey': (snapshot, input) => setKeyState(snapshot, str(input.KeyId) ?? '', 'Disabled'),
  'kms:CreateAlias': () => ({}),
  'kms:DeleteAlias': () => ({}),
  'kms:EnableKeyRotation': () => ({}),
  'kms:DisableKeyRotation': () => ({}),
  'logs:CreateLogGroup': () => ({}),
  'iam:CreateRole': (snapshot, input) => ({
    Role: {
      Arn: `arn:${snapshot.account.Partition}:iam::${snapshot.account.Account}:role/${str(input.RoleName) ?? ''}`,
    },
  }),
  'iam:PutRolePolicy': () => ({}),
  'iam:DeleteRolePolicy': () => ({}),
  'iam:DeleteRole': () => ({}),
};

/** A key record by the id, ARN or alias a call names it with. */
export function findKey(snapshot: Snapshot, keyId: string) {
  return snapshot.kms?.keys.find(
    (k) =>
      k.KeyId === keyId ||
      (k.describe.ok && (k.describe.value.Arn === keyId || k.describe.value.KeyId === keyId)),
  );
}

function setKeyState(snapshot: Snapshot, keyId: string, state: 'Enabled' | 'Disabled'): unknown {
  const record = findKey(snapshot, keyId);
  if (record?.describe.ok) {
    record.describe = ok(
      { ...record.describe.value, KeyState: state, Enabled: state === 'Enabled' },
      'kms:DescribeKey',
      record.Region,
    );
  }
  return {};
}

/** Whether the simulation knows the operation (the planner sends no other). */
export function simulates(operation: string): boolean {
  return MUTATIONS[operation] !== undefined;
}

/** The snapshot after the call, and the call's (simulated) output. The given snapshot is not changed. */
export function simulateCall(
  snapshot: Snapshot,
  call: ApiCall,
  outputs: Outputs,
): { snapshot: Snapshot; output: unknown } {
  const mutation = MUTATIONS[`${call.service}:${call.operation}`];
  if (!mutation) throw new Error(`cannot simulate ${call.service}:${call.operation}`);
  const next = structuredClone(snapshot);
  const output = mutation(next, resolveInput(call, outputs), call);
  return { snapshot: next, output };
}

/** Applies calls in order; returns the final snapshot and every output. */
export function simulateCalls(
  snapshot: Snapshot,
  calls: readonly ApiCall[],
  outputs: Map<string, unknown> = new Map(),
): { snapshot: Snapshot; outputs: Map<string, unknown> } {
  let current = snapshot;
  for (const call of calls) {
    const result = simulateCall(current, call, outputs);
    current = result.snapshot;
    if (call.output) outputs.set(call.output, result.output);
  }
  return { snapshot: current, outputs };
}

/** JSON values from snapshot types (which are JSON already). */
export function asJson(value: unknown): Json {
  return value as Json;
}
