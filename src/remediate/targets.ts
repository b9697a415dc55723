/**
 * What a set of plan steps leaves behind, resource by resource, for the declarative forms (Terraform,
 * CloudFormation): the end state of each trail, bucket setting, key, log group and role the steps touch,
 * and whether it existed before (then it must be imported). Read from the records each plan step kept
 * (`plan.effects`), never by simulating the plan again: a view of one action costs its own steps.
 */
import type { BucketRecord, Snapshot, TrailRecord } from '../snapshot/schema.js';
import type { ApiCall } from '../fixes/calls.js';
import { isRef, refSource, text } from '../fixes/calls.js';
import type { Plan, PlanStep } from './plan.js';
import { findBucket, findKey, findTrail, newKeyId } from './simulate.js';

export type BucketAspect = 'pab' | 'policy' | 'acl' | 'logging' | 'versioning' | 'encryption';

export interface BucketTarget {
  name: string;
  region: string;
  created: boolean;
  aspects: Set<BucketAspect>;
  before: BucketRecord | undefined;
  after: BucketRecord | undefined;
}

export interface TrailTarget {
  name: string;
  region: string;
  created: boolean;
  before: TrailRecord | undefined;
  after: TrailRecord | undefined;
}

export interface KeyTarget {
  output: string;
  region: string;
  description: string;
  policy: string;
  rotation: boolean;
  alias?: string;
}

export interface RoleTarget {
  name: string;
  trust: string;
  description: string;
  policies: Array<{ name: string; document: string }>;
}

export interface Targets {
  controlRegion: string;
  account: string;
  partition: string;
  trails: TrailTarget[];
  buckets: BucketTarget[];
  keys: KeyTarget[];
  keyPolicies: Array<{ keyId: string; region: string; policy: string }>;
  enabledKeys: Array<{ keyId: string; region: string }>;
  logGroups: Array<{ name: string; region: string }>;
  roles: RoleTarget[];
  /** A new key's placeholder ARN in the simulated state → the output that makes it. */
  placeholders: Map<string, string>;
}

const ASPECT: Record<string, BucketAspect> = {
  PutPublicAccessBlock: 'pab',
  PutBucketPolicy: 'policy',
  DeleteBucketPolicy: 'policy',
  PutBucketAcl: 'acl',
  PutBucketLogging: 'logging',
  PutBucketVersioning: 'versioning',
  PutBucketEncryption: 'encryption',
};

/** Each trail's and bucket's versions after the steps that changed them, in step order. */
interface Versions {
  trails: Map<string, Array<{ step: number; record: TrailRecord | undefined }>>;
  buckets: Map<string, Array<{ step: number; record: BucketRecord | undefined }>>;
  placeholders: Map<string, string>;
}

const versionsOfPlan = new WeakMap<Plan, Versions>();

function versionsOf(plan: Plan): Versions {
  let versions = versionsOfPlan.get(plan);
  if (versions) return versions;
  versions = { trails: new Map(), buckets: new Map(), placeholders: new Map() };
  const add = <R>(
    map: Map<string, Array<{ step: number; record: R | undefined }>>,
    key: string,
    step: number,
    record: R | undefined,
  ) => {
    const list = map.get(key) ?? [];
    list.push({ step, record });
    map.set(key, list);
  };
  plan.effects.forEach((effects, index) => {
    const step = index + 1;
    for (const { before, after } of effects.trails) {
      const config = (after ?? before)?.config;
      if (config) add(versions.trails, `${config.HomeRegion ?? ''}\u0000${config.Name}`, step, after);
    }
    for (const { before, after } of effects.buckets) {
      const name = (after ?? before)?.Name;
      if (name) add(versions.buckets, name, step, after);
    }
    for (const { after } of effects.keys) {
      const output = plan.steps[index]?.call.output;
      if (after?.describe.ok && after.describe.value.Arn && output)
        versions.placeholders.set(after.describe.value.Arn, output);
    }
  });
  versionsOfPlan.set(plan, versions);
  return versions;
}

/** The version after step `last` of a record: the latest change at or before it, else as it was. */
function versionAt<R>(
  list: Array<{ step: number; record: R | undefined }> | undefined,
  last: number,
  original: R | undefined,
): R | undefined {
  let found = original;
  for (const version of list ?? []) {
    if (version.step > last) break;
    found = version.record;
  }
  return found;
}

