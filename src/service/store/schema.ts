/**
 * The service's tables, as Kysely sees them. Times are ISO-8601 UTC strings (they sort as text in both
 * SQLite and PostgreSQL); JSON is text; large documents (snapshots, reports) are gzip bytes. Ids are
 * random UUIDs made by the service, so neither database's sequence type is needed.
 */
import type { ColumnType } from 'kysely';

export type Bytes = Uint8Array;

export interface MetaTable {
  key: string;
  value: string;
}

export interface TokenTable {
  id: string;
  name: string;
  /** 'admin' may change things (scans, schedules, suppressions); 'read' only looks. */
  role: string;
  /** SHA-256 of the token, hex: the token itself is never stored. */
  hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface SessionTable {
  /** SHA-256 of the session cookie's value. */
  hash: string;
  token_id: string;
  expires_at: string;
}

export interface ScheduleTable {
  id: string;
  name: string;
  /** A cron expression (croner's syntax), or null when the schedule is an interval. */
  cron: string | null;
  interval_seconds: number | null;
  /** The ScanRequest (JSON) each run starts. */
  request: string;
  enabled: number;
  created_at: string;
  last_run_at: string | null;
}

export interface ScanTable {
  id: string;
  /** queued, running, done or failed. */
  status: string;
  /** The ScanRequest, JSON. */
  request: string;
  /** Who or what started it: 'api:NAME' (a token's name), 'schedule:NAME', 'dashboard:NAME'. */
  trigger: string;
  schedule_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  integer_result: number | null;
  pretty_result: string | null;
  /** ScanSummary, JSON: counts, accounts, the account or organization assessed. */
  summary: string | null;
  error: string | null;
  /** The account id, or the organization id of an organization run (for history by subject). */
  subject: string | null;
  attempts: ColumnType<number, number | undefined, number>;
}

export interface ScanResultTable {
  scan_id: string;
  /** The JSON report (contract version 2), gzip. */
  report: Bytes;
  /** The snapshot it was judged from (one account's or an organization's), gzip. */
  snapshot: Bytes;
  /** The suppressions in force when it was judged (a suppression file's JSON), so any format can be re-rendered the same. */
  suppressions: string;
}

export interface ScanControlTable {
  scan_id: string;
  account: string;
  control: string;
  status: string;
  pass: number;
  fail: number;
  unknown: number;
  /** The scan's finished_at, copied so history needs no join. */
  finished_at: string;
}

export interface SuppressionTable {
  id: string;
  control: string;
  resource: string;
  region: string | null;
  reason: string;
  /** YYYY-MM-DD: the last day it applies. */
  expires: string;
  created_at: string;
  created_by: string;
  /** Set when someone ends it early ("expire"). */
  revoked_at: string | null;
}

export interface AlertTable {
  id: string;
  scan_id: string;
  created_at: string;
  /** regressed, recovered, or unassessable (a scan failed after one that did not): see alerts.ts. */
  kind: string;
  /** The alert's content (AlertMessage), JSON. */
  body: string;
  /** What each destination answered, JSON. */
  deliveries: string;
}

export interface AccountJobTable {
  scan_id: string;
  account_id: string;
  /** Position of the account in the organization's listing (the management account is 0). */
  position: number;
  /** The account's entry of the organization snapshot ({account, outcome}), gzip; null until collected. */
  entry: Bytes | null;
}

/** An organization scan cut into jobs (pg-boss): what its coordinator listed, kept for the member jobs. */
export interface OrganizationRunTable {
  scan_id: string;
  /** The organization snapshot's header (OrganizationSnapshotHeader), JSON. */
  header: string;
  /** The members to collect (OrganizationAccount[]), JSON; each has its row in account_jobs. */
  members: string;
  created_at: string;
}

export interface Database {
  trailcheck_meta: MetaTable;
  tokens: TokenTable;
  sessions: SessionTable;
  schedules: ScheduleTable;
  scans: ScanTable;
  scan_results: ScanResultTable;
  scan_controls: ScanControlTable;
  suppressions: SuppressionTable;
  alerts: AlertTable;
  account_jobs: AccountJobTable;
  organization_runs: OrganizationRunTable;
}
