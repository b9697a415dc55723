/**
 * The plan: every failed finding's fix, merged, ordered and each step with its undo. Derived, never
 * stored: `buildPlan(snapshot, controls, options)` is pure.
 *
 * How: fixes are tried one at a time, most severe first, on a simulation of the account (simulate.ts).
 * After each, the controls judge again what the change can reach: a fix is kept only if it closes its own
 * finding and turns no passing finding into a failing or unknown one; what it closes is recorded (one fix
 * may close several findings, and a new trail brings findings of its own, fixed in later rounds). Steps
 * are ordered by what they need (a bucket before its logging, a key before the trail uses it, an earlier
 * change to the same document first), then by severity, then by effort; each undo is computed from the
 * simulated state just before its step, and each step keeps the records it changed (`effects`), from which
 * the Terraform, CloudFormation and per-finding views are read without simulating again.
 *
 * Cost: each fix is simulated twice (tried, then in the final order), copying only the records it changes,
 * and judged again only where it reaches, so planning grows with the number of failing resources, not
 * with its square.
 */
import { CONTROLS } from '../controls/index.js';
import { findingIdentity } from '../core/identity.js';
import type { IdentifiableFinding } from '../core/identity.js';
import type {
  ControlDefinition,
  ControlStatus,
  Finding,
  FixProposal,
  Severity,
  Status,
} from '../controls/types.js';
import { aggregateStatus } from '../evaluate/aggregate.js';
import { RecordMemo, SnapshotView } from '../evaluate/view.js';
import type { AssessOptions, Focus } from '../evaluate/view.js';
import { plain, rich } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import type { Snapshot } from '../snapshot/schema.js';
import type { ApiCall } from '../fixes/calls.js';
import { cliScript, isRef, refSource, refsOf } from '../fixes/calls.js';
import { simulateCall, simulates } from './simulate.js';
import type { SimulatedEffects } from './simulate.js';
import { NoUndo, createdBy, undoFor } from './undo.js';
import { documentKey } from '../fixes/services/registry.js';
import type { Undo } from './undo.js';

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, informational: 0 };

export interface FindingRef {
  control: string;
  status: Status;
  severity: Severity;
  resourceId: string;
  resourceName: string;
  region: string;
}

/** A finding the user accepted with `--ignore`: not planned, listed with the entry that accepts it. */
export interface AcceptedFinding extends FindingRef {
  reason: string;
  expires: string;
  source: string;
}

export interface PlanStep {
  /** 1-based, in the order `trailcheck fix` makes the calls. */
  number: number;
  call: ApiCall;
  undo: Undo;
  /** The actions this step belongs to (more than one when fixes were merged into it). */
  actions: string[];
}

export type Effort = 'low' | 'medium' | 'high';

export interface PlanAction {
  id: string;
  /** apply: `trailcheck fix` makes its calls; manual: a step for the user (grant permissions, decide). */
  kind: 'apply' | 'manual';
  controls: string[];
  severity: Severity;
  /** low: one call; medium: up to four; high: more, or new resources of several kinds. */
  effort: Effort;
  summary: RichText;
  why: string;
  console: string[];
  notes: string[];
  /** The findings it closes (apply), or the one it is about (manual). */
  findings: FindingRef[];
  /** apply: the numbers of its steps, in order (shared steps included). */
  steps: number[];
  /** Actions that must come first: they create what this one uses, or hold a step merged with its own. */
  dependsOn: string[];
  /** manual: why `trailcheck fix` leaves it to the user. */
  reason?: string;
  /** manual: commands the user may run, which `trailcheck fix` does not run. */
  cli?: string[];
  /** manual, for findings that could not be assessed: the IAM actions to grant. */
  permissions?: string[];
}

export interface ControlExpectation {
  control: string;
  before: ControlStatus;
  /** After every apply step, on the simulation. */
  after: ControlStatus;
}

