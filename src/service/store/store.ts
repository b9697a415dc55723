/**
 * Everything the service remembers, behind one class: scans and their results, control history,
 * schedules, suppressions, tokens, sessions and alerts. A finished scan is written in one transaction
 * (result, history rows, status), so a SIGKILL leaves it either whole or still "running", never half.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { JsonReport } from '../../report/json.js';
import type { ScanRequest } from '../request.js';
import { canonicalRequest } from '../request.js';
import type { Database, ScanTable, ScheduleTable, SuppressionTable, TokenTable } from './schema.js';
import type { OpenDatabase } from './database.js';

export type ScanStatus = 'queued' | 'running' | 'done' | 'failed';
export type TokenRole = 'admin' | 'read';

export interface ScanSummary {
  PASS: number;
  FAIL: number;
  UNKNOWN: number;
  total: number;
  suppressed: number;
  /** The account assessed (the management or caller account of an organization run). */
  account: string | null;
  organization: string | null;
  accounts: number;
  accountsNotAssessed: number;
  regions: string[];
}

export interface Scan {
  id: string;
  status: ScanStatus;
  request: ScanRequest;
  trigger: string;
  scheduleId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  integer_result: number | null;
  pretty_result: string | null;
  summary: ScanSummary | null;
  error: string | null;
  subject: string | null;
  attempts: number;
}

export interface Schedule {
  id: string;
  name: string;
  cron: string | null;
  intervalSeconds: number | null;
  request: ScanRequest;
  enabled: boolean;
  createdAt: string;
  lastRunAt: string | null;
}

export interface Suppression {
  id: string;
  control: string;
  resource: string;
  region: string | null;
  reason: string;
  expires: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

export interface Token {
  id: string;
  name: string;
  role: TokenRole;
  createdAt: string;
  revokedAt: string | null;
}

export interface HistoryPoint {
  scanId: string;
  finishedAt: string;
  account: string;
  control: string;
  status: string;
  pass: number;
  fail: number;
  unknown: number;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const now = () => new Date().toISOString();

function toScan(row: Selectable<ScanTable>): Scan {
  return {
    id: row.id,
    status: row.status as ScanStatus,
    request: JSON.parse(row.request) as ScanRequest,
    trigger: row.trigger,
    scheduleId: row.schedule_id,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    integer_result: row.integer_result === null ? null : Number(row.integer_result),
    pretty_result: row.pretty_result,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as ScanSummary),
    error: row.error,
    subject: row.subject,
    attempts: Number(row.attempts),
  };
}

function toSchedule(row: Selectable<ScheduleTable>): Schedule {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    intervalSeconds: row.interval_seconds === null ? null : Number(row.interval_seconds),
    request: JSON.parse(row.request) as ScanRequest,
    enabled: Number(row.enabled) === 1,
    createdAt: row.created_at,
    lastRunAt: row.last_run_at,
  };
}

function toSuppression(row: Selectable<SuppressionTable>): Suppression {
  return {
    id: row.id,
    control: row.control,
    resource: row.resource,
    region: row.region,
    reason: row.reason,
    expires: row.expires,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
  };
}

