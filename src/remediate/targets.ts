/**
 * What a set of plan steps leaves behind, resource by resource, for the declarative forms (Terraform,
 * CloudFormation): the end state of each trail, bucket setting, key, log group and role the steps touch,
 * and whether it existed before (then it must be imported). Read from the records each plan step kept
 * (`plan.effects`), never by simulating the plan again: a view of one action costs its own steps.
 */
import type { BucketRecord, Snapshot, TrailRecord } from '../snapshot/schema.js';
import type { ApiCall } from '../fixes/calls.js';
import { addTarget } from '../fixes/services/registry.js';
import type { Targets } from '../fixes/services/types.js';
import type { Plan, PlanStep } from './plan.js';
import { findBucket, findKey, findTrail, newKeyId } from './simulate.js';

export type {
  BucketAspect,
  BucketTarget,
  AlarmTarget,
  KeyTarget,
  MetricFilterTarget,
  RoleTarget,
  Targets,
  TrailTarget,
} from '../fixes/services/types.js';

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
    rotatedKeys: [],
    logGroups: [],
    roles: [],
    metricFilters: [],
    alarms: [],
    topics: [],
    subscriptions: [],
    flowLogs: [],
    configChanges: [],
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
  for (const call of calls) addTarget(call, { targets, trail, bucket });
  // A bucket created here and configured in the same steps is one resource with its settings.
  for (const b of targets.buckets) if (b.created) b.after = bucketAfter(b.name);
  return targets;
}

/** The output that makes a new key, when a value is its placeholder ARN. */
export function placeholderOutput(targets: Targets, value: string | undefined): string | undefined {
  return value === undefined ? undefined : targets.placeholders.get(value);
}

export { newKeyId, findKey };