export interface Plan {
  account: string;
  partition: string;
  /** Apply actions in the order they run, then manual ones by severity. */
  actions: PlanAction[];
  steps: PlanStep[];
  expected: ControlExpectation[];
  /** Findings whose fix the plan closes, by finding key (see findingKey). */
  fixedBy: Map<string, string>;
  /** Inconsistencies the planner found in itself; empty unless trailcheck has a bug. */
  warnings: string[];
  /** Findings left alone because a live `--ignore` entry accepts them. */
  accepted: AcceptedFinding[];
  /** Findings fixed in another account's plan (a member's coverage, on the organization trail). */
  deferred?: FindingRef[];
  /** What each step changed on the simulation (index: step number - 1), for the declarative forms. */
  effects: SimulatedEffects[];
  /** The step that makes each named output (a new key), by output name. */
  outputStep: Map<string, number>;
}

/** A finding's identity across evaluations (a plan is for one account, so the account is left out). */
export function findingKey(finding: IdentifiableFinding): string {
  return findingIdentity(null, finding);
}

function refOf(finding: Finding): FindingRef {
  return {
    control: finding.control,
    status: finding.status,
    severity: finding.severity,
    resourceId: finding.resource.id,
    resourceName: finding.resource.name,
    region: finding.resource.region,
  };
}

/** The resources a call works on, as the keys `createdBy` gives their creators. */
function touches(call: ApiCall): string[] {
  const keys: string[] = [];
  const input = call.input;
  for (const value of Object.values(input)) if (isRef(value)) keys.push(`key:${refSource(value)}`);
  if (typeof input.Bucket === 'string') keys.push(`bucket:${input.Bucket}`);
  if (typeof input.S3BucketName === 'string') keys.push(`bucket:${input.S3BucketName}`);
  const logging = input.BucketLoggingStatus as { LoggingEnabled?: { TargetBucket?: string } } | undefined;
  if (logging?.LoggingEnabled?.TargetBucket) keys.push(`bucket:${logging.LoggingEnabled.TargetBucket}`);
  if (call.service === 'cloudtrail') {
    const name = input.Name ?? input.TrailName;
    if (typeof name === 'string') keys.push(`trail:${call.region}:${name}`);
  }
  if (typeof input.RoleName === 'string') keys.push(`role:${input.RoleName}`);
  if (typeof input.CloudWatchLogsRoleArn === 'string')
    keys.push(`role:${input.CloudWatchLogsRoleArn.split('/').pop() ?? ''}`);
  if (typeof input.logGroupName === 'string') keys.push(`loggroup:${call.region}:${input.logGroupName}`);
  // An SNS topic, by its ARN (Subscribe) or as an alarm's action: `topic:REGION:NAME`, as CreateTopic makes it.
  const topics = [input.TopicArn, ...(Array.isArray(input.AlarmActions) ? input.AlarmActions : [])];
  for (const arn of topics)
    if (typeof arn === 'string' && arn.split(':')[2] === 'sns')
      keys.push(`topic:${arn.split(':')[3] ?? ''}:${arn.split(':').pop() ?? ''}`);
  if (typeof input.CloudWatchLogsLogGroupArn === 'string') {
    const [, , , region = '', , , name = ''] = input.CloudWatchLogsLogGroupArn.split(':');
    keys.push(`loggroup:${region}:${name}`);
  }
  return keys;
}

function effortOf(calls: number): Effort {
  if (calls <= 1) return 'low';
  if (calls <= 4) return 'medium';
  return 'high';
}

interface Accepted {
  id: string;
  finding: Finding;
  proposal: FixProposal;
  fixes: Finding[];
}

const UNKNOWN_WHY = 'Lets trailcheck give a real verdict instead of a blind spot';

/**
 * The findings the planner re-judges after a simulated change: every finding of an account-wide control,
 * and of the other controls only those about the trails and buckets the change can reach (see `reach`).
 * Judging the whole account after each of N changes would cost N² for N failing resources.
 */
class Rejudge {
  /** Finding keys by control, then by what each is about (resource id), to find what a control said. */
  private readonly byControl = new Map<string, Map<string, Set<string>>>();
  /** Per-record answers shared by every state judged here (the states share their unchanged records). */
  private readonly memo = new RecordMemo();

  constructor(
    private readonly controls: readonly ControlDefinition[],
    private readonly options: AssessOptions,
    readonly current: Map<string, Finding>,
  ) {
    for (const [key, finding] of current) this.index(key, finding);
  }

