/**
 * How the service assesses: the same collection, judging and rendering as `trailcheck scan`, supplied by
 * the CLI layer (which owns those paths), so a scheduled scan and a scan from the command line cannot
 * judge differently.
 */
import type { JsonReport } from '../report/json.js';
import type { OrganizationAccount, OrganizationSnapshotHeader } from '../snapshot/organization.js';
import type { ScanRequest } from './request.js';

/** A finished assessment, as the store keeps it. */
export interface EngineResult {
  report: JsonReport;
  /** The snapshot's text (one account's, or an organization's), replayable offline. */
  snapshot: string;
  startedAt: string;
}

export interface RenderedReport {
  body: string;
  contentType: string;
  /** The file name a download should get. */
  fileName: string;
}

/**
 * An organization run cut into jobs: the organization listed and its management account collected (its
 * organization trails are the context every member is judged in), and the members left to collect.
 */
export interface OrganizationPlan {
  header: OrganizationSnapshotHeader;
  /** The management account's line of the organization snapshot ({account, outcome}). */
  management: { account: OrganizationAccount; line: string };
  /** The members to collect, one job each (the management account is not among them). */
  members: OrganizationAccount[];
}

export interface ScanEngine {
  /** Checks a request as `trailcheck scan` checks its flags; throws a UsageError (one line) when it is wrong. */
  check(request: ScanRequest): Promise<void>;
  /**
   * Collects the evidence and judges it. `suppressions` is a suppression file's text (JSON), already
   * limited to the entries in force. Failures throw a UserError whose message is the one line to show.
   */
  scan(request: ScanRequest, suppressions: string): Promise<EngineResult>;
  /** Judges a snapshot already collected (an organization's assembled from its accounts' jobs). */
  judge(snapshot: string, request: ScanRequest, suppressions: string): Promise<EngineResult>;
  /** Lists the organization of an organization request and collects its management account. */
  planOrganization?(request: ScanRequest): Promise<OrganizationPlan>;
  /**
   * Collects one member of a planned organization run: its line of the organization snapshot. The
   * account's own trouble (a role that cannot be assumed, a failed read) is in the line, not thrown.
   */
  collectMember?(
    request: ScanRequest,
    header: OrganizationSnapshotHeader,
    account: OrganizationAccount,
  ): Promise<string>;
  /**
   * Renders a stored snapshot in one report format, judged as it was: with the suppressions it was judged
   * with, as of the day it was judged (`judgedOn`, YYYY-MM-DD), so a suppression that has expired since
   * still applies to it, as it did.
   */
  render(
    snapshot: string,
    request: ScanRequest,
    suppressions: string,
    format: string,
    judgedOn: string,
  ): Promise<RenderedReport>;
  /** The report formats `render` knows. */
  readonly formats: readonly string[];
}
