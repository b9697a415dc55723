/**
 * Applies a plan step by step through trailcheck's SDK clients. If a step fails, the steps already done
 * are undone in reverse order, and the result says exactly what the account now looks like: what was
 * changed and put back, what could not be put back (with the command to do it by hand), what was created
 * and kept on purpose, and what was never run.
 */
import type { AwsClientFactory } from '../aws/clients.js';
import { describeFailure, explainFailure } from '../aws/errors.js';
import type { CallFailure } from '../aws/errors.js';
import { sendOperation } from '../aws/operations.js';
import type { ApiCall } from '../fixes/calls.js';
import { cliCommand, isRef, operationName } from '../fixes/calls.js';
import type { Plan, PlanStep } from './plan.js';
import { resolveInput } from './simulate.js';
import type { NewRecord } from './journal.js';

/**
 * Errors AWS gives while a resource made a moment ago is not yet visible everywhere (IAM roles, bucket
 * policies, key policies): the step is tried again a few times before it counts as failed.
 */
const SETTLING = new Set([
  'InvalidCloudWatchLogsRoleArnException',
  'InvalidCloudWatchLogsLogGroupArnException',
  'InsufficientS3BucketPolicyException',
  'InsufficientEncryptionPolicyException',
  'InvalidTargetBucketForLogging',
]);

export interface StepOutcome {
  step: PlanStep;
  status: 'done' | 'failed' | 'not run';
  /** What was sent, refs resolved. */
  input?: Record<string, unknown>;
  failure?: CallFailure;
  attempts?: number;
}

export interface UndoOutcome {
  step: PlanStep;
  /** `not undone`: the rollback was stopped (a third interrupt) before this step's undo. */
  status: 'reverted' | 'removed' | 'nothing to undo' | 'kept' | 'failed' | 'not undone';
  /** The calls made (resolved), or for kept and failed ones the commands to run by hand. */
  commands: string[];
  failure?: CallFailure;
}

export interface ApplyResult {
  ok: boolean;
  /** Stopped by an interrupt (SIGINT, SIGTERM) before the plan's end; the steps done were rolled back. */
  interrupted: boolean;
  steps: StepOutcome[];
  /** In the order they ran: from the last step done back to the first. Empty when nothing failed. */
  rollback: UndoOutcome[];
  outputs: Map<string, unknown>;
}

export interface ApplyOptions {
  /** Told before and after each step, for progress lines. */
  onStep?: (event: { step: PlanStep; phase: 'start' | 'done' | 'failed' | 'undo' }) => void;
  /** First wait before trying a settling step again; doubles each time (default 2 s, 5 tries). */
  settleDelayMs?: number;
  settleAttempts?: number;
  /** For tests that prove the rollback check can see a half-applied plan: do not undo anything. */
  noRollback?: boolean;
  /** Told every step's intent before its call and its outcome after, and every undo likewise. */
  journal?: { append(record: NewRecord): void };
  interrupt?: ApplyInterrupt;
}

/** Asked between calls, never during one: the call in flight always finishes and is recorded. */
export interface ApplyInterrupt {
  /** The run should stop before its next step and undo the steps done (the first interrupt). */
  stopRequested(): boolean;
  /** The rollback itself should stop before its next call, leaving the rest to `fix --rollback`. */
  rollbackAbandoned(): boolean;
}

/** Errors a removal gets when what it removes is not there: the goal of the undo holds already. */
const ABSENT = new Set([
  'NoSuchBucket',
  'TrailNotFoundException',
  'NoSuchEntity',
  'NoSuchEntityException',
  'NotFoundException',
  'ResourceNotFoundException',
  // SNS (Unsubscribe) and CloudWatch (DeleteAlarms) name it without the suffix.
  'NotFound',
  'ResourceNotFound',
]);