  private index(key: string, finding: Finding): void {
    let anchors = this.byControl.get(finding.control);
    if (!anchors) this.byControl.set(finding.control, (anchors = new Map<string, Set<string>>()));
    const anchor = anchorOf(finding);
    let keys = anchors.get(anchor);
    if (!keys) anchors.set(anchor, (keys = new Set()));
    keys.add(key);
  }

  private unindex(key: string, finding: Finding): void {
    this.byControl.get(finding.control)?.get(anchorOf(finding))?.delete(key);
  }

  /** What the change to `state` (whose records `effects` list) makes of the findings it can reach. */
  changes(state: Snapshot, effects: readonly SimulatedEffects[]): FindingChange[] {
    const focus = reach(state, effects);
    const trailsChanged = effects.some((e) => e.trails.length > 0);
    const whole = new SnapshotView(state, this.options, undefined, this.memo);
    const focused = new SnapshotView(state, this.options, focus, this.memo);
    const anchors = [ACCOUNT_ANCHOR, ...focus.trails, ...[...focus.buckets].map((b) => whole.arnOfBucket(b))];
    const changes: FindingChange[] = [];
    for (const control of this.controls) {
      const scope = control.scope ?? 'account';
      // Findings about the trails as a whole change only when a trail (or the Regions' listing) did.
      if (scope === 'trails' && !trailsChanged) continue;
      const perResource = scope === 'trail' || scope === 'bucket';
      const fresh = new Map<string, Finding>();
      const rank = new Map<string, number>();
      for (const f of control.evaluate(perResource ? focused : whole)) {
        const key = findingKey(f);
        fresh.set(key, f);
        rank.set(key, rank.size);
      }
      const said = this.byControl.get(control.id);
      // A per-resource control said nothing new about resources the change cannot reach.
      const reached = perResource ? anchors.map((a) => said?.get(a)) : [...(said?.values() ?? [])];
      for (const keys of reached) {
        for (const key of keys ?? []) {
          const before = this.current.get(key) as Finding;
          const after = fresh.get(key);
          fresh.delete(key);
          if (after !== before) changes.push({ key, before, after, rank: rank.get(key) ?? -1 });
        }
      }
      for (const [key, after] of fresh)
        changes.push({ key, before: undefined, after, rank: rank.get(key) ?? -1 });
    }
    return changes;
  }

  commit(changes: readonly FindingChange[]): void {
    for (const { key, before, after } of changes) {
      if (before) this.unindex(key, before);
      if (after) {
        this.current.set(key, after);
        this.index(key, after);
      } else this.current.delete(key);
    }
  }
}

/** Account-level findings of per-resource controls (Regions not listed) are judged again every time. */
const ACCOUNT_ANCHOR = '\u0000account';

function anchorOf(finding: Finding): string {
  return finding.resource.type === 'AwsAccount' ? ACCOUNT_ANCHOR : finding.resource.id;
}

interface FindingChange {
  key: string;
  before: Finding | undefined;
  after: Finding | undefined;
  /** Where `after` stands in its control's findings (reports list a control's findings in that order). */
  rank: number;
}

/**
 * The trails and buckets whose findings a change can alter: those it changed; the buckets of changed
 * trails (before and after); the trails that deliver to a changed bucket or use a changed key; and the
 * buckets that deliver their access logs to a reached bucket (TC.AccessLogTarget judges the target).
 */
export function reach(state: Snapshot, effects: readonly SimulatedEffects[]): Focus {
  const trails = new Set<string>();
  const buckets = new Set<string>();
  const keys = new Set<string>();
  for (const effect of effects) {
    for (const { before, after } of effect.trails)
      for (const t of [before, after]) {
        if (!t) continue;
        trails.add(t.config.TrailARN);
        if (t.config.S3BucketName) buckets.add(t.config.S3BucketName);
      }
    for (const { before, after } of effect.buckets)
      for (const b of [before, after]) if (b) buckets.add(b.Name);
    for (const { before, after } of effect.keys)
      for (const k of [before, after]) {
        if (!k) continue;
        keys.add(k.KeyId);
        if (k.describe.ok) {
          if (k.describe.value.Arn) keys.add(k.describe.value.Arn);
          if (k.describe.value.KeyId) keys.add(k.describe.value.KeyId);
        }
      }
  }
  for (const trail of state.cloudtrail.trails) {
    const { S3BucketName, KmsKeyId, TrailARN } = trail.config;
    if ((S3BucketName && buckets.has(S3BucketName)) || (KmsKeyId && keys.has(KmsKeyId))) {
      trails.add(TrailARN);
      if (S3BucketName) buckets.add(S3BucketName);
    }
  }
  for (const bucket of state.s3.buckets) {
    const target = bucket.logging?.ok ? bucket.logging.value.LoggingEnabled?.TargetBucket : undefined;
    if (target && buckets.has(target)) buckets.add(bucket.Name);
  }
  return { trails, buckets };
}

