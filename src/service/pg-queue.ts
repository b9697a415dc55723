/**
 * The PostgreSQL store's queue: pg-boss, so `serve` and any number of `trailcheck worker` processes on
 * any machines share the scans. A single-account scan is one job. An organization scan is a coordinator
 * job (list the organization, collect the management account, whose organization trails are the
 * context) and then one job per member account, on a queue whose 'singleton' policy keyed by account
 * runs at most one job of an account at a time. Each member job stores its account's line; the last one
 * in assembles the organization snapshot and judges it. Failed jobs are retried with backoff, and a job
 * whose worker died is retried once its heartbeat stops.
 */
import { createHash } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import type { Job, Queue } from 'pg-boss';
import { organizationEntryLine, organizationSnapshotText } from '../snapshot/organization.js';
import type { OrganizationAccount } from '../snapshot/organization.js';
import { UsageError, UserError } from '../util/errors.js';
import { oneLine } from '../util/text.js';
import type { ScanEngine } from './engine.js';
import type { JobQueue, ScanExecutor } from './runner.js';
import { suppressionFileText, todayUtc } from './runner.js';
import { OrganizationRuns } from './store/organization-runs.js';
import type { Scan, Store } from './store/store.js';

export const SCAN_QUEUE = 'trailcheck-scan';
export const ACCOUNT_QUEUE = 'trailcheck-account';
/** Where a job goes once its retries are spent: its scan is then marked failed, never left running. */
export const GIVEN_UP_QUEUE = 'trailcheck-given-up';
/**
 * Scans stored by a worker, for `serve` to run what follows them (alerts): the alert settings are the
 * service's, and an alert waits in the queue while serve is down rather than being lost.
 */
export const STORED_QUEUE = 'trailcheck-stored';

/** How jobs are timed; the environment may shorten them (tests) or lengthen them (huge accounts). */
export interface JobTiming {
  /** A worker that stops beating this long is taken for dead and its job retried (pg-boss minimum 10). */
  heartbeatSeconds: number;
  /** The longest one job may run. */
  expireInSeconds: number;
  /** Attempts after the first. */
  retryLimit: number;
  /** The first retry's delay; each next one doubles (pg-boss retryBackoff). */
  retryDelaySeconds: number;
  /** How long a stopping process lets running jobs finish before handing them back. */
  stopTimeoutMs: number;
}

export const DEFAULT_JOB_TIMING: JobTiming = {
  heartbeatSeconds: 30,
  expireInSeconds: 3600,
  retryLimit: 3,
  retryDelaySeconds: 5,
  stopTimeoutMs: 30_000,
};

