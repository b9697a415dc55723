/**
 * `trailcheck fix --rollback JOURNAL`: finishes what a killed `fix --apply` could not, from its journal.
 * It undoes, last first, every step that was done or possibly done (intent written, outcome never) and not
 * yet undone; the records it adds to the same journal make a second run find nothing left to do.
 */
import type { AwsClientFactory } from '../aws/clients.js';
import type { ApplyInterrupt, UndoOutcome } from './apply.js';
import { rollBack } from './apply.js';
import type { ApiCall } from '../fixes/calls.js';
import type { JournalRecord, JournalWriter } from './journal.js';
import type { PlanStep } from './plan.js';
import type { Undo } from './undo.js';

export interface PendingRollback {
  account: string;
  /** In step order; undone last first. */
  steps: PlanStep[];
  /** Steps whose call was sent but whose outcome was never recorded: they may or may not have run. */
  possiblyDone: Set<number>;
  /** Steps a rollback already undid (or kept on purpose). */
  undoneBefore: number[];
  outputs: Map<string, unknown>;
}

/** What a journal says is left to undo. */
export function pendingRollback(records: readonly JournalRecord[]): PendingRollback {
  const intents = new Map<number, Extract<JournalRecord, { type: 'intent' }>>();
  const outcomes = new Map<number, Extract<JournalRecord, { type: 'outcome' }>>();
  const undone = new Set<number>();
  let account = '';
  for (const record of records) {
    if (record.type === 'start') account = record.account;
    else if (record.type === 'intent') intents.set(record.step, record);
    else if (record.type === 'outcome') outcomes.set(record.step, record);
    // A failed undo is tried again; every other ending is final.
    else if (record.type === 'undo' && record.status !== 'failed') undone.add(record.step);
  }
  const outputs = new Map<string, unknown>();
  const steps: PlanStep[] = [];
  const possiblyDone = new Set<number>();
  for (const [number, intent] of [...intents].sort(([a], [b]) => a - b)) {
    const outcome = outcomes.get(number);
    if (outcome?.status === 'done' && intent.call.output && outcome.output !== undefined)
      outputs.set(intent.call.output, outcome.output);
    if (outcome?.status === 'failed' || undone.has(number)) continue;
    if (!outcome) possiblyDone.add(number);
    // The journal holds the call and undo as planned (validated on reading); inputs are JSON documents.
    steps.push({ number, call: intent.call as ApiCall, undo: intent.undo as Undo, actions: [] });
  }
  return { account, steps, possiblyDone, undoneBefore: [...undone].sort((a, b) => a - b), outputs };
}

/** Undoes what `pending` lists, recording each undo in the journal. */
export async function rollBackJournal(
  factory: AwsClientFactory,
  pending: PendingRollback,
  journal: JournalWriter,
  interrupt?: ApplyInterrupt,
): Promise<UndoOutcome[]> {
  return rollBack(factory, pending.steps, pending.outputs, {
    journal,
    tolerateAbsent: true,
    ...(interrupt ? { interrupt } : {}),
  });
}