/** Judges every given control on the whole snapshot, by finding key. */
function judgeAll(
  snapshot: Snapshot,
  controls: readonly ControlDefinition[],
  options: AssessOptions,
): Map<string, Finding> {
  const view = new SnapshotView(snapshot, options);
  const findings = new Map<string, Finding>();
  for (const control of controls) for (const f of control.evaluate(view)) findings.set(findingKey(f), f);
  return findings;
}

/** For tests: after every accepted fix, check the findings judged again equal a judgement of everything. */
export const planningChecks = { verifyIncremental: false };

/** A map that a trial writes to without changing the one below until it is kept. */
class Layer<V> {
  private readonly local = new Map<string, V>();
  constructor(private readonly below: Map<string, V>) {}
  get(key: string): V | undefined {
    return this.local.has(key) ? this.local.get(key) : this.below.get(key);
  }
  has(key: string): boolean {
    return this.local.has(key) || this.below.has(key);
  }
  set(key: string, value: V): void {
    this.local.set(key, value);
  }
  keep(): void {
    for (const [key, value] of this.local) this.below.set(key, value);
  }
}

/** A binary heap: the smallest first by `before`. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i] as T, items[parent] as T)) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l] as T, items[m] as T)) m = l;
        if (r < items.length && this.before(items[r] as T, items[m] as T)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m] as T, items[i] as T];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Plans the fixes for the findings of the chosen controls. Pure. `judged` are the findings an assessment
 * of the same snapshot, controls and options already made (judged here when not given).
 */
