/**
 * Running scans. `ScanExecutor` runs one queued scan start to finish (judge with the suppressions in
 * force, store it whole, then alert); a `JobQueue` decides which process runs which scan. The embedded
 * store's queue is the scans table itself, worked in this process (`LocalQueue`); with PostgreSQL,
 * workers on any machine take jobs from pg-boss (see pg-queue.ts).
 */
import { UserError } from '../util/errors.js';
import { oneLine } from '../util/text.js';
import type { ScanEngine } from './engine.js';
import type { Scan, Store, Suppression } from './store/store.js';

/** What happens after a scan is stored, done or failed: alerts (see alerts.ts). */
export interface AfterScan {
  afterScan(scan: Scan): Promise<void>;
}

export interface JobQueue {
  /** Takes note of a scan just created with status queued. */
  enqueue(scan: Scan): Promise<void>;
  /** Starts running queued scans in this process. */
  start(): Promise<void>;
  /** Stops taking scans; scans still running are put back on the queue for another process. */
  stop(): Promise<void>;
}

/** The suppression file (JSON, which the YAML reader takes) of the suppressions in force. */
export function suppressionFileText(suppressions: readonly Suppression[]): string {
  if (suppressions.length === 0) return '';
  return JSON.stringify({
    version: 1,
    suppressions: suppressions.map((s) => ({
      control: s.control,
      resource: s.resource,
      ...(s.region !== null ? { region: s.region } : {}),
      reason: s.reason,
      expires: s.expires,
    })),
  });
}

function errorText(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error), 500);
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export class ScanExecutor {
  private abandoned = false;

  constructor(
    private readonly store: Store,
    private readonly engine: ScanEngine,
    private readonly after?: AfterScan,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /**
   * The process is stopping and its running scans went back on the queue: a scan that still ends here
   * writes nothing (the store may be closed, and another process owns the scan now).
   */
  abandon(): void {
    this.abandoned = true;
  }

  /** Runs a scan this process has claimed (status running); resolves with it stored as done or failed. */
  async run(scan: Scan): Promise<Scan | undefined> {
    const startedAt = scan.startedAt ?? new Date().toISOString();
    let stored: Scan | undefined;
    try {
      const suppressions = suppressionFileText(await this.store.activeSuppressions(todayUtc()));
      const result = await this.engine.scan(scan.request, suppressions);
      if (this.abandoned) return undefined;
      stored = await this.store.finishScan(scan.id, { ...result, suppressions, startedAt });
      this.log(
        `scan ${scan.id} done in ${stored.durationMs ?? 0} ms: ${stored.pretty_result ?? ''} (integer_result ${stored.integer_result ?? ''})`,
      );
    } catch (error) {
      if (this.abandoned) return undefined;
      const reason =
        error instanceof UserError
          ? oneLine(error.message, 2000)
          : `internal error: ${oneLine(error instanceof Error ? error.message : String(error), 2000)}. This is a bug in trailcheck; please report it.`;
      stored = await this.store.failScan(scan.id, reason, startedAt);
      this.log(`scan ${scan.id} failed: ${reason}`);
    }
    if (stored) await this.announce(stored);
    return stored;
  }

  /** Runs what follows a stored scan (alerts); also for scans a job queue stored itself (pg-queue.ts). */
  async announce(stored: Scan): Promise<void> {
    if (!this.after) return;
    try {
      await this.after.afterScan(stored);
    } catch (error) {
      // An alert that cannot be sent never undoes the stored assessment.
      this.log(`scan ${stored.id}: alerts failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * The embedded store's queue: queued rows of the scans table, oldest first, run here at most
 * `concurrency` at a time. Nothing is lost in a crash: a scan left running by a killed process is put
 * back on the queue when the service starts again (`Store.requeue`).
 */
export class LocalQueue implements JobQueue {
  private running = new Map<string, Promise<unknown>>();
  private stopped = true;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly executor: ScanExecutor,
    private readonly concurrency = 1,
    private readonly log: (line: string) => void = () => {},
    /** How long to wait before trying the store again after it failed to answer. */
    private readonly retryMs = 1000,
  ) {}

  enqueue(): Promise<void> {
    this.wake?.();
    return Promise.resolve();
  }

  start(): Promise<void> {
    this.stopped = false;
    this.loop = this.work();
    return Promise.resolve();
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      if (this.running.size < this.concurrency) {
        let scan: Scan | undefined;
        try {
          scan = await this.store.claimNextQueued();
        } catch (error) {
          // A store that fails to answer once (busy, disk full) must not end the service: try again.
          this.log(`cannot take the next scan from the store (${errorText(error)}); trying again`);
          await new Promise((resolve) => setTimeout(resolve, this.retryMs));
          continue;
        }
        if (this.stopped) {
          if (scan) await this.store.requeue([scan.id]);
          break;
        }
        if (scan) {
          const job = this.executor
            .run(scan)
            .catch((error: unknown) => {
              // Not stored: the scan stays running in the store, and the next start runs it again.
              this.log(
                `scan ${scan.id} could not be stored (${errorText(error)}); it runs again at the next start`,
              );
            })
            .finally(() => {
              this.running.delete(scan.id);
              this.wake?.();
            });
          this.running.set(scan.id, job);
          continue;
        }
      }
      // Sleep until a scan is queued or one finishes (or a minute passes, as a safety net).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 60_000);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  /** How many scans run now (for /healthz and tests). */
  get active(): number {
    return this.running.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    // The scans still running are given back: the next start (or another process) runs them again.
    this.executor.abandon();
    await this.store.requeue([...this.running.keys()]);
  }
}
