/**
 * What a call does to the account, on the evidence snapshot: the planner applies each fix to the snapshot
 * and judges the controls again, to see that it closes the finding, weakens nothing, and what its undo must
 * restore. Resources the snapshot does not describe (log groups, roles, aliases, default encryption) are not
 * modelled; their calls change nothing here.
 *
 * Copy on write: a simulated call copies only the records it changes (a trail, a bucket, a key) and the
 * lists that hold them; every other record is shared with the snapshot before it. So a plan of N steps
 * costs N small copies, not N copies of the account, and each step's before and after records can be kept
 * (the Terraform and CloudFormation forms are read from them, never replayed).
 */
import type {
  BucketRecord,
  EventSelectors,
  Grant,
  KmsKeyRecord,
  Observation,
  RotationKeyRecord,
  Snapshot,
  TrailConfig,
  TrailRecord,
} from '../snapshot/schema.js';
import type { ApiCall, Json } from '../fixes/calls.js';
import { isRef } from '../fixes/calls.js';

/** Outputs of calls made so far, by output name. */
export type Outputs = Pick<ReadonlyMap<string, unknown>, 'get' | 'has'>;

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

/** What one simulated call changed: the records before and after it (undefined: absent on that side). */
export interface SimulatedEffects {
  trails: Array<{ before: TrailRecord | undefined; after: TrailRecord | undefined }>;
  buckets: Array<{ before: BucketRecord | undefined; after: BucketRecord | undefined }>;
  keys: Array<{ before: KmsKeyRecord | undefined; after: KmsKeyRecord | undefined }>;
}

/** Work a simulation did, for tests that pin its growth: calls simulated and records copied. */
export const simulationCounters = { calls: 0, recordCopies: 0 };

/**
 * The snapshot a call is turning into: its lists are copied the first time one of their records is
 * replaced, and a record is copied the first time the call changes it. Mutations change only what
 * `trail`, `bucket` and `key` hand them.
 */
class Draft {
  readonly snapshot: Snapshot;
  private readonly trailCopies = new Map<TrailRecord, TrailRecord>();
  private readonly bucketCopies = new Map<BucketRecord, BucketRecord>();
  private readonly keyCopies = new Map<KmsKeyRecord, KmsKeyRecord>();
  private readonly added = new Set<object>();
  /** Records this call may change in place: its copies and what it added. */
  private readonly owned = new Set<object>();
  private readonly removed: Array<TrailRecord | BucketRecord> = [];
  private trailsCopied = false;
  private bucketsCopied = false;
  private keysCopied = false;

  constructor(readonly base: Snapshot) {
    this.snapshot = {
      ...base,
      cloudtrail: { ...base.cloudtrail },
      s3: { ...base.s3 },
      ...(base.kms ? { kms: { ...base.kms } } : {}),
    };
  }

  private trailList(): TrailRecord[] {
    if (!this.trailsCopied) {
      this.snapshot.cloudtrail.trails = [...this.base.cloudtrail.trails];
      this.trailsCopied = true;
    }
    return this.snapshot.cloudtrail.trails;
  }

  private bucketList(): BucketRecord[] {
    if (!this.bucketsCopied) {
      this.snapshot.s3.buckets = [...this.base.s3.buckets];
      this.bucketsCopied = true;
    }
    return this.snapshot.s3.buckets;
  }

  private keyList(): KmsKeyRecord[] {
    if (!this.keysCopied) {
      this.snapshot.kms = { ...this.snapshot.kms, keys: [...(this.base.kms?.keys ?? [])] };
      this.keysCopied = true;
    }
    return (this.snapshot.kms as { keys: KmsKeyRecord[] }).keys;
  }

  /**
   * The record this call may change: its own copy, put in the list's place the first time. The copy is
   * shallow (and a trail's config one level deeper): mutations replace a record's observations whole and
   * never change them in place, which a test checks on a frozen snapshot.
   */
  private own<R extends object>(
    found: R | undefined,
    list: () => R[],
    copies: Map<R, R>,
    copyOf: (record: R) => R = (record) => ({ ...record }),
  ): R | undefined {
    if (!found || this.owned.has(found)) return found;
    const copy = copyOf(found);
    simulationCounters.recordCopies += 1;
    const records = list();
    records[records.indexOf(found)] = copy;
    copies.set(found, copy);
    this.owned.add(copy);
    return copy;
  }