export function buildPlan(
  snapshot: Snapshot,
  selected: readonly ControlDefinition[],
  options: AssessOptions = {},
  judged?: readonly Finding[],
): Plan {
  const chosen = new Set(selected.map((c) => c.id));
  const order = new Map(CONTROLS.map((c, i) => [c.id, i]));
  const controlOf = new Map(CONTROLS.map((c) => [c.id, c]));
  const original = judged
    ? new Map(judged.map((f) => [findingKey(f), f]))
    : judgeAll(snapshot, selected, options);
  const warnings: string[] = [];
  // What the user accepted is neither fixed nor left to them: it is listed apart, with its reason.
  const acceptedBy = new Map<string, AcceptedFinding>();
  const markOf = options.remediation?.accepted;
  if (markOf) {
    for (const finding of original.values()) {
      const mark = chosen.has(finding.control) ? markOf(finding) : undefined;
      if (mark) acceptedBy.set(findingKey(finding), { ...refOf(finding), ...mark });
    }
  }
  /** The findings this plan is for: of the chosen controls, and not accepted. */
  const deferred = options.remediation?.deferred;
  const planned = (f: Finding): boolean =>
    chosen.has(f.control) && !acceptedBy.has(findingKey(f)) && deferred?.(f) !== true;

  let state = snapshot;
  const outputs = new Map<string, unknown>();
  const created = new Map<string, true>();
  const tried = new Set<string>();
  const rejected = new Map<string, string>();
  /** Findings whose fix is planned but that pass only after a person's step, with what it is. */
  const awaiting = new Map<string, string>();
  const accepted: Accepted[] = [];
  const usedIds = new Set<string>();
  const verdicts = new Rejudge(selected, options, new Map(original));

  // The next finding to fix: most severe first, then in report order, then by resource.
  const candidates = new Heap<Finding>(
    (a, b) =>
      (SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        (order.get(a.control) ?? 0) - (order.get(b.control) ?? 0) ||
        a.resource.id.localeCompare(b.resource.id) ||
        a.resource.name.localeCompare(b.resource.name)) < 0,
  );
  const offer = (f: Finding | undefined) => {
    if (f && planned(f) && f.status === 'FAIL' && f.proposal && !tried.has(findingKey(f))) candidates.push(f);
  };
  for (const f of original.values()) offer(f);

  // Each finding is tried once; the bound only guards against fixes that keep making new findings.
  const maxRounds = 10 * original.size + 1000;
  for (let round = 0; candidates.size > 0; round++) {
    if (round >= maxRounds) {
      warnings.push(`planning stopped after ${maxRounds} fixes tried; the findings left are listed for you`);
      break;
    }
    const next = candidates.pop() as Finding;
    const key = findingKey(next);
    // Taken from the heap, it may be stale: a later change judged it again.
    if (tried.has(key) || verdicts.current.get(key) !== next || !next.proposal) continue;
    tried.add(key);
    const proposal = next.proposal;

    // Try it on the simulation: every call must be one trailcheck can simulate and undo.
    let trial = state;
    const trialOutputs = new Layer(outputs);
    const trialCreated = new Layer(created);
    const effects: SimulatedEffects[] = [];
    let problem: string | undefined;
    if (proposal.calls.length === 0) problem = 'it needs no API call trailcheck could make';
    for (const call of proposal.calls) {
      if (problem) break;
      const operation = `${call.service}:${call.operation}`;
      if (!simulates(operation)) {
        problem = `trailcheck cannot model ${operation}`;
        break;
      }
      if (call.output && trialOutputs.has(call.output)) {
        problem = `two fixes name an output ${call.output}`;
        break;
      }
      const undo = undoFor(call, trial, trialCreated);
      if (undo instanceof NoUndo) {
        problem = `it has no safe undo: ${undo.reason}`;
        break;
      }
      try {
        const result = simulateCall(trial, call, trialOutputs);
        trial = result.snapshot;
        effects.push(result.effects);
        if (call.output) trialOutputs.set(call.output, result.output);
      } catch (error) {
        problem = `it does not apply to the account as trailcheck saw it (${(error as Error).message})`;
        break;
      }
      for (const k of createdBy(call)) trialCreated.set(k, true);
    }
    let changes: FindingChange[] = [];
    let awaitsPerson = false;
    if (!problem) {
      changes = verdicts.changes(trial, effects);
      const own = changes.find((c) => c.key === key);
      // A fix that leaves a step only a person can take (confirm a subscription) is kept, its finding
      // still failing: the plan says so rather than promise a PASS.
      const closes = own?.after === undefined || own.after.status === 'PASS';
      awaitsPerson = proposal.pending === true && own?.after?.status === 'FAIL';
      if (!own || !(closes || awaitsPerson))
        problem = 'applied on a simulation of the account, it does not close the finding';
    }
    if (!problem) {
      const weakened = changes.find(
        (c) => c.before?.status === 'PASS' && c.after && c.after.status !== 'PASS',
      );
      if (weakened?.before && weakened.after)
        problem = `it would turn ${weakened.before.control} for ${weakened.before.resource.name} from PASS to ${weakened.after.status}`;
    }
    if (problem) {
      rejected.set(key, problem);
      continue;
    }
    const fixes = changes
      .filter(
        (c) =>
          c.before &&
          chosen.has(c.before.control) &&
          c.before.status === 'FAIL' &&
          c.after?.status === 'PASS',
      )
      .sort(
        (a, b) =>
          (order.get(a.after?.control ?? '') ?? 0) - (order.get(b.after?.control ?? '') ?? 0) ||
          a.rank - b.rank,
      )
      .map((c) => c.before as Finding);
    if (awaitsPerson) awaiting.set(key, proposal.notes?.[0] ?? 'a person must finish it');
    let id = `${next.control}:${next.resource.name}`;
    for (let n = 2; usedIds.has(id); n++) id = `${next.control}:${next.resource.name}#${n}`;
    usedIds.add(id);
    accepted.push({ id, finding: next, proposal, fixes });
    state = trial;
    trialOutputs.keep();
    trialCreated.keep();
    verdicts.commit(changes);
    for (const change of changes) offer(change.after);
    if (planningChecks.verifyIncremental)
      verifyIncremental(verdicts.current, judgeAll(state, selected, options), id);
  }

  // ---- Merge whole-document calls, and find what each action needs first ---------------------------
  // A call that replaces a whole document (a bucket policy, a public access block) was computed from the
  // simulated state after the fixes accepted before it, so it carries their changes too: it is merged into
  // the earlier call for the same document, so no step overwrites another. Event selectors are the
  // exception: a change that is charged (S3 data events) is never folded into a free one (management
  // events), so each keeps its own step, after the earlier one.
  interface Entry {
    call: ApiCall;
    owner: number;
    /** Other actions whose call was merged into this one. */
    sharedWith: Set<number>;
  }
  const entries: Entry[] = [];
  const entriesOf: Entry[][] = accepted.map(() => []);
  const dependsOn = accepted.map(() => new Set<number>());
  const byDocument = new Map<string, Entry>();
  const createdAt = new Map<string, number>();
  const position = new Map<Entry, number>();
  accepted.forEach((action, index) => {
    for (const call of action.proposal.calls) {
      const document = documentKey(call);
      const earlier = document ? byDocument.get(document) : undefined;
      const separate = earlier !== undefined && earlier.owner !== index && document?.startsWith('selectors:');
      // Merged, the call moves up to the earlier one's place: only if nothing it uses is made in between.
      const movable =
        earlier !== undefined &&
        !separate &&
        refsOf(call).length === 0 &&
        touches(call).every((k) => (createdAt.get(k) ?? -1) < (position.get(earlier) ?? -1));
      if (earlier && movable) {
        earlier.call = { ...call };
        if (earlier.owner !== index) {
          earlier.sharedWith.add(index);
          dependsOn[index]?.add(earlier.owner);
        }
        continue;
      }
      if (earlier && earlier.owner !== index) dependsOn[index]?.add(earlier.owner);
      const entry: Entry = { call, owner: index, sharedWith: new Set() };
      position.set(entry, entries.length);
      entries.push(entry);
      entriesOf[index]?.push(entry);
      for (const k of createdBy(call)) createdAt.set(k, entries.length - 1);
      if (document) byDocument.set(document, entry);
    }
  });
  const callsOf = accepted.map(() => [] as Entry[]);
  for (const entry of entries) {
    callsOf[entry.owner]?.push(entry);
    for (const other of entry.sharedWith) callsOf[other]?.push(entry);
  }
  const creator = new Map<string, number>();
  for (const entry of entries) for (const k of createdBy(entry.call)) creator.set(k, entry.owner);
  for (const entry of entries) {
    for (const k of touches(entry.call)) {
      const from = creator.get(k);
      if (from !== undefined && from !== entry.owner) dependsOn[entry.owner]?.add(from);
    }
  }

  // ---- Order: what is needed first, then severity, then effort, then discovery ----------------------
  const severityOf = accepted.map((action) =>
    Math.max(SEVERITY_RANK[action.finding.severity], ...action.fixes.map((f) => SEVERITY_RANK[f.severity])),
  );
  const waitingFor = dependsOn.map((d) => d.size);
  const dependents = accepted.map(() => [] as number[]);
  dependsOn.forEach((needs, index) => {
    for (const need of needs) dependents[need]?.push(index);
  });
  const ready = new Heap<number>(
    (a, b) =>
      ((severityOf[b] ?? 0) - (severityOf[a] ?? 0) ||
        (callsOf[a]?.length ?? 0) - (callsOf[b]?.length ?? 0) ||
        a - b) < 0,
  );
  waitingFor.forEach((count, index) => {
    if (count === 0) ready.push(index);
  });
  const ordered: number[] = [];
  const done = new Set<number>();
  while (ready.size > 0) {
    const pick = ready.pop() as number;
    ordered.push(pick);
    done.add(pick);
    for (const d of dependents[pick] ?? []) {
      waitingFor[d] = (waitingFor[d] ?? 1) - 1;
      if (waitingFor[d] === 0) ready.push(d);
    }
  }
  if (ordered.length < accepted.length) {
    warnings.push('the fixes depend on each other in a circle; they are kept in the order they were found');
    for (let i = 0; i < accepted.length; i++) if (!done.has(i)) ordered.push(i);
  }

  // ---- Steps, undos from the state before each, what each changed, and what the end state passes ----
  const steps: PlanStep[] = [];
  const effects: SimulatedEffects[] = [];
  const stepOf = new Map<Entry, number>();
  let simulated = snapshot;
  const simulatedOutputs = new Map<string, unknown>();
  const simulatedCreated = new Set<string>();
  for (const index of ordered) {
    for (const entry of entriesOf[index] ?? []) {
      const undo = undoFor(entry.call, simulated, simulatedCreated);
      const number = steps.length + 1;
      steps.push({
        number,
        call: entry.call,
        undo:
          undo instanceof NoUndo
            ? (warnings.push(`step ${number} has no undo in the final order: ${undo.reason}`),
              { kind: 'none', calls: [], exact: false, note: undo.reason })
            : undo,
        actions: [accepted[index]?.id ?? '', ...[...entry.sharedWith].map((i) => accepted[i]?.id ?? '')],
      });
      stepOf.set(entry, number);
      try {
        const result = simulateCall(simulated, entry.call, simulatedOutputs);
        simulated = result.snapshot;
        effects.push(result.effects);
        if (entry.call.output) simulatedOutputs.set(entry.call.output, result.output);
      } catch (error) {
        effects.push({ trails: [], buckets: [], keys: [] });
        warnings.push(`step ${number} does not apply in the final order: ${(error as Error).message}`);
      }
      for (const k of createdBy(entry.call)) simulatedCreated.add(k);
    }
  }
  const final = judgeAll(simulated, selected, options);
  const fixedBy = new Map<string, string>();
  for (const action of accepted) {
    for (const finding of action.fixes) {
      const key = findingKey(finding);
      if (final.get(key)?.status !== 'PASS')
        warnings.push(`${finding.control} for ${finding.resource.name} does not pass after the whole plan`);
      if (!fixedBy.has(key)) fixedBy.set(key, action.id);
    }
  }

  const actions: PlanAction[] = ordered.map((index) => {
    const action = accepted[index] as Accepted;
    const fixes = action.fixes.filter((f) => fixedBy.get(findingKey(f)) === action.id);
    const findings = fixes.length > 0 ? fixes : [action.finding];
    const numbers = (callsOf[index] ?? []).map((e) => stepOf.get(e) ?? 0).sort((a, b) => a - b);
    return {
      id: action.id,
      kind: 'apply',
      controls: [...new Set(findings.map((f) => f.control))],
      severity: findings.reduce<Severity>(
        (worst, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst] ? f.severity : worst),
        action.finding.severity,
      ),
      effort: effortOf(numbers.length),
      summary: action.proposal.summary,
      why: controlOf.get(action.finding.control)?.texts.whyFix ?? '',
      console: action.proposal.console,
      notes: action.proposal.notes ?? [],
      findings: findings.map(refOf),
      steps: numbers,
      dependsOn: [...(dependsOn[index] ?? [])].map((d) => accepted[d]?.id ?? ''),
    };
  });

  const deferredRefs = deferred
    ? [...original.values()]
        .filter((f) => chosen.has(f.control) && f.status === 'FAIL' && deferred(f))
        .map(refOf)
    : [];

  // ---- What is left to the user --------------------------------------------------------------------
  const manual: PlanAction[] = [...original.values()]
    .filter((f) => planned(f) && f.status !== 'PASS' && !fixedBy.has(findingKey(f)))
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        (order.get(a.control) ?? 0) - (order.get(b.control) ?? 0) ||
        a.resource.id.localeCompare(b.resource.id),
    )
    .map((finding) => {
      const remediation = finding.remediation;
      const waiting = awaiting.get(findingKey(finding));
      if (waiting !== undefined)
        return {
          id: `${finding.control}:${finding.resource.name}`,
          kind: 'manual' as const,
          controls: [finding.control],
          severity: finding.severity,
          effort: 'low' as const,
          summary: rich`${waiting}`,
          why: controlOf.get(finding.control)?.texts.whyFix ?? '',
          console: [],
          notes: [],
          findings: [refOf(finding)],
          steps: [],
          dependsOn: [],
          reason: 'the plan makes its calls, but only a person can take this last step',
          cli: [],
        };
      const reason =
        finding.status === 'UNKNOWN'
          ? 'trailcheck could not assess it, so it changes nothing here'
          : (rejected.get(findingKey(finding)) ??
            (finding.proposal
              ? 'an earlier step of the plan already changes what it needs'
              : 'it needs a decision or a value only you can give'));
      return {
        id: `${finding.control}:${finding.resource.name}`,
        kind: 'manual',
        controls: [finding.control],
        severity: finding.severity,
        effort: effortOf(remediation?.cli.length ?? 0),
        summary: remediation?.summary ?? finding.message,
        why:
          finding.status === 'UNKNOWN' ? UNKNOWN_WHY : (controlOf.get(finding.control)?.texts.whyFix ?? ''),
        console: remediation?.console ?? [],
        notes: [],
        findings: [refOf(finding)],
        steps: [],
        dependsOn: [],
        reason,
        cli: remediation?.cli ?? [],
        ...(remediation?.permissions ? { permissions: remediation.permissions } : {}),
      };
    });

  const byControl = (findings: Iterable<Finding>) => {
    const grouped = new Map<string, Finding[]>();
    for (const f of findings) grouped.set(f.control, [...(grouped.get(f.control) ?? []), f]);
    return grouped;
  };
  const before = byControl(original.values());
  const after = byControl(final.values());
  const expected: ControlExpectation[] = selected.map((control) => ({
    control: control.id,
    before: aggregateStatus(before.get(control.id) ?? []),
    after: aggregateStatus(after.get(control.id) ?? []),
  }));

  const outputStep = new Map<string, number>();
  for (const step of steps) if (step.call.output) outputStep.set(step.call.output, step.number);
  return {
    account: snapshot.account.Account,
    partition: snapshot.account.Partition,
    actions: [...actions, ...manual],
    steps,
    expected,
    fixedBy,
    ...(deferredRefs.length > 0 ? { deferred: deferredRefs } : {}),
    warnings,
    accepted: [...acceptedBy.values()],
    effects,
    outputStep,
  };
}

