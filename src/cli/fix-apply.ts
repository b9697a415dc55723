/**
 * Applying one account's plan, as `trailcheck fix --apply` does for the account behind the credentials and
 * `fix --org --apply` for each account it names: the journal, the calls, the rollback on a failed step or
 * an interrupt, and the controls checked again from fresh evidence.
 */
import type { AwsClientFactory } from '../aws/clients.js';
import { explainFailure } from '../aws/errors.js';
import type { ControlDefinition, ControlStatus, Finding } from '../controls/types.js';
import { findControl } from '../controls/index.js';
import { terminalSafe } from '../core/escape.js';
import { operationName } from '../fixes/calls.js';
import { assess } from '../judge/assess.js';
import type { Assessment } from '../judge/assess.js';
import { applyPlan } from '../remediate/apply.js';
import type { ApplyInterrupt, ApplyResult } from '../remediate/apply.js';
import { JournalWriter, defaultJournalPath } from '../remediate/journal.js';
import type { Plan } from '../remediate/plan.js';
import type { planToJson } from '../remediate/render.js';
import { inputText } from '../remediate/render.js';
import type { Snapshot } from '../snapshot/schema.js';
import { EXIT } from '../util/errors.js';
import { TOOL_VERSION } from '../version.js';
import type { CliIO } from './io.js';
import type { Prepared } from './remediation.js';

/** Reads one line from standard input (the confirmation), or '' when input ends first. */
export async function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let buffer = '';
    const done = (line: string) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.pause();
      resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) done(buffer.slice(0, newline));
    };
    const onEnd = () => done(buffer);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.resume();
  });
}

interface ControlChange {
  control: string;
  before: ControlStatus;
  after: ControlStatus;
}

export interface FixReport {
  mode: 'dry-run' | 'apply';
  plan: ReturnType<typeof planToJson>;
  applied?: Array<{
    step: number;
    operation: string;
    region: string;
    status: string;
    attempts?: number;
    error?: string;
  }>;
  rollback?: Array<{ step: number; status: string; commands: string[]; error?: string }>;
  state?: AccountState;
  verdicts?: ControlChange[];
  /** Every call that changed something, in order, as trailcheck's SDK clients logged them. */
  writes?: Array<{ operation: string; region: string; failed: boolean }>;
  /** The journal of an --apply run: what `fix --rollback` reads. */
  journal?: string;
  /** Stopped by SIGINT or SIGTERM; the steps done were rolled back. */
  interrupted?: boolean;
  exitCode: number;
}

/** After a rollback: what the account now looks like, in plain lines. */
interface AccountState {
  revertedSteps: number[];
  notReverted: Array<{ step: number; commands: string[]; reason: string }>;
  kept: Array<{ step: number; note: string; commands: string[] }>;
  neverRun: number[];
}

function accountState(plan: Plan, result: ApplyResult): AccountState {
  const state: AccountState = { revertedSteps: [], notReverted: [], kept: [], neverRun: [] };
  for (const outcome of result.steps) if (outcome.status !== 'done') state.neverRun.push(outcome.step.number);
  for (const undo of result.rollback) {
    if (undo.status === 'reverted' || undo.status === 'removed' || undo.status === 'nothing to undo')
      state.revertedSteps.push(undo.step.number);
    else if (undo.status === 'kept')
      state.kept.push({ step: undo.step.number, note: undo.step.undo.note, commands: undo.commands });
    else
      state.notReverted.push({
        step: undo.step.number,
        commands: undo.commands,
        reason: undo.failure
          ? explainFailure(undo.failure)
          : undo.status === 'not undone'
            ? 'the rollback was stopped before it'
            : 'it failed',
      });
  }
  state.revertedSteps.sort((a, b) => a - b);
  state.neverRun = state.neverRun.filter((n) => plan.steps[n - 1] !== undefined);
  return state;
}

