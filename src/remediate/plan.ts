/**
 * The plan: every failed finding's fix, merged, ordered and each step with its undo. Derived, never
 * stored: `buildPlan(snapshot, controls, options)` is pure.
 *
 * How: fixes are tried one at a time, most severe first, on a simulation of the account (simulate.ts).
 * After each, every control is evaluated again: a fix is kept only if it closes its own finding and turns
 * no passing finding into a failing or unknown one; what it closes is recorded (one fix may close several
 * findings, and a new trail brings findings of its own, fixed in later rounds). Calls that replace a whole
 * document (event selectors, a bucket policy) are then merged into one, computed from the state after all
 * the changes, so no step overwrites another. Steps are ordered by what they need (a bucket before its
 * logging, a key before the trail uses it), then by severity, then by effort; each undo is computed from
 * the simulated state just before its step.
 */
import { CONTROLS } from '../controls/index.js';
import { findingIdentity } from '../controls/identity.js';
import type { IdentifiableFinding } from '../controls/identity.js';
import type {
  ControlDefinition,
  ControlStatus,
  Finding,
  FixProposal,
  Severity,
  Status,
} from '../controls/types.js';
import { SnapshotView } from '../evaluate/view.js';
import type { AssessOptions } from '../evaluate/view.js';
import { plain } from '../report/rich.js';
import type { RichText } from '../report/rich.js';
import type { Snapshot } from '../snapshot/schema.js';
import type { ApiCall } from './calls.js';
import { cliScript, isRef, refSource, refsOf, text } from './calls.js';
import { simulateCall, simulates } from './simulate.js';
import { NoUndo, createdBy, undoFor } from './undo.js';
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

function evaluateAll(snapshot: Snapshot, options: AssessOptions): Map<string, Finding> {
  const view = new SnapshotView(snapshot, options);
  const findings = new Map<string, Finding>();
  for (const control of CONTROLS) for (const f of control.evaluate(view)) findings.set(findingKey(f), f);
  return findings;
}

function aggregate(findings: readonly Finding[]): ControlStatus {
  if (findings.length === 0) return 'NOT_APPLICABLE';
  if (findings.some((f) => f.status === 'FAIL')) return 'FAIL';
  if (findings.some((f) => f.status === 'UNKNOWN')) return 'UNKNOWN';
  return 'PASS';
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
  if (typeof input.CloudWatchLogsLogGroupArn === 'string') {
    const [, , , region = '', , , name = ''] = input.CloudWatchLogsLogGroupArn.split(':');
    keys.push(`loggroup:${region}:${name}`);
  }
  return keys;
}

