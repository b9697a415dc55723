/**
 * The journal of a `trailcheck fix --apply` run: one JSON record a line, appended and fsynced, so that a run
 * that is killed (even with SIGKILL) leaves a true account of what it did. Each step is written down before
 * its call (intent: the input sent and the undo) and after it (outcome, with the output an undo may need,
 * such as a new key's ARN); each undo likewise. `trailcheck fix --rollback JOURNAL` reads it back.
 *
 * A crash can tear only the last line (records are written whole, one at a time): the reader drops it.
 * That is safe either way: a torn intent was never followed by its call (the call waits for the fsync), and
 * a torn outcome leaves the step "possibly done", which the rollback undoes with calls that tolerate it not
 * having happened.
 */
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../util/errors.js';
import { SERVICES } from '../fixes/calls.js';

/** Bumped when a record changes shape; a reader refuses versions it does not know. */
export const JOURNAL_VERSION = 1;

const ApiCallSchema = z.object({
  service: z.enum(SERVICES),
  operation: z.string(),
  region: z.string(),
  input: z.record(z.string(), z.unknown()),
  output: z.string().optional(),
});

const UndoSchema = z.object({
  kind: z.enum(['revert', 'remove', 'none', 'keep']),
  calls: z.array(ApiCallSchema),
  manual: z.array(ApiCallSchema).optional(),
  exact: z.boolean(),
  note: z.string(),
});

export const JournalRecordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    version: z.number().int(),
    tool: z.string(),
    account: z.string(),
    at: z.string(),
    steps: z.number().int(),
  }),
  /** Written (and fsynced) before a step's call is sent. */
  z.object({
    type: z.literal('intent'),
    step: z.number().int(),
    operation: z.string(),
    region: z.string(),
    /** The input as sent, refs resolved. */
    input: z.record(z.string(), z.unknown()),
    /** The call as planned: its `output` names what later refs and this step's undo use. */
    call: ApiCallSchema,
    undo: UndoSchema,
    at: z.string(),
  }),
  z.object({
    type: z.literal('outcome'),
    step: z.number().int(),
    status: z.enum(['done', 'failed']),
    /** The call's output, when a later call or an undo refers to it. */
    output: z.unknown().optional(),
    error: z.string().optional(),
    at: z.string(),
  }),
  /** Written before an undo's calls are sent. */
  z.object({ type: z.literal('undo-intent'), step: z.number().int(), at: z.string() }),
  z.object({
    type: z.literal('undo'),
    step: z.number().int(),
    status: z.enum(['reverted', 'removed', 'nothing to undo', 'kept', 'failed']),
    commands: z.array(z.string()),
    error: z.string().optional(),
    at: z.string(),
  }),
  z.object({
    type: z.literal('end'),
    result: z.enum(['applied', 'rolled back', 'interrupted', 'rollback stopped']),
    at: z.string(),
  }),
]);

export type JournalRecord = z.infer<typeof JournalRecordSchema>;
/** A record as written: the time is added on the way out. */
export type NewRecord = JournalRecord extends infer R
  ? R extends { at: string }
    ? Omit<R, 'at'>
    : never
  : never;

/** Where a run's journal goes by default: `./.trailcheck/journal/<account>-<UTC time>.jsonl`. */
export function defaultJournalPath(account: string, now: Date, cwd = process.cwd()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join(cwd, '.trailcheck', 'journal', `${account}-${stamp}.jsonl`);
}

function codeOf(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? String(error);
}

/** Makes a directory entry durable (a new file, a truncation); some file systems cannot, which is fine. */
function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform lets a directory be opened for fsync; the file's own fsync still holds.
  }
}

/** Appends records, each one whole line, each fsynced before `append` returns. */
export class JournalWriter {
  private constructor(
    readonly path: string,
    private fd: number | undefined,
  ) {}

  /** A new journal; never overwrites one (a default name taken in the same second gets a suffix). */
  static create(path: string, explicit: boolean): JournalWriter {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new UsageError(`cannot create the journal directory ${dirname(path)} (${codeOf(error)}).`);
    }
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? path : path.replace(/(\.jsonl)?$/, `-${attempt}$1`);
      try {
        const fd = openSync(candidate, 'wx');
        fsyncDirectory(dirname(candidate));
        return new JournalWriter(candidate, fd);
      } catch (error) {
        if (codeOf(error) === 'EEXIST' && !explicit && attempt < 100) continue;
        if (codeOf(error) === 'EEXIST')
          throw new UsageError(
            `the journal ${candidate} exists already; name a new file (the old one may be needed for --rollback).`,
          );
        throw new UsageError(`cannot create the journal ${candidate} (${codeOf(error)}).`);
      }
    }
  }

  /** An existing journal, to add rollback records; a torn last line is cut off first. */
  static reopen(path: string): JournalWriter {
    let fd: number;
    try {
      fd = openSync(path, 'r+');
    } catch (error) {
      throw new UsageError(`cannot write to the journal ${path} (${codeOf(error)}).`);
    }
    const text = readFileSync(fd, 'utf8');
    const keep = text.endsWith('\n') || text === '' ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    if (keep.length !== text.length) {
      ftruncateSync(fd, Buffer.byteLength(keep));
      fsyncSync(fd);
    }
    closeSync(fd);
    return new JournalWriter(path, openSync(path, 'a'));
  }

  append(record: NewRecord): void {
    if (this.fd === undefined) throw new Error('the journal is closed');
    const line = Buffer.from(`${JSON.stringify({ ...record, at: new Date().toISOString() })}\n`);
    // One write of one line (O_APPEND), then fsync: the record is on disk before the call it announces.
    let written = 0;
    while (written < line.length) written += writeSync(this.fd, line, written);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The largest journal trailcheck reads: a plan has tens of steps, a journal a few hundred kilobytes. */
const MAX_JOURNAL_BYTES = 64 * 1024 * 1024;

/** Reads a journal; a missing, unreadable or corrupt one is refused in one line. */
export function readJournal(path: string): JournalRecord[] {
  let text: string;
  try {
    const info = statSync(path);
    if (info.isDirectory()) throw new UsageError(`the journal ${path} is a directory, not a file.`);
    if (info.size > MAX_JOURNAL_BYTES)
      throw new UsageError(`the journal ${path} is ${info.size} bytes; is it the right file?`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (codeOf(error) === 'ENOENT') throw new UsageError(`the journal ${path} does not exist.`);
    throw new UsageError(`the journal ${path} cannot be read (${codeOf(error)}).`);
  }
  const lines = text.split('\n');
  // A file that ends without a newline was cut off mid-record: its last line is dropped, not an error.
  lines.pop();
  const records: JournalRecord[] = [];
  const parse = (line: string): JournalRecord | undefined => {
    try {
      const parsed = JournalRecordSchema.safeParse(JSON.parse(line));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  lines.forEach((line, index) => {
    const record = parse(line);
    if (!record)
      throw new UsageError(
        `the journal ${path} is corrupt at line ${index + 1}; it is not a trailcheck journal, or was edited.`,
      );
    records.push(record);
  });
  const start = records[0];
  if (start?.type !== 'start')
    throw new UsageError(`the journal ${path} is not a trailcheck journal (it has no start record).`);
  if (start.version !== JOURNAL_VERSION)
    throw new UsageError(
      `the journal ${path} is version ${start.version}; this trailcheck reads version ${JOURNAL_VERSION}.`,
    );
  return records;
}

/** The account a journal's run changed. */
export function journalAccount(records: readonly JournalRecord[]): string {
  const start = records[0];
  return start?.type === 'start' ? start.account : '';
}
