/**
 * Applies a plan step by step through trailcheck's SDK clients. If a step fails, the steps already done
 * are undone in reverse order, and the result says exactly what the account now looks like: what was
 * changed and put back, what could not be put back (with the command to do it by hand), what was created
 * and kept on purpose, and what was never run.
 */
import type { AwsClientFactory } from '../aws/clients.js';
import { describeFailure } from '../aws/errors.js';
import type { CallFailure } from '../aws/errors.js';
import { sendOperation } from '../aws/operations.js';
import type { ApiCall } from './calls.js';
import { cliCommand, isRef } from './calls.js';
import type { Plan, PlanStep } from './plan.js';
import { resolveInput } from './simulate.js';

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
  status: 'reverted' | 'removed' | 'nothing to undo' | 'kept' | 'failed';
  /** The calls made (resolved), or for kept and failed ones the commands to run by hand. */
  commands: string[];
  failure?: CallFailure;
}

export interface ApplyResult {
  ok: boolean;
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
      await sleep(delay);
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
  let failedAt: number | undefined;
  for (const outcome of outcomes) {
    const { step } = outcome;
    options.onStep?.({ step, phase: 'start' });
    const input = resolveInput(step.call, outputs);
    outcome.input = input;
    const result = await send(factory, step.call, input, options);
    outcome.attempts = result.attempts;
    if (result.failure) {
      outcome.status = 'failed';
      outcome.failure = result.failure;
      options.onStep?.({ step, phase: 'failed' });
      failedAt = step.number;
      break;
    }
    outcome.status = 'done';
    if (step.call.output) outputs.set(step.call.output, result.output);
    options.onStep?.({ step, phase: 'done' });
  }
  if (failedAt === undefined) return { ok: true, steps: outcomes, rollback: [], outputs };
  const rollback: UndoOutcome[] = [];
  if (options.noRollback) return { ok: false, steps: outcomes, rollback, outputs };
  for (const outcome of [...outcomes].reverse()) {
    if (outcome.status !== 'done') continue;
    const { step } = outcome;
    const undo = step.undo;
    options.onStep?.({ step, phase: 'undo' });
    if (undo.kind === 'none') {
      rollback.push({ step, status: 'nothing to undo', commands: [] });
      continue;
    }
    if (undo.kind === 'keep') {
      rollback.push({
        step,
        status: 'kept',
        commands: (undo.manual ?? []).map((call) => bestCommand(call, outputs)),
      });
      continue;
    }
    const commands: string[] = [];
    let failure: CallFailure | undefined;
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
      const result = await send(factory, call, input, options);
      if (result.failure) failure = result.failure;
      commands.push(command);
    }
    rollback.push({
      step,
      status: failure ? 'failed' : undo.kind === 'remove' ? 'removed' : 'reverted',
      commands,
      ...(failure ? { failure } : {}),
    });
  }
  return { ok: false, steps: outcomes, rollback, outputs };
}