/** `failed` is the step that failed, or 0 when the run was interrupted. */
function stateText(state: AccountState, failed: number): string[] {
  const out = ['', 'The account now:'];
  const done = state.revertedSteps.filter((n) => n !== failed);
  out.push(
    done.length > 0
      ? `  - Changed and put back (or removed again): step ${done.join(', ')}.`
      : `  - No step had changed anything before the ${failed === 0 ? 'interrupt' : 'failure'}.`,
  );
  for (const item of state.notReverted) {
    out.push(`  - NOT put back: step ${item.step} (${terminalSafe(item.reason)}). Do it by hand:`);
    for (const command of item.commands) out.push(`      $ ${terminalSafe(command)}`);
  }
  for (const item of state.kept) {
    out.push(`  - Created and kept on purpose: step ${item.step}: ${terminalSafe(item.note)}.`);
    for (const command of item.commands) out.push(`      to remove it: $ ${terminalSafe(command)}`);
  }
  if (failed !== 0)
    out.push(`  - Never run: step ${state.neverRun.join(', ')} (step ${failed} failed and changed nothing).`);
  else if (state.neverRun.length > 0)
    out.push(`  - Never run: step ${state.neverRun.join(', ')} (interrupted before them).`);
  out.push(
    state.notReverted.length === 0
      ? `  - Everything else is as it was before the run${state.kept.length > 0 ? ', apart from what was kept above' : ''}.`
      : '  - Everything else is as it was before the run.',
  );
  return out;
}

/** One account's plan, ready to apply. */
export interface AccountFix {
  plan: Plan;
  /** The verdicts the plan was made from. */
  before: Assessment;
  factory: AwsClientFactory;
  /** --journal, or undefined for the default path (which names the account). */
  journalPath: string | undefined;
  /** Fresh evidence of these controls, to be judged as `before` was. */
  freshEvidence: (controls: readonly ControlDefinition[]) => Promise<Snapshot>;
  /** Whose credentials a rollback of this journal needs, when they are not the ones given on the command line. */
  rollbackCredentials?: string;
}

/**
 * Applies one account's plan with its journal, rolls it back on a failed step or an interrupt, and checks
 * the changed controls again. Adds its lines to `text` and its record to `report`; returns the exit code.
 */