  /** A trail this call may change (its own copy), or undefined. */
  trail(nameOrArn: string, region: string): TrailRecord | undefined {
    const found = findTrail(this.snapshot, nameOrArn, region);
    return this.own(
      found,
      () => this.trailList(),
      this.trailCopies,
      (t) => ({
        ...t,
        config: { ...t.config },
      }),
    );
  }

  bucket(name: string): BucketRecord | undefined {
    return this.own(findBucket(this.snapshot, name), () => this.bucketList(), this.bucketCopies);
  }

  key(keyId: string): KmsKeyRecord | undefined {
    return this.own(findKey(this.snapshot, keyId), () => this.keyList(), this.keyCopies);
  }

  addTrail(record: TrailRecord): void {
    const list = this.trailList();
    list.push(record);
    list.sort((a, b) => a.config.TrailARN.localeCompare(b.config.TrailARN));
    this.added.add(record);
    this.owned.add(record);
  }

  removeTrail(record: TrailRecord): void {
    this.snapshot.cloudtrail.trails = this.trailList().filter((t) => t !== record);
    this.removed.push(this.original(record));
  }

  addBucket(record: BucketRecord): void {
    const list = this.bucketList();
    list.push(record);
    list.sort((a, b) => a.Name.localeCompare(b.Name));
    this.added.add(record);
    this.owned.add(record);
  }

  removeBucket(record: BucketRecord): void {
    this.snapshot.s3.buckets = this.bucketList().filter((b) => b !== record);
    this.removed.push(this.original(record));
  }

  addKey(record: KmsKeyRecord): void {
    this.keyList().push(record);
    this.added.add(record);
    this.owned.add(record);
  }

  private original<T extends object>(record: T): T {
    for (const map of [this.trailCopies, this.bucketCopies, this.keyCopies] as Array<Map<object, object>>)
      for (const [before, after] of map) if (after === record) return before as T;
    return record;
  }

  /** The discovery lists, rewritten (each Region's DescribeTrails answer) after a trail came or went. */
  relist(): void {
    const trails = this.snapshot.cloudtrail.trails;
    this.snapshot.cloudtrail.discovery = this.snapshot.cloudtrail.discovery.map((discovery) => {
      if (!discovery.result.ok) return discovery;
      const TrailARNs = trails
        .filter((t) => t.config.IsMultiRegionTrail === true || t.config.HomeRegion === discovery.region)
        .map((t) => t.config.TrailARN)
        .sort();
      return {
        ...discovery,
        result: { ...discovery.result, value: { ...discovery.result.value, TrailARNs } },
      };
    });
  }

  /** Which scanned Regions see a trail (set on a trail this call created or copied). */
  seeIn(trail: TrailRecord): void {
    trail.seenIn = this.snapshot.scope.regions
      .filter((r) => trail.config.IsMultiRegionTrail === true || trail.config.HomeRegion === r)
      .sort();
  }

  effects(): SimulatedEffects {
    const isTrail = (r: object): r is TrailRecord => 'config' in r;
    const isBucket = (r: object): r is BucketRecord => 'Name' in r && 'location' in r;
    const effects: SimulatedEffects = { trails: [], buckets: [], keys: [] };
    for (const [before, after] of this.trailCopies)
      if (this.snapshot.cloudtrail.trails.includes(after)) effects.trails.push({ before, after });
    for (const [before, after] of this.bucketCopies)
      if (this.snapshot.s3.buckets.includes(after)) effects.buckets.push({ before, after });
    for (const [before, after] of this.keyCopies) effects.keys.push({ before, after });
    for (const record of this.added) {
      if (isTrail(record)) effects.trails.push({ before: undefined, after: record });
      else if (isBucket(record)) effects.buckets.push({ before: undefined, after: record });
      else effects.keys.push({ before: undefined, after: record as KmsKeyRecord });
    }
    for (const record of this.removed) {
      if (isTrail(record)) effects.trails.push({ before: record, after: undefined });
      else effects.buckets.push({ before: record, after: undefined });
    }
    return effects;
  }
}

type Mutation = (draft: Draft, input: Record<string, unknown>, call: ApiCall) => unknown;

function trailOf(draft: Draft, input: Record<string, unknown>, call: ApiCall, field = 'Name'): TrailRecord {
  const name = str(input[field]) ?? '';
  const trail = draft.trail(name, call.region);
  if (!trail) throw new Error(`${call.operation}: no trail ${name} in ${call.region}`);
  return trail;
}