/** The end state of what the given steps touch (all of the plan's apply steps when none are given). */
export function targetsOf(plan: Plan, snapshot: Snapshot, only?: readonly PlanStep[]): Targets {
  const chosen = new Set((only ?? plan.steps).map((s) => s.number));
  const last = Math.max(0, ...chosen);
  const versions = versionsOf(plan);
  const trailAfter = (name: string, region: string) => {
    const original = findTrail(snapshot, name, region);
    const home = original?.config.HomeRegion ?? region;
    const trailName = original?.config.Name ?? name;
    return versionAt(versions.trails.get(`${home}\u0000${trailName}`), last, original);
  };
  const bucketAfter = (name: string) =>
    versionAt(versions.buckets.get(name), last, findBucket(snapshot, name));
  const placeholders = versions.placeholders;
  const targets: Targets = {
    controlRegion: snapshot.scope.controlRegion,
    account: snapshot.account.Account,
    partition: snapshot.account.Partition,
    trails: [],
    buckets: [],
    keys: [],
    keyPolicies: [],
    enabledKeys: [],
    logGroups: [],
    roles: [],
    placeholders,
  };
  const calls: ApiCall[] = plan.steps.filter((s) => chosen.has(s.number)).map((s) => s.call);
  const trail = (name: string, region: string, created: boolean) => {
    let t = targets.trails.find((x) => x.name === name && x.region === region);
    if (!t) {
      t = {
        name,
        region,
        created,
        before: findTrail(snapshot, name, region),
        after: trailAfter(name, region),
      };
      targets.trails.push(t);
    }
    return t;
  };
  const bucket = (name: string, region: string, created: boolean) => {
    let b = targets.buckets.find((x) => x.name === name);
    if (!b) {
      b = {
        name,
        region,
        created,
        aspects: new Set(),
        before: findBucket(snapshot, name),
        after: bucketAfter(name),
      };
      targets.buckets.push(b);
    }
    return b;
  };
  for (const call of calls) {
    const input = call.input;
    const op = call.operation;
    if (call.service === 'cloudtrail') {
      trail(text(input.Name ?? input.TrailName), call.region, op === 'CreateTrail');
    } else if (call.service === 's3') {
      const name = text(input.Bucket);
      if (op === 'CreateBucket') bucket(name, call.region, true);
      else {
        const b = bucket(name, call.region, false);
        const aspect = ASPECT[op];
        if (aspect) b.aspects.add(aspect);
      }
    } else if (call.service === 'kms') {
      if (op === 'CreateKey' && call.output)
        targets.keys.push({
          output: call.output,
          region: call.region,
          description: text(input.Description),
          policy: text(input.Policy),
          rotation: false,
        });
      const keyOf = (value: unknown) =>
        isRef(value) ? targets.keys.find((k) => k.output === refSource(value)) : undefined;
      if (op === 'CreateAlias') {
        const key = keyOf(input.TargetKeyId);
        if (key) key.alias = text(input.AliasName);
      }
      if (op === 'EnableKeyRotation') {
        const key = keyOf(input.KeyId);
        if (key) key.rotation = true;
      }
      if (op === 'PutKeyPolicy')
        targets.keyPolicies.push({
          keyId: text(input.KeyId),
          region: call.region,
          policy: text(input.Policy),
        });
      if (op === 'EnableKey') targets.enabledKeys.push({ keyId: text(input.KeyId), region: call.region });
    } else if (call.service === 'logs' && op === 'CreateLogGroup') {
      targets.logGroups.push({ name: text(input.logGroupName), region: call.region });
    } else if (call.service === 'iam') {
      if (op === 'CreateRole')
        targets.roles.push({
          name: text(input.RoleName),
          trust: text(input.AssumeRolePolicyDocument),
          description: text(input.Description),
          policies: [],
        });
      if (op === 'PutRolePolicy')
        targets.roles
          .find((r) => r.name === text(input.RoleName))
          ?.policies.push({ name: text(input.PolicyName), document: text(input.PolicyDocument) });
    }
  }
  // A bucket created here and configured in the same steps is one resource with its settings.
  for (const b of targets.buckets) if (b.created) b.after = bucketAfter(b.name);
  return targets;
}

/** The output that makes a new key, when a value is its placeholder ARN. */
export function placeholderOutput(targets: Targets, value: string | undefined): string | undefined {
  return value === undefined ? undefined : targets.placeholders.get(value);
}

export { newKeyId, findKey };