/** Calls that replace a whole document: a later one for the same target supersedes an earlier one. */
function documentKey(call: ApiCall): string | undefined {
  const input = call.input;
  switch (`${call.service}:${call.operation}`) {
    case 'cloudtrail:PutEventSelectors':
      return `selectors:${call.region}:${text(input.TrailName)}`;
    case 's3:PutBucketPolicy':
    case 's3:DeleteBucketPolicy':
      return `policy:${text(input.Bucket)}`;
    case 's3:PutPublicAccessBlock':
      return `pab:${text(input.Bucket)}`;
    case 's3:PutBucketAcl':
      return `acl:${text(input.Bucket)}`;
    case 's3:PutBucketLogging':
      return `logging:${text(input.Bucket)}`;
    case 's3:PutBucketVersioning':
      return `versioning:${text(input.Bucket)}`;
    case 'kms:PutKeyPolicy':
      return `keypolicy:${text(input.KeyId)}`;
    default:
      return undefined;
  }
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

/** Plans the fixes for the findings of the chosen controls. Pure. */
export function buildPlan(
  snapshot: Snapshot,
  selected: readonly ControlDefinition[],
  options: AssessOptions = {},
): Plan {
  const chosen = new Set(selected.map((c) => c.id));
  const order = new Map(CONTROLS.map((c, i) => [c.id, i]));
  const controlOf = new Map(CONTROLS.map((c) => [c.id, c]));
  const original = evaluateAll(snapshot, options);
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
  const planned = (f: Finding): boolean => chosen.has(f.control) && !acceptedBy.has(findingKey(f));

  let state = snapshot;
  let outputs = new Map<string, unknown>();
  let current = original;
  const created = new Set<string>();
  const tried = new Set<string>();
  const rejected = new Map<string, string>();
  const accepted: Accepted[] = [];
  const usedIds = new Set<string>();

  for (let round = 0; round < 500; round++) {
    const next = [...current.values()]
      .filter((f) => planned(f) && f.status === 'FAIL' && f.proposal && !tried.has(findingKey(f)))
      .sort(
        (a, b) =>
          SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
          (order.get(a.control) ?? 0) - (order.get(b.control) ?? 0) ||
          a.resource.id.localeCompare(b.resource.id) ||
          a.resource.name.localeCompare(b.resource.name),
      )[0];
    if (!next?.proposal) break;
    const key = findingKey(next);
    tried.add(key);
    const proposal = next.proposal;

    // Try it on a copy: every call must be one trailcheck can simulate and undo.
    let trial = state;
    const trialOutputs = new Map(outputs);
    const trialCreated = new Set(created);
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
        if (call.output) trialOutputs.set(call.output, result.output);
      } catch (error) {
        problem = `it does not apply to the account as trailcheck saw it (${(error as Error).message})`;
        break;
      }
      for (const k of createdBy(call)) trialCreated.add(k);
    }
    let after = current;
    if (!problem) {
      after = evaluateAll(trial, options);
      const own = after.get(key);
      if (own && own.status !== 'PASS')
        problem = 'applied on a simulation of the account, it does not close the finding';
    }
    if (!problem) {
      const weakened = [...current.entries()].filter(
        ([k, f]) => f.status === 'PASS' && after.get(k) !== undefined && after.get(k)?.status !== 'PASS',
      );
      if (weakened.length > 0) {
        const [, first] = weakened[0] as [string, Finding];
        problem = `it would turn ${first.control} for ${first.resource.name} from PASS to ${after.get(findingKey(first))?.status ?? '?'}`;
      }
    }
    if (problem) {
      rejected.set(key, problem);
      continue;
    }
    const fixes = [...current.entries()]
      .filter(([k, f]) => chosen.has(f.control) && f.status === 'FAIL' && after.get(k)?.status === 'PASS')
      .map(([, f]) => f);
    let id = `${next.control}:${next.resource.name}`;
    for (let n = 2; usedIds.has(id); n++) id = `${next.control}:${next.resource.name}#${n}`;
    usedIds.add(id);
    accepted.push({ id, finding: next, proposal, fixes });
    state = trial;
    outputs = trialOutputs;
    for (const k of trialCreated) created.add(k);
    current = after;
  }

  // ---- Merge whole-document calls, and find what each action needs first ---------------------------
  interface Entry {
    call: ApiCall;
    owner: number;
    /** Other actions whose call was merged into this one. */
    sharedWith: Set<number>;
  }
  const entries: Entry[] = [];
  const dependsOn = accepted.map(() => new Set<number>());
  const byDocument = new Map<string, Entry>();
  const createdAt = new Map<string, number>();
  accepted.forEach((action, index) => {
    for (const call of action.proposal.calls) {
      const document = documentKey(call);
      const earlier = document ? byDocument.get(document) : undefined;
      // Merged, the call moves up to the earlier one's place: only if nothing it uses is made in between.
      const movable =
        earlier !== undefined &&
        refsOf(call).length === 0 &&
        touches(call).every((k) => (createdAt.get(k) ?? -1) < entries.indexOf(earlier));
      if (earlier && movable) {
        // Computed from the state after the earlier change, so it carries both.
        earlier.call = { ...call };
        if (earlier.owner !== index) {
          earlier.sharedWith.add(index);
          dependsOn[index]?.add(earlier.owner);
        }
        continue;
      }
      const entry: Entry = { call, owner: index, sharedWith: new Set() };
      entries.push(entry);
      for (const k of createdBy(call)) createdAt.set(k, entries.length - 1);
      if (document) byDocument.set(document, entry);
    }
  });
  const creator = new Map<string, number>();
  for (const entry of entries) for (const k of createdBy(entry.call)) creator.set(k, entry.owner);
  for (const entry of entries) {
    for (const k of touches(entry.call)) {
      const from = creator.get(k);
      if (from !== undefined && from !== entry.owner) dependsOn[entry.owner]?.add(from);
    }
  }

  // ---- Order: what is needed first, then severity, then effort, then discovery ----------------------
  const callsOf = (index: number) => entries.filter((e) => e.owner === index || e.sharedWith.has(index));
  const severityOf = (index: number) =>
    Math.max(
      ...[accepted[index]?.finding, ...(accepted[index]?.fixes ?? [])].map((f) =>
        f ? SEVERITY_RANK[f.severity] : 0,
      ),
    );
  const ordered: number[] = [];
  const done = new Set<number>();
  while (ordered.length < accepted.length) {
    const ready = accepted
      .map((_, i) => i)
      .filter((i) => !done.has(i) && [...(dependsOn[i] ?? [])].every((d) => done.has(d)));
    if (ready.length === 0) {
      warnings.push('the fixes depend on each other in a circle; they are kept in the order they were found');
      for (let i = 0; i < accepted.length; i++) {
        if (done.has(i)) continue;
        ordered.push(i);
        done.add(i);
      }
      break;
    }
    ready.sort((a, b) => severityOf(b) - severityOf(a) || callsOf(a).length - callsOf(b).length || a - b);
    const pick = ready[0] as number;
    ordered.push(pick);
    done.add(pick);
  }

  // ---- Steps, undos from the state before each, and what the end state passes ----------------------
  const steps: PlanStep[] = [];
  const stepOf = new Map<Entry, number>();
  let simulated = snapshot;
  const simulatedOutputs = new Map<string, unknown>();
  const simulatedCreated = new Set<string>();
  for (const index of ordered) {
    for (const entry of entries.filter((e) => e.owner === index)) {
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
        if (entry.call.output) simulatedOutputs.set(entry.call.output, result.output);
      } catch (error) {
        warnings.push(`step ${number} does not apply in the final order: ${(error as Error).message}`);
      }
      for (const k of createdBy(entry.call)) simulatedCreated.add(k);
    }
  }
  const final = evaluateAll(simulated, options);
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
    const numbers = callsOf(index)
      .map((e) => stepOf.get(e) ?? 0)
      .sort((a, b) => a - b);
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

  const expected: ControlExpectation[] = selected.map((control) => ({
    control: control.id,
    before: aggregate([...original.values()].filter((f) => f.control === control.id)),
    after: aggregate([...final.values()].filter((f) => f.control === control.id)),
  }));

  return {
    account: snapshot.account.Account,
    partition: snapshot.account.Partition,
    actions: [...actions, ...manual],
    steps,
    expected,
    fixedBy,
    warnings,
    accepted: [...acceptedBy.values()],
  };
}

/** The steps an action needs, in plan order, with the steps that make any value they refer to. */
export function stepsOf(plan: Plan, action: PlanAction): PlanStep[] {
  const wanted = new Set(action.steps);
  const producers = new Map<string, number>();
  for (const step of plan.steps) if (step.call.output) producers.set(step.call.output, step.number);
  for (const number of [...wanted]) {
    const step = plan.steps[number - 1];
    for (const r of step ? refsOf(step.call) : []) {
      const producer = producers.get(refSource(r));
      if (producer !== undefined) wanted.add(producer);
    }
  }
  return plan.steps.filter((s) => wanted.has(s.number));
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