/** An output as the journal keeps it: JSON, without the SDK's response metadata. */
function journalOutput(output: unknown): unknown {
  if (typeof output !== 'object' || output === null) return output;
  const { $metadata: _metadata, ...rest } = output as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A CLI line for a call whose refs are resolved (values are known once applied). */
export function resolvedCommand(call: ApiCall, outputs: ReadonlyMap<string, unknown>): string {
  const input = resolveInput(call, outputs) as ApiCall['input'];
  return cliCommand({ ...call, input });
}

/** A call's CLI line, with refs resolved when their outputs exist and left as variables otherwise. */
function bestCommand(call: ApiCall, outputs: ReadonlyMap<string, unknown>): string {
  try {
    return resolvedCommand(call, outputs);
  } catch {
    const input = Object.fromEntries(
      Object.entries(call.input).map(([k, v]) => [k, isRef(v) ? `<${v.$ref}>` : v]),
    ) as ApiCall['input'];
    return cliCommand({ ...call, input });
  }
}

async function send(
  factory: AwsClientFactory,
  call: ApiCall,
  input: Record<string, unknown>,
  options: ApplyOptions,
): Promise<{ output?: unknown; failure?: CallFailure; attempts: number }> {
  const tries = options.settleAttempts ?? 5;
  let delay = options.settleDelayMs ?? 2000;
  for (let attempt = 1; ; attempt++) {
    try {
      const output = await sendOperation(factory, call.service, call.operation, call.region, input);
      return { output, attempts: attempt };
    } catch (error) {
      const failure = describeFailure(error, call.service, call.operation, call.region);
      if (!SETTLING.has(failure.code) || attempt >= tries) return { failure, attempts: attempt };
      // An interrupt does not wait out the settling: the call failed, so the step changed nothing.
      const until = Date.now() + delay;
      while (Date.now() < until && !options.interrupt?.stopRequested())
        await sleep(Math.min(100, until - Date.now()));
      if (options.interrupt?.stopRequested()) return { failure, attempts: attempt };
      delay *= 2;
    }
  }
}

export async function applyPlan(
  factory: AwsClientFactory,
  plan: Plan,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const outputs = new Map<string, unknown>();
  const outcomes: StepOutcome[] = plan.steps.map((step) => ({ step, status: 'not run' }));
  const journal = options.journal;
  let stopped = false;
  let interrupted = false;
  for (const outcome of outcomes) {
    if (options.interrupt?.stopRequested()) {
      interrupted = true;
      stopped = true;
      break;
    }
    const { step } = outcome;
    options.onStep?.({ step, phase: 'start' });
    const input = resolveInput(step.call, outputs);
    outcome.input = input;
    journal?.append({
      type: 'intent',
      step: step.number,
      operation: operationName(step.call),
      region: step.call.region,
      input,
      call: step.call,
      undo: step.undo,
    });
    const result = await send(factory, step.call, input, options);
    outcome.attempts = result.attempts;
    if (result.failure) {
      outcome.status = 'failed';
      outcome.failure = result.failure;
      journal?.append({
        type: 'outcome',
        step: step.number,
        status: 'failed',
        error: explainFailure(result.failure),
      });
      options.onStep?.({ step, phase: 'failed' });
      stopped = true;
      interrupted = options.interrupt?.stopRequested() === true;
      break;
    }
    outcome.status = 'done';
    journal?.append({
      type: 'outcome',
      step: step.number,
      status: 'done',
      ...(step.call.output ? { output: journalOutput(result.output) } : {}),
    });
    if (step.call.output) outputs.set(step.call.output, result.output);
    options.onStep?.({ step, phase: 'done' });
  }
  // A signal during the last call asks what one during any other asks: the steps done are undone.
  if (!stopped && options.interrupt?.stopRequested()) {
    interrupted = true;
    stopped = true;
  }
  if (!stopped) {
    journal?.append({ type: 'end', result: 'applied' });
    return { ok: true, interrupted, steps: outcomes, rollback: [], outputs };
  }
  if (options.noRollback) return { ok: false, interrupted, steps: outcomes, rollback: [], outputs };
  const done = outcomes.filter((o) => o.status === 'done').map((o) => o.step);
  const rollback = await rollBack(factory, done, outputs, options);
  const abandoned = rollback.some((u) => u.status === 'not undone');
  journal?.append({
    type: 'end',
    result: abandoned ? 'rollback stopped' : interrupted ? 'interrupted' : 'rolled back',
  });
  return { ok: false, interrupted, steps: outcomes, rollback, outputs };
}

/**
 * Undoes steps that were done, last first, each with the undo computed for it. Also the rollback of
 * `fix --rollback`: there `tolerateAbsent` lets a removal whose target is not there count as undone (its
 * step may never have run, or an earlier rollback may have removed it already).
 */
export async function rollBack(
  factory: AwsClientFactory,
  done: readonly PlanStep[],
  outputs: ReadonlyMap<string, unknown>,
  options: ApplyOptions & { tolerateAbsent?: boolean } = {},
): Promise<UndoOutcome[]> {
  const journal = options.journal;
  const rollback: UndoOutcome[] = [];
  for (const step of [...done].reverse()) {
    const undo = step.undo;
    if (undo.kind === 'none') {
      journal?.append({ type: 'undo', step: step.number, status: 'nothing to undo', commands: [] });
      rollback.push({ step, status: 'nothing to undo', commands: [] });
      continue;
    }
    if (undo.kind === 'keep') {
      const commands = (undo.manual ?? []).map((call) => bestCommand(call, outputs));
      journal?.append({ type: 'undo', step: step.number, status: 'kept', commands });
      rollback.push({ step, status: 'kept', commands });
      continue;
    }
    if (options.interrupt?.rollbackAbandoned()) {
      rollback.push({
        step,
        status: 'not undone',
        commands: undo.calls.map((call) => bestCommand(call, outputs)),
      });
      continue;
    }
    options.onStep?.({ step, phase: 'undo' });
    journal?.append({ type: 'undo-intent', step: step.number });
    const commands: string[] = [];
    let failure: CallFailure | undefined;
    let absent = false;
    for (const call of undo.calls) {
      const command = bestCommand(call, outputs);
      if (failure) {
        commands.push(command);
        continue;
      }
      let input: Record<string, unknown>;
      try {
        input = resolveInput(call, outputs);
      } catch (error) {
        failure = describeFailure(error, call.service, call.operation, call.region);
        commands.push(command);
        continue;
      }
      // The rollback is what an interrupt asked for: its calls wait out settling errors as usual.
      const result = await send(factory, call, input, { ...options, interrupt: undefined });
      if (result.failure) {
        if (options.tolerateAbsent && undo.kind === 'remove' && ABSENT.has(result.failure.code))
          absent = true;
        else failure = result.failure;
      }
      commands.push(command);
    }
    const status: UndoOutcome['status'] = failure
      ? 'failed'
      : absent && undo.calls.length === 1
        ? 'nothing to undo'
        : undo.kind === 'remove'
          ? 'removed'
          : 'reverted';
    journal?.append({
      type: 'undo',
      step: step.number,
      status,
      commands,
      ...(failure ? { error: explainFailure(failure) } : {}),
    });
    rollback.push({ step, status, commands, ...(failure ? { failure } : {}) });
  }
  return rollback;
}
