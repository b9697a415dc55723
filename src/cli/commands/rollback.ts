/**
 * `trailcheck fix --rollback JOURNAL`: undoes, from its journal, what a `fix --apply` that was killed left
 * done. Safe to run again: what it undid is recorded in the same journal, and a second run undoes nothing.
 */
import { AwsClientFactory, resolveControlRegion } from '../../aws/clients.js';
import { explainFailure } from '../../aws/errors.js';
import { assertProfileExists } from '../../aws/profiles.js';
import { getCallerIdentity } from '../../collect/identity.js';
import { terminalSafe } from '../../core/escape.js';
import type { ApplyInterrupt } from '../../remediate/apply.js';
import { operationName } from '../../fixes/calls.js';
import { JournalWriter, readJournal } from '../../remediate/journal.js';
import { pendingRollback, rollBackJournal } from '../../remediate/rollback.js';
import { EXIT, UsageError } from '../../util/errors.js';
import type { CliIO } from '../io.js';
import { accessOptions, emit } from '../output.js';

interface RollbackFlags {
  profile?: string;
  timeout?: string;
  format: string;
  output?: string;
}

interface RollbackReport {
  mode: 'rollback';
  journal: string;
  account: string;
  /** Steps undone by an earlier rollback (in-process or `--rollback`): left alone. */
  undoneBefore: number[];
  /** Steps whose outcome was never recorded: undone with calls that are safe if they never ran. */
  possiblyDone: number[];
  rollback: Array<{ step: number; operation: string; status: string; commands: string[]; error?: string }>;
  exitCode: number;
}

export async function rollbackCommand(path: string, flags: RollbackFlags, io: CliIO): Promise<number> {
  const records = readJournal(path);
  const pending = pendingRollback(records);
  const report: RollbackReport = {
    mode: 'rollback',
    journal: path,
    account: pending.account,
    undoneBefore: pending.undoneBefore,
    possiblyDone: [...pending.possiblyDone],
    rollback: [],
    exitCode: EXIT.OK,
  };
  const text: string[] = [];
  const finish = async (exitCode: number): Promise<number> => {
    report.exitCode = exitCode;
    const content = flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${text.join('\n')}\n`;
    await emit(io, content, flags.output, 'the rollback report');
    return exitCode;
  };

  if (pending.steps.length === 0) {
    text.push(
      `Nothing left to undo in account ${pending.account}: the journal ${terminalSafe(path)} records no step that is done and not undone.`,
    );
    return finish(EXIT.OK);
  }

  const access = accessOptions(flags, io);
  if (access.profile !== undefined) await assertProfileExists(access.profile);
  const factory = new AwsClientFactory(access);
  let interrupts = 0;
  const giveBack = io.onInterrupt?.(() => {
    interrupts++;
    io.stderr(
      interrupts === 1
        ? `\ntrailcheck: the rollback is still running; interrupt once more to stop it before its next call (run --rollback again later to finish).\n`
        : 'trailcheck: stopping the rollback after the call in flight.\n',
    );
  });
  const interrupt: ApplyInterrupt = { stopRequested: () => false, rollbackAbandoned: () => interrupts >= 2 };
  try {
    const identity = await getCallerIdentity(factory, await resolveControlRegion(access), access.profile);
    if (identity.Account !== pending.account)
      throw new UsageError(
        `the journal ${path} records changes to account ${pending.account}, but these credentials are for account ${identity.Account}; give --profile for account ${pending.account}.`,
      );
    const journal = JournalWriter.reopen(path);
    let undos;
    try {
      undos = await rollBackJournal(factory, pending, journal, interrupt);
    } finally {
      journal.close();
    }
    report.rollback = undos.map((u) => ({
      step: u.step.number,
      operation: operationName(u.step.call),
      status: u.status,
      commands: u.commands,
      ...(u.failure ? { error: explainFailure(u.failure) } : {}),
    }));

    text.push(`Rolling back account ${pending.account} from the journal ${terminalSafe(path)}.`);
    for (const number of pending.possiblyDone)
      text.push(
        `Step ${number} was sent but its outcome was never recorded: it may or may not have run, so it is undone with calls that are safe either way.`,
      );
    if (pending.undoneBefore.length > 0)
      text.push(`Undone before, left alone: step ${pending.undoneBefore.join(', ')}.`);
    text.push('', `Undone, last first:`);
    for (const undo of undos) {
      text.push(
        `  step ${undo.step.number} ${operationName(undo.step.call)} (${undo.step.call.region}): ${undo.status} – ${terminalSafe(undo.step.undo.note)}`,
      );
      for (const command of undo.commands)
        text.push(`      ${undo.status === 'kept' ? 'to remove it: ' : ''}$ ${terminalSafe(command)}`);
      if (undo.failure) text.push(`      FAILED – ${terminalSafe(explainFailure(undo.failure))}`);
    }
    const left = undos.filter((u) => u.status === 'failed' || u.status === 'not undone');
    text.push(
      '',
      left.length === 0
        ? `Every step the run had done is undone${undos.some((u) => u.status === 'kept') ? ', apart from what was kept on purpose (above)' : ''}.`
        : `NOT undone: step ${left.map((u) => u.step.number).join(', ')}. Run trailcheck fix --rollback ${terminalSafe(path)} again, or run the commands above by hand.`,
    );
    return await finish(left.length === 0 ? EXIT.OK : EXIT.CANNOT_RUN);
  } finally {
    giveBack?.();
    factory.destroy();
  }
}