function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${name} takes a whole number from ${min} to ${max}, not '${oneLine(raw, 40)}'.`);
  return n;
}

/** TRAILCHECK_JOB_HEARTBEAT_SECONDS, _EXPIRE_SECONDS, _RETRIES, _RETRY_DELAY_SECONDS, _STOP_SECONDS. */
export function jobTimingFromEnv(env: NodeJS.ProcessEnv): JobTiming {
  const d = DEFAULT_JOB_TIMING;
  return {
    heartbeatSeconds: wholeNumber(env, 'TRAILCHECK_JOB_HEARTBEAT_SECONDS', 10, 3600, d.heartbeatSeconds),
    expireInSeconds: wholeNumber(env, 'TRAILCHECK_JOB_EXPIRE_SECONDS', 30, 86_400, d.expireInSeconds),
    retryLimit: wholeNumber(env, 'TRAILCHECK_JOB_RETRIES', 0, 20, d.retryLimit),
    retryDelaySeconds: wholeNumber(env, 'TRAILCHECK_JOB_RETRY_DELAY_SECONDS', 1, 3600, d.retryDelaySeconds),
    stopTimeoutMs: 1000 * wholeNumber(env, 'TRAILCHECK_JOB_STOP_SECONDS', 1, 3600, d.stopTimeoutMs / 1000),
  };
}

interface ScanJobData {
  scanId: string;
}
interface AccountJobData {
  scanId: string;
  account: OrganizationAccount;
}

/** A job id made from the scan and account, so sending a member's job twice makes one job. */
export function accountJobId(scanId: string, accountId: string): string {
  const hex = createHash('sha256').update(`${scanId}/${accountId}`).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function describe(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error), 2000);
}

export interface PgQueueOptions {
  url: string;
  store: Store;
  engine: ScanEngine;
  /** Stores single-account scans and runs what follows every stored scan (alerts). */
  executor: ScanExecutor;
  /** Scan jobs this process works at once; 0: it only sends them (`serve --jobs 0`). */
  concurrency: number;
  /**
   * 'service' (serve): runs what follows each stored scan here, its own and the workers'. 'worker':
   * hands that to the service through STORED_QUEUE.
   */
  role: 'service' | 'worker';
  timing?: JobTiming;
  log?: (line: string) => void;
}

export class PgQueue implements JobQueue {
  private readonly runs: OrganizationRuns;
  private readonly timing: JobTiming;
  private readonly log: (line: string) => void;
  private running = 0;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: PgQueueOptions,
  ) {
    this.runs = new OrganizationRuns(options.store);
    this.timing = options.timing ?? DEFAULT_JOB_TIMING;
    this.log = options.log ?? (() => {});
  }

  /** Connects pg-boss (installing its schema, `pgboss`, on first use) and creates the queues. */
  static async open(options: PgQueueOptions): Promise<PgQueue> {
    const timing = options.timing ?? DEFAULT_JOB_TIMING;
    // The supervisor notices stopped heartbeats and expired jobs; it looks often enough to notice within one beat.
    const superviseSeconds = Math.max(1, Math.min(60, Math.floor(timing.heartbeatSeconds / 2)));
    const boss = new PgBoss({
      connectionString: options.url,
      application_name: 'trailcheck',
      max: 4,
      superviseIntervalSeconds: superviseSeconds,
      monitorIntervalSeconds: superviseSeconds,
      schedule: false,
      openTelemetry: { enabled: false },
    });
    const log = options.log ?? (() => {});
    // pg-boss reports trouble (a lost connection) as events; unheard, an 'error' event would end the process.
    boss.on('error', (error: unknown) => log(`job queue: ${describe(error)}`));
    try {
      await boss.start();
      const common: Omit<Queue, 'name'> = {
        retryLimit: timing.retryLimit,
        retryDelay: timing.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: 600,
        expireInSeconds: timing.expireInSeconds,
        heartbeatSeconds: timing.heartbeatSeconds,
        deadLetter: GIVEN_UP_QUEUE,
      };
      await boss.createQueue(GIVEN_UP_QUEUE, { retryLimit: 5, retryBackoff: true });
      await boss.createQueue(STORED_QUEUE, { retryLimit: 5, retryBackoff: true });
      await boss.createQueue(SCAN_QUEUE, { ...common, policy: 'standard' });
      await boss.createQueue(ACCOUNT_QUEUE, { ...common, policy: 'singleton' });
    } catch (error) {
      await boss.stop({ graceful: false, timeout: 1000 }).catch(() => undefined);
      throw error;
    }
    return new PgQueue(boss, { ...options, timing });
  }

  /** Jobs running in this process now (for /healthz and tests). */
  get active(): number {
    return this.running;
  }

  async enqueue(scan: Scan): Promise<void> {
    // The scan's id is the job's: sent twice (serve restarted before it knew the first went), it is one job.
    await this.boss.send(SCAN_QUEUE, { scanId: scan.id } satisfies ScanJobData, { id: scan.id });
  }

  async start(): Promise<void> {
    // A scan stored as queued whose job was never sent (serve killed between the two) gets its job now.
    for (const scan of await this.options.store.listScans({ status: 'queued', limit: 1000 }))
      await this.enqueue(scan);
    await this.boss.work<ScanJobData | AccountJobData>(
      GIVEN_UP_QUEUE,
      { pollingIntervalSeconds: 2 },
      (jobs) => this.each(jobs, (job) => this.givenUp(job.data)),
    );
    if (this.options.role === 'service')
      await this.boss.work<ScanJobData>(STORED_QUEUE, { pollingIntervalSeconds: 1 }, (jobs) =>
        this.each(jobs, (job) => this.storedElsewhere(job.data.scanId)),
      );
    if (this.options.concurrency <= 0) return;
    const work = { localConcurrency: this.options.concurrency, batchSize: 1, pollingIntervalSeconds: 1 };
    await this.boss.work<ScanJobData>(SCAN_QUEUE, work, (jobs) =>
      this.each(jobs, (job) => this.scanJob(job)),
    );
    await this.boss.work<AccountJobData>(ACCOUNT_QUEUE, work, (jobs) =>
      this.each(jobs, (job) => this.accountJob(job)),
    );
  }

  /** Stops taking jobs; running ones get `stopTimeoutMs` to finish, then go back for another worker. */
  stop(): Promise<void> {
    this.stopping ??= this.boss.stop({ graceful: true, timeout: this.timing.stopTimeoutMs, close: true });
    return this.stopping;
  }

  private async each<T>(jobs: Job<T>[], handle: (job: Job<T>) => Promise<void>): Promise<void> {
    for (const job of jobs) {
      this.running += 1;
      try {
        await handle(job);
      } catch (error) {
        this.log(`job ${job.id} (attempt ${job.retryCount + 1}) will be retried: ${describe(error)}`);
        throw error;
      } finally {
        this.running -= 1;
      }
    }
  }

  /** What follows a stored scan (alerts): here in serve, or handed to serve by a worker. */
  private async announce(stored: Scan): Promise<void> {
    if (this.options.role === 'service') await this.options.executor.announce(stored);
    else
      await this.boss.send(STORED_QUEUE, { scanId: stored.id } satisfies ScanJobData, {
        id: accountJobId(stored.id, 'stored'),
      });
  }

  /** A scan a worker stored: serve runs what follows it. */
  private async storedElsewhere(scanId: string): Promise<void> {
    const scan = await this.options.store.getScan(scanId);
    if (scan && (scan.status === 'done' || scan.status === 'failed'))
      await this.options.executor.announce(scan);
  }

  /** Fails a scan and runs what follows it; a scan already stored stays as it is. */
  private async fail(scanId: string, reason: string, startedAt?: string | null): Promise<void> {
    const stored = await this.options.store.failScan(scanId, reason, startedAt ?? undefined);
    if (!stored) return;
    this.log(`scan ${scanId} failed: ${reason}`);
    await this.announce(stored);
  }

  /**
   * A job whose retries are spent. A member's: the account is not assessed, with the reason, and the
   * scan goes on without it. A scan's: the scan fails. Either way nobody waits for it forever.
   */
  private async givenUp(data: ScanJobData | AccountJobData): Promise<void> {
    const scan = await this.options.store.getScan(data.scanId);
    if (!scan || scan.status === 'done' || scan.status === 'failed') return;
    const tries = this.timing.retryLimit + 1;
    if ('account' in data) {
      const line = organizationEntryLine(data.account, {
        ok: false,
        stage: 'collect',
        reason: `the job that reads account ${data.account.Id} failed ${tries} times (its workers stopped or the store was unreachable), so it was not assessed; see the workers' logs.`,
      });
      const { remaining } = await this.runs.record(data.scanId, data.account.Id, line);
      this.log(
        `scan ${data.scanId}: account ${data.account.Id} given up after ${tries} attempts (${remaining} to go)`,
      );
      if (remaining === 0) await this.assemble(data.scanId);
      return;
    }
    await this.fail(
      data.scanId,
      `the scan's job failed ${tries} times (its workers stopped or the store was unreachable); see the workers' logs.`,
      scan.startedAt,
    );
  }

  private async scanJob(job: Job<ScanJobData>): Promise<void> {
    const { store, engine } = this.options;
    const scan = await store.getScan(job.data.scanId);
    if (!scan || scan.status === 'done' || scan.status === 'failed') return;
    const claimed = await store.claimScan(scan.id);
    if (!claimed) return;
    this.log(`scan ${scan.id}: started (attempt ${job.retryCount + 1})`);
    if (!claimed.request.organization) {
      // ScanExecutor stores it done or failed (a user error is a verdict about the request, not retried),
      // and in serve runs what follows; a worker's has no alerts to send and hands that to serve.
      const stored = await this.options.executor.run(claimed);
      if (stored && this.options.role === 'worker') await this.announce(stored);
      return;
    }
    let run = await this.runs.get(scan.id);
    if (!run) {
      if (!engine.planOrganization) throw new Error('this engine cannot cut an organization run into jobs');
      try {
        const plan = await engine.planOrganization(claimed.request);
        await this.runs.plan(scan.id, plan.header, plan.management, plan.members);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        await this.fail(scan.id, oneLine(error.message, 2000), claimed.startedAt);
        return;
      }
      run = await this.runs.get(scan.id);
      if (!run) throw new Error(`organization run ${scan.id} vanished after it was planned`);
      this.log(
        `scan ${scan.id}: organization ${run.header.organization.Id}, ${run.members.length} member account(s) to collect`,
      );
    }
    if (run.pending.length === 0) {
      await this.assemble(scan.id);
      return;
    }
    for (const account of run.pending)
      await this.boss.send(ACCOUNT_QUEUE, { scanId: scan.id, account } satisfies AccountJobData, {
        id: accountJobId(scan.id, account.Id),
        singletonKey: account.Id,
      });
  }

  private async accountJob(job: Job<AccountJobData>): Promise<void> {
    const { store, engine } = this.options;
    const { scanId, account } = job.data;
    const scan = await store.getScan(scanId);
    if (!scan || scan.status !== 'running') return;
    const run = await this.runs.get(scanId);
    if (!run)
      throw new Error(`account ${account.Id}'s job came before its organization run ${scanId} was planned`);
    let remaining = run.pending.length;
    if (run.pending.some((a) => a.Id === account.Id)) {
      if (!engine.collectMember) throw new Error('this engine cannot collect one member account');
      this.log(`scan ${scanId}: collecting account ${account.Id} (attempt ${job.retryCount + 1})`);
      let line: string;
      try {
        line = await engine.collectMember(scan.request, run.header, account);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        line = organizationEntryLine(account, {
          ok: false,
          stage: 'collect',
          reason: oneLine(error.message, 2000),
        });
      }
      ({ remaining } = await this.runs.record(scanId, account.Id, line));
      this.log(`scan ${scanId}: account ${account.Id} collected (${remaining} to go)`);
    }
    if (remaining === 0) await this.assemble(scanId);
  }

  /** Every account is in: the organization snapshot is assembled, judged and stored in one transaction. */
  private async assemble(scanId: string): Promise<void> {
    const { store, engine } = this.options;
    const scan = await store.getScan(scanId);
    const run = await this.runs.get(scanId);
    const lines = await this.runs.lines(scanId);
    if (!scan || scan.status !== 'running' || !run || !lines) return;
    const startedAt = scan.startedAt ?? run.header.startedAt;
    const snapshot = organizationSnapshotText(run.header, lines, new Date().toISOString());
    const suppressions = suppressionFileText(await store.activeSuppressions(todayUtc()));
    let stored: Scan;
    try {
      const result = await engine.judge(snapshot, scan.request, suppressions);
      stored = await store.finishScan(scanId, { ...result, suppressions, startedAt: run.header.startedAt });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await this.fail(scanId, oneLine(error.message, 2000), startedAt);
      return;
    }
    this.log(
      `scan ${scanId} done in ${stored.durationMs ?? 0} ms: ${stored.pretty_result ?? ''} (integer_result ${stored.integer_result ?? ''})`,
    );
    await this.announce(stored);
  }
}
