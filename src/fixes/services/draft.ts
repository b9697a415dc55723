/**
 * The simulation's working copy of a snapshot (Draft) and the helpers every service's simulated
 * operations share: finding records, Observations, copy on write. See simulate.ts for why it copies on
 * write; the per-operation effects live in one module per AWS service next to this one.
 */
import type {
  BucketRecord,
  EventSelectors,
  KmsKeyRecord,
  LogGroupRecord,
  Monitoring,
  Observation,
  RotationKeyRecord,
  Snapshot,
  TrailRecord,
} from '../../snapshot/schema.js';
import type { ApiCall } from '../../core/api-call.js';
import { isRef } from '../../core/api-call.js';

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

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

export function ok<T>(value: T, operation: string, region: string): Observation<T> {
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

export function newBucket(name: string, region: string, owner: string | undefined): BucketRecord {
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
export function ownerId(snapshot: Snapshot): string | undefined {
  for (const bucket of snapshot.s3.buckets)
    if (bucket.acl?.ok && bucket.acl.value.Owner?.ID) return bucket.acl.value.Owner.ID;
  return undefined;
}

/** What AWS gives a new trail: one selector recording every management event. */
export const DEFAULT_SELECTORS: EventSelectors = {
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
export class Draft {
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
  private monitoringCopied = false;

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

  /**
   * The CloudWatch chain (log groups, alarm listings, topics) this call may change: its lists are copied
   * the first time; mutations replace a record whole, never change one in place. Undefined when the
   * snapshot holds no chain (no monitoring control was chosen): then there is nothing to judge it by.
   */
  monitoring(): Monitoring | undefined {
    const base = this.snapshot.monitoring;
    if (!base) return undefined;
    if (!this.monitoringCopied) {
      this.snapshot.monitoring = {
        logGroups: [...base.logGroups],
        alarms: [...base.alarms],
        topics: [...base.topics],
      };
      this.monitoringCopied = true;
    }
    return this.snapshot.monitoring;
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

export type Mutation = (draft: Draft, input: Record<string, unknown>, call: ApiCall) => unknown;

export function trailOf(
  draft: Draft,
  input: Record<string, unknown>,
  call: ApiCall,
  field = 'Name',
): TrailRecord {
  const name = str(input[field]) ?? '';
  const trail = draft.trail(name, call.region);
  if (!trail) throw new Error(`${call.operation}: no trail ${name} in ${call.region}`);
  return trail;
}

export function bucketOf(draft: Draft, input: Record<string, unknown>, call: ApiCall): BucketRecord {
  const name = str(input.Bucket) ?? '';
  const bucket = draft.bucket(name);
  if (!bucket) throw new Error(`${call.operation}: no bucket ${name}`);
  return bucket;
}

/** A key record by the id, ARN or alias a call names it with. */
export function findKey(snapshot: Snapshot, keyId: string) {
  return snapshot.kms?.keys.find(
    (k) =>
      k.KeyId === keyId ||
      (k.describe.ok && (k.describe.value.Arn === keyId || k.describe.value.KeyId === keyId)),
  );
}

/** The log group a trail delivers to, as the snapshot describes it, by Region and name. */
export function findLogGroup(snapshot: Snapshot, region: string, name: string): LogGroupRecord | undefined {
  return snapshot.monitoring?.logGroups.find((g) => g.Region === region && g.logGroupName === name);
}

/** A key of the account as KMS.4 read it (ListKeys), by the id or ARN a call names it with. */
export function findRotationKey(snapshot: Snapshot, keyId: string): RotationKeyRecord | undefined {
  return snapshot.keyRotation?.keys.find(
    (k) =>
      k.KeyArn === keyId ||
      (k.describe.ok && (k.describe.value.KeyId === keyId || k.describe.value.Arn === keyId)),
  );
}
