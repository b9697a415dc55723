/**
 * `trailcheck worker --database URL`: takes scan jobs from the PostgreSQL store's queue (pg-boss) that
 * `trailcheck serve --database URL` fills, on any number of machines, until SIGTERM or Ctrl-C; then it
 * lets its running jobs finish (or hands them back to another worker) and exits 0.
 */
import type { JobQueue } from '../../service/runner.js';
import { ScanExecutor } from '../../service/runner.js';
import { PgQueue, jobTimingFromEnv } from '../../service/pg-queue.js';
import { openDatabase, parseDatabaseUrl } from '../../service/store/database.js';
import { Store } from '../../service/store/store.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { WORKER_HELP } from '../help.js';
import type { CliIO } from '../io.js';
import { untilSignal } from '../io.js';
import { processIO } from '../io.js';
import { HELP_OPTION, parseCommandArgs } from '../options.js';
import { cliScanEngine } from '../scan-engine.js';

export const WORKER_OPTIONS = {
  database: { type: 'string' },
  jobs: { type: 'string' },
  ...HELP_OPTION,
} as const;

/** --jobs: 1 to 16; 0 too with PostgreSQL, where `trailcheck worker` processes may do all the scanning. */
export function parseJobs(value: string, allowNone = false): number {
  const text = value.trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  const min = allowNone ? 0 : 1;
  if (!Number.isInteger(n) || n < min || n > 16)
    throw new UsageError(
      `--jobs takes a whole number from ${min} to 16 (scans run at once${allowNone ? '; 0: only trailcheck worker processes scan' : ''}), not '${value}'.`,
    );
  return n;
}

/** The queue `serve --database` uses: pg-boss, worked here `concurrency` jobs at a time (0: only sending). */
export function pgQueueFor(
  url: string,
  env: NodeJS.ProcessEnv,
  concurrency: number,
  log: (line: string) => void,
): (store: Store, executor: ScanExecutor) => Promise<JobQueue & { active: number }> {
  return (store, executor) =>
    PgQueue.open({
      url,
      store,
      engine: cliScanEngine(env),
      executor,
      concurrency,
      role: 'service',
      timing: jobTimingFromEnv(env),
      log,
    });
}

export async function workerCommand(args: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('worker', args, WORKER_OPTIONS);
  if (values.help) {
    io.stdout(`${WORKER_HELP}\n`);
    return EXIT.OK;
  }
  const raw = values.database ?? (io.env.TRAILCHECK_DATABASE_URL?.trim() || undefined);
  if (raw === undefined)
    throw new UsageError(
      "trailcheck worker needs the service's PostgreSQL store: give --database postgres://… (or set TRAILCHECK_DATABASE_URL).",
    );
  const url = parseDatabaseUrl(raw);
  const concurrency = values.jobs !== undefined ? parseJobs(values.jobs) : 1;
  const timing = jobTimingFromEnv(io.env);
  const log = (line: string) => io.stderr(`trailcheck: ${line}\n`);
  // Listen for the signal from the start: one arriving while connecting still stops the worker cleanly.
  const signalled = untilSignal(io);
  const store = new Store(await openDatabase({ kind: 'postgres', url }));
  let queue: PgQueue;
  try {
    const engine = cliScanEngine(io.env);
    queue = await PgQueue.open({
      url,
      store,
      engine,
      executor: new ScanExecutor(store, engine, undefined, log),
      concurrency,
      role: 'worker',
      timing,
      log,
    });
    await queue.start();
  } catch (error) {
    await store.close();
    throw error;
  }
  log(`worker ${process.pid} takes scan jobs from ${store.label}, ${concurrency} at a time`);
  const signal = await signalled;
  log(`${signal}: stopping; running jobs finish or go back to the queue for another worker`);
  await queue.stop();
  const abandoned = queue.active;
  await store.close();
  log(
    abandoned > 0
      ? `worker stopped; ${abandoned} job(s) that did not finish in time went back to the queue`
      : 'worker stopped',
  );
  if (abandoned > 0 && io === processIO)
    // A handed-back job's AWS calls cannot be cancelled and would hold the process open for nothing:
    // another worker runs that job again. Exit once this line has been written.
    setTimeout(() => process.exit(EXIT.OK), 200).unref();
  return EXIT.OK;
}