function toToken(row: Selectable<TokenTable>): Token {
  return {
    id: row.id,
    name: row.name,
    role: row.role as TokenRole,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export function summaryOf(report: JsonReport): ScanSummary {
  return {
    PASS: report.summary.PASS,
    FAIL: report.summary.FAIL,
    UNKNOWN: report.summary.UNKNOWN,
    total: report.summary.total,
    suppressed: report.summary.suppressed ?? 0,
    account: report.account,
    organization: report.organization?.id ?? null,
    accounts: report.accounts.length,
    accountsNotAssessed: report.accounts.filter((a) => !a.assessed).length,
    regions: report.regions,
  };
}

/** One history row per account and control: its status and how many of its findings passed, failed, were unknown. */
export function controlRows(scanId: string, report: JsonReport, finishedAt: string) {
  const counts = new Map<string, { pass: number; fail: number; unknown: number }>();
  for (const f of report.findings) {
    const key = `${f.account}\u0000${f.control}`;
    const c = counts.get(key) ?? { pass: 0, fail: 0, unknown: 0 };
    if (f.status === 'PASS') c.pass += 1;
    else if (f.status === 'FAIL') c.fail += 1;
    else c.unknown += 1;
    counts.set(key, c);
  }
  return report.accounts.flatMap((account) =>
    account.controls.map((control) => {
      const c = counts.get(`${account.id}\u0000${control.id}`) ?? { pass: 0, fail: 0, unknown: 0 };
      return {
        scan_id: scanId,
        account: account.id,
        control: control.id,
        status: control.status,
        pass: c.pass,
        fail: c.fail,
        unknown: c.unknown,
        finished_at: finishedAt,
      };
    }),
  );
}

/** SQLite's bound-parameter limit is 32,766; 8 columns a row stays well inside it. */
const ROWS_PER_INSERT = 500;

/**
 * Scans that finished before `scan`, in one total order (finish time, then id): of two scans of one target
 * that finish in the same millisecond, one comes first, so the other compares with it, never each with
 * the other and never both with the same earlier scan.
 */
function finishedBefore(
  eb: ExpressionBuilder<Database, 'scans'>,
  scan: { id: string; finishedAt: string | null },
) {
  const at = scan.finishedAt ?? '';
  return eb.or([eb('finished_at', '<', at), eb.and([eb('finished_at', '=', at), eb('id', '<', scan.id)])]);
}

export class Store {
  readonly db: Kysely<Database>;
  readonly kind: OpenDatabase['kind'];
  readonly label: string;

  constructor(open: OpenDatabase) {
    this.db = open.db;
    this.kind = open.kind;
    this.label = open.label;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ---- scans ----

  async createScan(input: {
    request: ScanRequest;
    trigger: string;
    scheduleId?: string | null;
    createdAt?: string;
  }): Promise<Scan> {
    const row = {
      id: randomUUID(),
      status: 'queued',
      request: JSON.stringify(canonicalRequest(input.request)),
      trigger: input.trigger,
      schedule_id: input.scheduleId ?? null,
      created_at: input.createdAt ?? now(),
      started_at: null,
      finished_at: null,
      duration_ms: null,
      integer_result: null,
      pretty_result: null,
      summary: null,
      error: null,
      subject: null,
      attempts: 0,
    };
    await this.db.insertInto('scans').values(row).execute();
    return toScan(row);
  }

  /** Takes the oldest queued scan for this process (embedded store: the scans table is the queue). */
  async claimNextQueued(): Promise<Scan | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const next = await trx
        .selectFrom('scans')
        .select('id')
        .where('status', '=', 'queued')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!next) return undefined;
      return this.markRunning(trx, next.id);
    });
  }

  /** Marks a scan running for a worker that took its job; undefined when it is already finished. */
  async claimScan(id: string): Promise<Scan | undefined> {
    return this.db.transaction().execute((trx) => this.markRunning(trx, id));
  }

  private async markRunning(trx: Kysely<Database>, id: string): Promise<Scan | undefined> {
    const row = await trx
      .updateTable('scans')
      .set((eb) => ({
        status: 'running',
        started_at: now(),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .returningAll()
      .executeTakeFirst();
    return row ? toScan(row) : undefined;
  }

  /** Stores a finished scan whole, in one transaction: its result, its history rows and its status. */
  async finishScan(
    id: string,
    result: {
      report: JsonReport;
      snapshot: string;
      suppressions: string;
      startedAt: string;
      finishedAt?: string;
    },
  ): Promise<Scan> {
    const finishedAt = result.finishedAt ?? now();
    const report = gzipSync(JSON.stringify(result.report));
    const snapshot = gzipSync(result.snapshot);
    const rows = controlRows(id, result.report, finishedAt);
    const subject = result.report.organization?.id ?? result.report.account;
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('scan_results').where('scan_id', '=', id).execute();
      await trx.deleteFrom('scan_controls').where('scan_id', '=', id).execute();
      await trx
        .insertInto('scan_results')
        .values({ scan_id: id, report, snapshot, suppressions: result.suppressions })
        .execute();
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
        await trx
          .insertInto('scan_controls')
          .values(rows.slice(i, i + ROWS_PER_INSERT))
          .execute();
      const row = await trx
        .updateTable('scans')
        .set({
          status: 'done',
          finished_at: finishedAt,
          duration_ms: Math.max(0, Date.parse(finishedAt) - Date.parse(result.startedAt)),
          integer_result: result.report.integer_result,
          pretty_result: result.report.pretty_result,
          summary: JSON.stringify(summaryOf(result.report)),
          error: null,
          subject,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toScan(row);
    });
  }

  async failScan(id: string, error: string, startedAt?: string): Promise<Scan | undefined> {
    const finishedAt = now();
    const row = await this.db
      .updateTable('scans')
      .set({
        status: 'failed',
        finished_at: finishedAt,
        duration_ms: startedAt ? Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)) : null,
        integer_result: 2,
        error,
      })
      .where('id', '=', id)
      .where('status', '!=', 'done')
      .returningAll()
      .executeTakeFirst();
    return row ? toScan(row) : undefined;
  }

  /** Running scans back to queued: a process that stopped (or was killed) mid-scan leaves them to the next. */
  async requeue(ids?: readonly string[]): Promise<number> {
    let query = this.db.updateTable('scans').set({ status: 'queued' }).where('status', '=', 'running');
    if (ids) {
      if (ids.length === 0) return 0;
      query = query.where('id', 'in', ids);
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async listScans(options: { limit?: number; status?: ScanStatus } = {}): Promise<Scan[]> {
    let query = this.db.selectFrom('scans').selectAll();
    if (options.status) query = query.where('status', '=', options.status);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 1000))
      .execute();
    return rows.map(toScan);
  }

  async getScan(id: string): Promise<Scan | undefined> {
    const row = await this.db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toScan(row) : undefined;
  }

  async getReport(id: string): Promise<JsonReport | undefined> {
    const text = await this.getReportText(id);
    return text === undefined ? undefined : (JSON.parse(text) as JsonReport);
  }

  /** The stored JSON report as its text, unparsed (what GET …/report?format=json sends). */
  async getReportText(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('scan_results')
      .select('report')
      .where('scan_id', '=', id)
      .executeTakeFirst();
    return row ? gunzipSync(row.report).toString('utf8') : undefined;
  }

  /** The evidence a scan was judged from, and the suppressions it was judged with. */
  async getEvidence(id: string): Promise<{ snapshot: string; suppressions: string } | undefined> {
    const row = await this.db
      .selectFrom('scan_results')
      .select(['snapshot', 'suppressions'])
      .where('scan_id', '=', id)
      .executeTakeFirst();
    return row
      ? { snapshot: gunzipSync(row.snapshot).toString('utf8'), suppressions: row.suppressions }
      : undefined;
  }

  /** The last finished scan before this one that asked for the same thing about the same account or organization. */
  async previousDone(scan: Scan): Promise<Scan | undefined> {
    if (scan.subject === null || scan.finishedAt === null) return undefined;
    const row = await this.db
      .selectFrom('scans')
      .selectAll()
      .where('status', '=', 'done')
      .where('subject', '=', scan.subject)
      .where('request', '=', JSON.stringify(canonicalRequest(scan.request)))
      .where((eb) => finishedBefore(eb, scan))
      .orderBy('finished_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toScan(row) : undefined;
  }

  /**
   * The last finished scan (done or failed) before this one that asked for the same thing: what alerts
   * compare with, so a target that keeps failing is announced once. A failed scan has no subject (no
   * report said which account it reached), so the request decides; a done scan also takes the subject.
   */
  async previousFinished(scan: Scan): Promise<Scan | undefined> {
    if (scan.finishedAt === null) return undefined;
    let query = this.db
      .selectFrom('scans')
      .selectAll()
      .where('status', 'in', ['done', 'failed'])
      .where('request', '=', JSON.stringify(canonicalRequest(scan.request)))
      .where((eb) => finishedBefore(eb, scan));
    const subject = scan.subject;
    if (subject !== null)
      query = query.where((eb) => eb.or([eb('subject', '=', subject), eb('subject', 'is', null)]));
    const row = await query.orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? toScan(row) : undefined;
  }

  /**
   * Changes whenever a scan finishes: what answers derived from every finished scan (history) are
   * cached under.
   */
  async doneGeneration(): Promise<string> {
    const row = await this.db
      .selectFrom('scans')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('finished_at').as('last')])
      .where('status', '=', 'done')
      .executeTakeFirstOrThrow();
    return `${Number(row.n)}:${row.last ?? ''}`;
  }

  /** A control's (or an account's) verdicts over time, newest first. */
  async history(filter: { control?: string; account?: string; limit?: number }): Promise<HistoryPoint[]> {
    let query = this.db.selectFrom('scan_controls').selectAll();
    if (filter.control !== undefined) query = query.where('control', '=', filter.control);
    if (filter.account !== undefined) query = query.where('account', '=', filter.account);
    const rows = await query
      .orderBy('finished_at', 'desc')
      .orderBy('scan_id', 'desc')
      .limit(Math.min(Math.max(filter.limit ?? 500, 1), 20_000))
      .execute();
    return rows.map((r) => ({
      scanId: r.scan_id,
      finishedAt: r.finished_at,
      account: r.account,
      control: r.control,
      status: r.status,
      pass: Number(r.pass),
      fail: Number(r.fail),
      unknown: Number(r.unknown),
    }));
  }

  /**
   * A control's (or an account's) course, one point per scan, newest first: how many of its rows (accounts
   * for a control, controls for an account) passed, failed and were unknown. A year of daily scans of an
   * organization is 365 points, where `history` would be one per account.
   */
  async historySeries(filter: {
    control?: string;
    account?: string;
    limit?: number;
  }): Promise<Array<{ scanId: string; finishedAt: string; PASS: number; FAIL: number; UNKNOWN: number }>> {
    let query = this.db.selectFrom('scan_controls').select((eb) => {
      const count = (status: string) =>
        eb.fn.sum<number | string>(eb.case().when('status', '=', status).then(1).else(0).end());
      return [
        'scan_id',
        'finished_at',
        count('PASS').as('pass'),
        count('FAIL').as('fail'),
        count('UNKNOWN').as('unknown'),
      ];
    });
    if (filter.control !== undefined) query = query.where('control', '=', filter.control);
    if (filter.account !== undefined) query = query.where('account', '=', filter.account);
    const rows = await query
      .groupBy(['scan_id', 'finished_at'])
      .orderBy('finished_at', 'desc')
      .orderBy('scan_id', 'desc')
      .limit(Math.min(Math.max(filter.limit ?? 400, 1), 5000))
      .execute();
    return rows.map((r) => ({
      scanId: r.scan_id,
      finishedAt: r.finished_at,
      PASS: Number(r.pass),
      FAIL: Number(r.fail),
      UNKNOWN: Number(r.unknown),
    }));
  }

  // ---- schedules ----

  async createSchedule(input: {
    name: string;
    cron: string | null;
    intervalSeconds: number | null;
    request: ScanRequest;
  }): Promise<Schedule> {
    const row = {
      id: randomUUID(),
      name: input.name,
      cron: input.cron,
      interval_seconds: input.intervalSeconds,
      request: JSON.stringify(canonicalRequest(input.request)),
      enabled: 1,
      created_at: now(),
      last_run_at: null,
    };
    await this.db.insertInto('schedules').values(row).execute();
    return toSchedule(row);
  }

  async listSchedules(): Promise<Schedule[]> {
    const rows = await this.db.selectFrom('schedules').selectAll().orderBy('name').execute();
    return rows.map(toSchedule);
  }

  async getSchedule(id: string): Promise<Schedule | undefined> {
    const row = await this.db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSchedule(row) : undefined;
  }

  async deleteSchedule(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('schedules').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async markScheduleRun(id: string, at: string): Promise<void> {
    await this.db.updateTable('schedules').set({ last_run_at: at }).where('id', '=', id).execute();
  }

  // ---- suppressions ----

  async createSuppression(input: {
    control: string;
    resource: string;
    region?: string | undefined;
    reason: string;
    expires: string;
    createdBy: string;
  }): Promise<Suppression> {
    const row = {
      id: randomUUID(),
      control: input.control,
      resource: input.resource,
      region: input.region ?? null,
      reason: input.reason,
      expires: input.expires,
      created_at: now(),
      created_by: input.createdBy,
      revoked_at: null,
    };
    await this.db.insertInto('suppressions').values(row).execute();
    return toSuppression(row);
  }

  async listSuppressions(): Promise<Suppression[]> {
    const rows = await this.db.selectFrom('suppressions').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map(toSuppression);
  }

  /** In force on `today` (YYYY-MM-DD): not ended early and not past its expiry day. */
  async activeSuppressions(today: string): Promise<Suppression[]> {
    const rows = await this.db
      .selectFrom('suppressions')
      .selectAll()
      .where('revoked_at', 'is', null)
      .where('expires', '>=', today)
      .orderBy('created_at')
      .execute();
    return rows.map(toSuppression);
  }

  /** Ends a suppression now; false when there is no such suppression or it had already ended. */
  async expireSuppression(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('suppressions')
      .set({ revoked_at: now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // ---- tokens and sessions ----

  async createToken(name: string, role: TokenRole, secret: string): Promise<Token> {
    const row = { id: randomUUID(), name, role, hash: sha256(secret), created_at: now(), revoked_at: null };
    await this.db.insertInto('tokens').values(row).execute();
    return toToken(row);
  }

  async countTokens(): Promise<number> {
    const row = await this.db
      .selectFrom('tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Revokes the live tokens of a name, but the one with `keepHash`. */
  async revokeTokensNamed(name: string, keepHash: string): Promise<void> {
    await this.db
      .updateTable('tokens')
      .set({ revoked_at: now() })
      .where('name', '=', name)
      .where('hash', '!=', keepHash)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async listTokens(): Promise<Token[]> {
    const rows = await this.db.selectFrom('tokens').selectAll().orderBy('created_at').execute();
    return rows.map(toToken);
  }

  async revokeToken(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('tokens')
      .set({ revoked_at: now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async tokenBySecret(secret: string): Promise<Token | undefined> {
    const row = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('hash', '=', sha256(secret))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? toToken(row) : undefined;
  }

  async createSession(tokenId: string, secret: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ hash: sha256(secret), token_id: tokenId, expires_at: expiresAt })
      .execute();
  }

  async tokenBySession(secret: string): Promise<Token | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('tokens', 'tokens.id', 'sessions.token_id')
      .selectAll('tokens')
      .where('sessions.hash', '=', sha256(secret))
      .where('sessions.expires_at', '>', now())
      .where('tokens.revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? toToken(row) : undefined;
  }

  async deleteSession(secret: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('hash', '=', sha256(secret)).execute();
  }

  // ---- alerts ----

  async recordAlert(input: {
    scanId: string;
    kind: string;
    body: unknown;
    deliveries: unknown;
  }): Promise<void> {
    await this.db
      .insertInto('alerts')
      .values({
        id: randomUUID(),
        scan_id: input.scanId,
        created_at: now(),
        kind: input.kind,
        body: JSON.stringify(input.body),
        deliveries: JSON.stringify(input.deliveries),
      })
      .execute();
  }

  async listAlerts(
    limit = 100,
  ): Promise<
    Array<{ id: string; scanId: string; createdAt: string; kind: string; body: unknown; deliveries: unknown }>
  > {
    const rows = await this.db
      .selectFrom('alerts')
      .selectAll()
      .orderBy('created_at', 'desc')
      .limit(Math.min(Math.max(limit, 1), 1000))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      scanId: r.scan_id,
      createdAt: r.created_at,
      kind: r.kind,
      body: JSON.parse(r.body) as unknown,
      deliveries: JSON.parse(r.deliveries) as unknown,
    }));
  }
}