export async function applyToAccount(
  io: CliIO,
  input: AccountFix,
  prepared: Prepared,
  text: string[],
  report: FixReport,
): Promise<number> {
  const { plan, before, factory } = input;
  const accepted = prepared.options.remediation?.accepted;
  const isAccepted = (f: Finding): boolean => accepted?.(f) !== undefined;
  const manualLeft = plan.actions.some((a) => a.kind === 'manual');
  const progress = io.stderrIsTTY === true;
  const journal = JournalWriter.create(
    input.journalPath ?? defaultJournalPath(plan.account, new Date()),
    input.journalPath !== undefined,
  );
  report.journal = journal.path;
  // On stderr, so the record's name is seen even when stdout goes to a file or a pipe.
  io.stderr(
    `trailcheck: recording the changes in ${journal.path} (if this run is killed, undo them with: trailcheck fix --rollback ${journal.path}${input.rollbackCredentials !== undefined ? `, run with ${input.rollbackCredentials}` : ''})\n`,
  );
  let result: ApplyResult;
  let interrupts = 0;
  const giveBack = io.onInterrupt?.((signal) => {
    interrupts++;
    if (interrupts === 1)
      io.stderr(
        `\ntrailcheck: ${signal}: stopping after the call in flight; the steps done will be undone, last first.\n`,
      );
    else if (interrupts === 2)
      io.stderr(
        `trailcheck: the rollback is still running; interrupt once more to stop it before its next call and leave the rest to: trailcheck fix --rollback ${journal.path}\n`,
      );
    else if (interrupts === 3) io.stderr('trailcheck: stopping the rollback after the call in flight.\n');
  });
  const interrupt: ApplyInterrupt = {
    stopRequested: () => interrupts >= 1,
    rollbackAbandoned: () => interrupts >= 3,
  };
  try {
    journal.append({
      type: 'start',
      version: 1,
      tool: TOOL_VERSION,
      account: plan.account,
      steps: plan.steps.length,
    });
    result = await applyPlan(factory, plan, {
      journal,
      interrupt,
      onStep: ({ step, phase }) => {
        if (progress && phase === 'start')
          io.stderr(
            `trailcheck: [${step.number}/${plan.steps.length}] ${operationName(step.call)} in ${step.call.region}\n`,
          );
      },
    });
  } finally {
    giveBack?.();
    journal.close();
  }
  report.applied = result.steps.map((o) => ({
    step: o.step.number,
    operation: operationName(o.step.call),
    region: o.step.call.region,
    status: o.status,
    ...(o.attempts !== undefined ? { attempts: o.attempts } : {}),
    ...(o.failure ? { error: explainFailure(o.failure) } : {}),
  }));
  text.push('', `Applying ${plan.steps.length} API calls to account ${plan.account}:`);
  for (const outcome of result.steps) {
    if (outcome.status === 'not run') continue;
    text.push(
      `  step ${outcome.step.number} ${operationName(outcome.step.call)} (${outcome.step.call.region}): ${outcome.status === 'done' ? 'done' : `FAILED – ${terminalSafe(outcome.failure ? explainFailure(outcome.failure) : '')}`}`,
    );
  }

  if (!result.ok) {
    const failed = result.steps.find((o) => o.status === 'failed');
    const number = failed?.step.number ?? 0;
    report.rollback = result.rollback.map((u) => ({
      step: u.step.number,
      status: u.status,
      commands: u.commands,
      ...(u.failure ? { error: explainFailure(u.failure) } : {}),
    }));
    const state = accountState(plan, result);
    report.state = state;
    if (result.interrupted) report.interrupted = true;
    text.push(
      '',
      result.interrupted
        ? `Interrupted, so the ${result.rollback.length} steps done were undone, last first:`
        : `Step ${number} failed, so the ${result.rollback.length} steps before it were undone, last first:`,
    );
    for (const undo of result.rollback) {
      text.push(`  step ${undo.step.number}: ${undo.status} – ${terminalSafe(undo.step.undo.note)}`);
      for (const command of undo.status === 'kept' ? [] : undo.commands)
        text.push(`      $ ${terminalSafe(command)}`);
    }
    text.push(...stateText(state, result.interrupted ? 0 : number));
    if (failed) text.push('', `What failed: ${terminalSafe(inputText(failed.step.call))}`);
    if (result.rollback.some((u) => u.status === 'not undone'))
      text.push('', `The rollback was stopped. Finish it with: trailcheck fix --rollback ${journal.path}`);
    text.push('', `The journal of this run: ${journal.path}`);
    return result.interrupted ? EXIT.INTERRUPTED : EXIT.CANNOT_RUN;
  }

  // Re-assess the controls the plan changed, from fresh evidence.
  const affected = [
    ...new Set(plan.actions.filter((a) => a.kind === 'apply').flatMap((a) => a.controls)),
  ].flatMap<ControlDefinition>((id) => {
    const control = findControl(id);
    return control ? [control] : [];
  });
  const fresh = await input.freshEvidence(affected);
  const after = assess(fresh, affected, prepared.options);
  const settled = new Set(
    after.results
      .filter(
        (r) =>
          r.status === 'PASS' ||
          (r.findings.length > 0 && r.findings.every((f) => f.status === 'PASS' || isAccepted(f))),
      )
      .map((r) => r.control.id),
  );
  const verdicts: ControlChange[] = after.results.map((r) => ({
    control: r.control.id,
    before: before.results.find((b) => b.control.id === r.control.id)?.status ?? 'NOT_APPLICABLE',
    after: r.status,
  }));
  report.verdicts = verdicts;
  const width = Math.max(7, ...verdicts.map((v) => v.control.length));
  text.push('', 'Checked again from fresh evidence:', `  ${'Control'.padEnd(width)}  Before   After`);
  for (const v of verdicts) text.push(`  ${v.control.padEnd(width)}  ${v.before.padEnd(7)}  ${v.after}`);
  const allPass = verdicts.every((v) => settled.has(v.control));
  text.push(
    '',
    allPass && !manualLeft
      ? 'Every planned change was applied, and every check it touched passes now.'
      : allPass
        ? 'Every planned change was applied and passes; the steps left to you are listed above.'
        : 'Every planned change was applied, but not every check passes yet (see above).',
  );
  return allPass && !manualLeft ? EXIT.OK : EXIT.FINDINGS;
}
