import { isWriteOperation, operationName } from '../../remediate/calls.js';
import { applyPlan } from '../../remediate/apply.js';
import type { ApplyResult } from '../../remediate/apply.js';
import type { Plan } from '../../remediate/plan.js';
import { inputText, planToJson, renderDryRun } from '../../remediate/render.js';
import { assess } from '../../evaluate/assess.js';
import type { ControlStatus } from '../../controls/types.js';
import { findControl } from '../../controls/index.js';
import type { ControlDefinition, Finding } from '../../controls/types.js';
import { explainFailure } from '../../aws/errors.js';
import { terminalSafe } from '../../report/escape.js';
import { CannotRunError, EXIT, UsageError } from '../../util/errors.js';
import { FIX_HELP } from '../help.js';
import { parseCommandLine } from '../config.js';
import type { CliIO } from '../io.js';
import { HELP_OPTION } from '../options.js';
import { emit } from '../output.js';
import {
  acceptSuppressions,
  gatherEvidence,
  newFactory,
  planWithNames,
  prepare,
  REMEDIATION_OPTIONS,
} from '../remediation.js';

/** Reads one line from standard input (the confirmation), or '' when input ends first. */
async function readLine(stream: NodeJS.ReadableStream): Promise<string> {
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

interface FixReport {
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
        reason: undo.failure ? explainFailure(undo.failure) : 'it failed',
      });
  }
  state.revertedSteps.sort((a, b) => a - b);
  state.neverRun = state.neverRun.filter((n) => plan.steps[n - 1] !== undefined);
  return state;
}

function stateText(state: AccountState, failed: number): string[] {
  const out = ['', 'The account now:'];
  const done = state.revertedSteps.filter((n) => n !== failed);
  out.push(
    done.length > 0
      ? `  - Changed and put back (or removed again): step ${done.join(', ')}.`
      : '  - No step had changed anything before the failure.',
  );
  for (const item of state.notReverted) {
    out.push(`  - NOT put back: step ${item.step} (${terminalSafe(item.reason)}). Do it by hand:`);
    for (const command of item.commands) out.push(`      $ ${terminalSafe(command)}`);
  }
  for (const item of state.kept) {
    out.push(`  - Created and kept on purpose: step ${item.step}: ${terminalSafe(item.note)}.`);
    for (const command of item.commands) out.push(`      to remove it: $ ${terminalSafe(command)}`);
  }
  out.push(`  - Never run: step ${state.neverRun.join(', ')} (step ${failed} failed and changed nothing).`);
  out.push(
    state.notReverted.length === 0
      ? `  - Everything else is as it was before the run${state.kept.length > 0 ? ', apart from what was kept above' : ''}.`
      : '  - Everything else is as it was before the run.',
  );
  return out;
}

/** The flags of 'trailcheck fix' (shell completion lists them too). */
export const FIX_OPTIONS = {
  ...REMEDIATION_OPTIONS,
  ...HELP_OPTION,
  apply: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  format: { type: 'string', short: 'f' },
} as const;

export async function fixCommand(args: string[], io: CliIO): Promise<number> {
  const values = await parseCommandLine('fix', args, FIX_OPTIONS, io);
  if (values.help) {
    io.stdout(`${FIX_HELP}\n`);
    return EXIT.OK;
  }
  const format = (values.format ?? 'text').trim().toLowerCase();
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`unknown format '${values.format}' for fix; choose text or json.`);
  const apply = values.apply === true;
  if (!apply && values.yes)
    throw new UsageError('--yes answers the question --apply asks; give --apply too.');
  if (apply && values.snapshot !== undefined)
    throw new UsageError(
      '--apply changes the account as it is now, so it collects fresh evidence; --snapshot is for the dry run only.',
    );
  if (apply && !values.yes && io.stdinIsTTY !== true)
    throw new UsageError(
      '--apply asks for confirmation on a terminal; without one, give --yes to apply without asking.',
    );
  const prepared = prepare(values, io);
  await acceptSuppressions(values, prepared, io);
  const snapshot = await gatherEvidence(io, values, prepared);
  const factory = values.snapshot === undefined ? newFactory(prepared) : undefined;
  try {
    const plan = await planWithNames(snapshot, prepared, factory);
    const before = assess(snapshot, prepared.selection.controls, prepared.options);
    // A finding accepted with --ignore is neither fixed nor counted against the run, as in scan.
    const accepted = prepared.options.remediation?.accepted;
    const isAccepted = (f: Finding): boolean => accepted?.(f) !== undefined;
    const open = before.findings.some((f) => f.status !== 'PASS' && !isAccepted(f));
    const manualLeft = plan.actions.some((a) => a.kind === 'manual');
    const report: FixReport = { mode: apply ? 'apply' : 'dry-run', plan: planToJson(plan), exitCode: 0 };
    const text: string[] = [renderDryRun(plan, snapshot.scope.regions).trimEnd()];

    const finish = async (exitCode: number): Promise<number> => {
      report.exitCode = exitCode;
      if (factory) report.writes = factory.callLog.journal().filter((c) => isWriteOperation(c.operation));
      const content = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${text.join('\n')}\n`;
      await emit(io, content, values.output, 'the fix report');
      return exitCode;
    };

    if (!apply || plan.steps.length === 0) {
      if (apply) text.push('', 'Nothing to change: no step to apply.');
      return finish(open ? EXIT.FINDINGS : EXIT.OK);
    }
    if (!factory) throw new UsageError('--apply needs live AWS access.');
    if (plan.warnings.length > 0)
      throw new CannotRunError(
        `the plan is not consistent (${plan.warnings.join('; ')}), so nothing was changed; this is a bug in trailcheck, please report it.`,
      );

    if (!values.yes) {
      io.stderr(
        `${text.join('\n')}\n\nApply these ${plan.steps.length} changes to account ${plan.account}? Type yes to go on: `,
      );
      const answer = await readLine(io.stdin as NodeJS.ReadableStream);
      if (!/^y(es)?$/i.test(answer.trim())) {
        text.push('', 'Nothing was changed (not confirmed).');
        return finish(EXIT.FINDINGS);
      }
    }

    const progress = io.stderrIsTTY === true;
    const result = await applyPlan(factory, plan, {
      onStep: ({ step, phase }) => {
        if (progress && phase === 'start')
          io.stderr(
            `trailcheck: [${step.number}/${plan.steps.length}] ${operationName(step.call)} in ${step.call.region}\n`,
          );
      },
    });
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
      text.push(
        '',
        `Step ${number} failed, so the ${result.rollback.length} steps before it were undone, last first:`,
      );
      for (const undo of result.rollback) {
        text.push(`  step ${undo.step.number}: ${undo.status} – ${terminalSafe(undo.step.undo.note)}`);
        for (const command of undo.status === 'kept' ? [] : undo.commands)
          text.push(`      $ ${terminalSafe(command)}`);
      }
      text.push(...stateText(state, number));
      if (failed) text.push('', `What failed: ${terminalSafe(inputText(failed.step.call))}`);
      return finish(EXIT.CANNOT_RUN);
    }

    // Re-assess the controls the plan changed, from fresh evidence.
    const affected = [
      ...new Set(plan.actions.filter((a) => a.kind === 'apply').flatMap((a) => a.controls)),
    ].flatMap<ControlDefinition>((id) => {
      const control = findControl(id);
      return control ? [control] : [];
    });
    const fresh = await gatherEvidence(io, { ...values, snapshot: undefined }, prepared, affected);
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
    return finish(allPass && !manualLeft ? EXIT.OK : EXIT.FINDINGS);
  } finally {
    factory?.destroy();
  }
}