function verifyIncremental(
  incremental: Map<string, Finding>,
  whole: Map<string, Finding>,
  after: string,
): void {
  const show = (f: Finding | undefined) => (f ? `${f.status} ${plain(f.message)}` : 'absent');
  for (const key of new Set([...incremental.keys(), ...whole.keys()])) {
    const a = incremental.get(key);
    const b = whole.get(key);
    if (a?.status !== b?.status || (a && b && plain(a.message) !== plain(b.message)))
      throw new Error(
        `after ${after}, judging again only what the change reaches gave ${show(a)} for ${key.replaceAll('\u0000', ' ')}, judging everything ${show(b)}`,
      );
  }
}

/** The steps an action needs, in plan order, with the steps that make any value they refer to. */
export function stepsOf(plan: Plan, action: PlanAction): PlanStep[] {
  const wanted = new Set(action.steps);
  for (const number of [...wanted]) {
    const step = plan.steps[number - 1];
    for (const r of step ? refsOf(step.call) : []) {
      const producer = plan.outputStep.get(refSource(r));
      if (producer !== undefined) wanted.add(producer);
    }
  }
  return [...wanted]
    .sort((a, b) => a - b)
    .flatMap((n) => {
      const step = plan.steps[n - 1];
      return step ? [step] : [];
    });
}

/** An action's commands as the AWS CLI. */
export function actionCli(plan: Plan, action: PlanAction): string[] {
  if (action.kind === 'manual') return action.cli ?? [];
  return cliScript(stepsOf(plan, action).map((s) => s.call));
}

/** The whole plan as one shell script body: every step in order. */
export function planCli(plan: Plan): string[] {
  return cliScript(plan.steps.map((s) => s.call));
}

/** The plan's sentence for an action, as plain text (JSON, the dry run). */
export function actionSummary(action: PlanAction): string {
  return plain(action.summary);
}