function bucketOf(draft: Draft, input: Record<string, unknown>, call: ApiCall): BucketRecord {
  const name = str(input.Bucket) ?? '';
  const bucket = draft.bucket(name);
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

const MUTATIONS: Record<string, Mutation> = {
  'cloudtrail:CreateTrail': (draft, input, call) => {
    const snapshot = draft.snapshot;
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
    const record: TrailRecord = {
      config,
      configSource: { operation: 'cloudtrail:DescribeTrails', region: call.region },
      seenIn: [],
      status: ok({ IsLogging: false }, 'cloudtrail:GetTrailStatus', call.region),
      eventSelectors: ok(structuredClone(DEFAULT_SELECTORS), 'cloudtrail:GetEventSelectors', call.region),
      insightSelectors: ok({ InsightSelectors: [] }, 'cloudtrail:GetInsightSelectors', call.region),
      tags: ok({ TagsList: tags.map((t) => ({ ...t })) }, 'cloudtrail:ListTags', call.region),
    };
    draft.addTrail(record);
    draft.seeIn(record);
    draft.relist();
    return { TrailARN: arn, Name: name };
  },
  'cloudtrail:DeleteTrail': (draft, input, call) => {
    draft.removeTrail(trailOf(draft, input, call));
    draft.relist();
    return {};
  },
  'cloudtrail:UpdateTrail': (draft, input, call) => {
    const trail = trailOf(draft, input, call);
    const config = trail.config as Record<string, unknown>;
    for (const [field, member] of UPDATE_FIELDS) {
      if (!(member in input)) continue;
      const value = input[member];
      // An empty string removes the setting (KmsKeyId: "" turns SSE-KMS off).
      if (value === '' || value === undefined) delete config[field];
      else config[field] = value;
    }
    // Only where a trail is seen from can change what each Region lists.
    if ('IsMultiRegionTrail' in input) {
      draft.seeIn(trail);
      draft.relist();
    }
    return { TrailARN: trail.config.TrailARN };
  },
  'cloudtrail:PutEventSelectors': (draft, input, call) => {
    const trail = trailOf(draft, input, call, 'TrailName');
    const value: EventSelectors = {};
    if (Array.isArray(input.EventSelectors)) value.EventSelectors = structuredClone(input.EventSelectors);
    if (Array.isArray(input.AdvancedEventSelectors))
      value.AdvancedEventSelectors = structuredClone(input.AdvancedEventSelectors);
    trail.eventSelectors = ok(value, 'cloudtrail:GetEventSelectors', call.region);
    return {};
  },
  'cloudtrail:StartLogging': (draft, input, call) => {
    const trail = trailOf(draft, input, call);
    const before = trail.status?.ok ? trail.status.value : {};
    const { StopLoggingTime: _stopped, LatestDeliveryError: _error, ...rest } = before;
    // Delivery resumes within minutes of starting: the state a scan sees once it has.
    trail.status = ok(
      {
        ...rest,
        IsLogging: true,
        StartLoggingTime: draft.snapshot.finishedAt,
        LatestDeliveryTime: draft.snapshot.finishedAt,
      },
      'cloudtrail:GetTrailStatus',
      call.region,
    );
    return {};
  },
  'cloudtrail:StopLogging': (draft, input, call) => {
    const trail = trailOf(draft, input, call);
    const before = trail.status?.ok ? trail.status.value : {};
    trail.status = ok({ ...before, IsLogging: false }, 'cloudtrail:GetTrailStatus', call.region);
    return {};
  },
  's3:CreateBucket': (draft, input, call) => {
    const snapshot = draft.snapshot;
    const name = str(input.Bucket) ?? '';
    const configuration = input.CreateBucketConfiguration as { LocationConstraint?: string } | undefined;
    const region = configuration?.LocationConstraint ?? call.region;
    if (!findBucket(snapshot, name)) draft.addBucket(newBucket(name, region, ownerId(snapshot)));
    return { Location: `/${name}` };
  },
  's3:DeleteBucket': (draft, input) => {
    const bucket = draft.bucket(str(input.Bucket) ?? '');
    if (bucket) draft.removeBucket(bucket);
    return {};
  },
  's3:PutPublicAccessBlock': (draft, input, call) => {
    const bucket = bucketOf(draft, input, call);
    const configuration = (input.PublicAccessBlockConfiguration ?? {}) as Record<string, boolean>;
    bucket.publicAccessBlock = ok(
      { Configured: true, ...configuration },
      's3:GetPublicAccessBlock',
      call.region,
    );
    return {};
  },
  's3:DeletePublicAccessBlock': (draft, input, call) => {
    bucketOf(draft, input, call).publicAccessBlock = ok(
      { Configured: false },
      's3:GetPublicAccessBlock',
      call.region,
    );
    return {};
  },
  's3:PutBucketPolicy': (draft, input, call) => {
    const bucket = bucketOf(draft, input, call);
    bucket.policy = ok({ Policy: str(input.Policy) ?? '' }, 's3:GetBucketPolicy', call.region);
    // S3 judges the new policy itself; trailcheck's own reading of it decides from here.
    bucket.policyStatus = ok({}, 's3:GetBucketPolicyStatus', call.region);
    return {};
  },
  's3:DeleteBucketPolicy': (draft, input, call) => {
    const bucket = bucketOf(draft, input, call);
    bucket.policy = ok({}, 's3:GetBucketPolicy', call.region);
    bucket.policyStatus = ok({}, 's3:GetBucketPolicyStatus', call.region);
    return {};
  },
  's3:PutBucketAcl': (draft, input, call) => {
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
  's3:PutBucketLogging': (draft, input, call) => {
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
  's3:PutBucketVersioning': (draft, input, call) => {
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
  's3:PutBucketEncryption': () => ({}),
  'kms:CreateKey': (draft, input, call) => {
    const snapshot = draft.snapshot;
    const id = newKeyId(call.output ?? 'key');
    const arn = `arn:${snapshot.account.Partition}:kms:${call.region}:${snapshot.account.Account}:key/${id}`;
    draft.addKey({
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
  'kms:PutKeyPolicy': (draft, input) => {
    const record = draft.key(str(input.KeyId) ?? '');
    if (record) record.policy = ok({ Policy: str(input.Policy) ?? '' }, 'kms:GetKeyPolicy', record.Region);
    return {};
  },
  'kms:EnableKey': (draft, input) => setKeyState(draft, str(input.KeyId) ?? '', 'Enabled'),
  'kms:DisableKey': (draft, input) => setKeyState(draft, str(input.KeyId) ?? '', 'Disabled'),
  'kms:CreateAlias': () => ({}),
  'kms:DeleteAlias': () => ({}),
  'kms:EnableKeyRotation': (draft, input) => setRotation(draft, str(input.KeyId) ?? '', true),
  'kms:DisableKeyRotation': (draft, input) => setRotation(draft, str(input.KeyId) ?? '', false),
  'logs:CreateLogGroup': () => ({}),
  'iam:CreateRole': (draft, input) => ({
    Role: {
      Arn: `arn:${draft.snapshot.account.Partition}:iam::${draft.snapshot.account.Account}:role/${str(input.RoleName) ?? ''}`,
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

/** A key of the account as KMS.4 read it (ListKeys), by the id or ARN a call names it with. */
export function findRotationKey(snapshot: Snapshot, keyId: string): RotationKeyRecord | undefined {
  return snapshot.keyRotation?.keys.find(
    (k) =>
      k.KeyArn === keyId ||
      (k.describe.ok && (k.describe.value.KeyId === keyId || k.describe.value.Arn === keyId)),
  );
}

/** Rotation of an existing key (KMS.4's evidence); a key this plan creates is not listed and changes nothing. */
function setRotation(draft: Draft, keyId: string, enabled: boolean): unknown {
  const section = draft.snapshot.keyRotation;
  const found = findRotationKey(draft.snapshot, keyId);
  if (!section || !found) return {};
  const changed: RotationKeyRecord = {
    ...found,
    rotation: ok({ KeyRotationEnabled: enabled }, 'kms:GetKeyRotationStatus', found.Region),
  };
  draft.snapshot.keyRotation = { ...section, keys: section.keys.map((k) => (k === found ? changed : k)) };
  return {};
}

function setKeyState(draft: Draft, keyId: string, state: 'Enabled' | 'Disabled'): unknown {
  const record = draft.key(keyId);
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

/**
 * The snapshot after the call, the call's (simulated) output, and the records it changed. The given
 * snapshot is not changed, and shares every record the call did not change with the result.
 */
export function simulateCall(
  snapshot: Snapshot,
  call: ApiCall,
  outputs: Outputs,
): { snapshot: Snapshot; output: unknown; effects: SimulatedEffects } {
  const mutation = MUTATIONS[`${call.service}:${call.operation}`];
  if (!mutation) throw new Error(`cannot simulate ${call.service}:${call.operation}`);
  simulationCounters.calls += 1;
  const draft = new Draft(snapshot);
  const output = mutation(draft, resolveInput(call, outputs), call);
  return { snapshot: draft.snapshot, output, effects: draft.effects() };
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
