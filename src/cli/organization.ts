/**
 * `scan --org`, `collect --org` and the replay of an organization snapshot: the accounts are collected a
 * few at a time, each judged, planned and reported as it completes, and one report is written over all.
 */
import { join } from 'node:path';
import type { AwsAccessOptions } from '../aws/clients.js';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  DEFAULT_MEMBER_ROLE,
  checkFilter,
  checkMemberAccess,
  collectOrganization,
} from '../collect/organization.js';
import type { MemberAccess, OrganizationFilter, OrganizationListing } from '../collect/organization.js';
import type { ControlDefinition } from '../controls/types.js';
import type { AssessOptions } from '../evaluate/view.js';
import type { Framework } from '../frameworks/index.js';
import { OrganizationReportBuilder } from '../report/organization.js';
import type { Report } from '../report/model.js';
import { OrganizationSnapshotWriter } from '../snapshot/organization.js';
import type { OrganizationAccount, OrganizationSnapshot } from '../snapshot/organization.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { UsageError } from '../util/errors.js';
import { ensureDirectory } from '../util/files.js';
import { terminalSafe } from '../core/escape.js';
import type { CliIO } from './io.js';
import { ORGANIZATION_SETTINGS, parseConcurrency } from './options.js';
import { collectOrExplain, finishRun, suppressionsOf, writeReports } from './output.js';
import type { Acceptance, ReportSettings } from './output.js';

export interface OrganizationFlags {
  org?: boolean;
  ou?: string;
  accounts?: string;
  'exclude-accounts'?: string;
  'role-name'?: string;
  'external-id'?: string;
  concurrency?: string;
  'per-account'?: boolean;
}

export interface OrganizationRunSettings {
  filter: OrganizationFilter;
  member: MemberAccess;
  concurrency: number;
}

const idList = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

/**
 * The organization flags, checked before any call. Without --org they are refused: given alone they would
 * be silently ignored, and a user who meant an organization run would get one account.
 */
export function organizationSettings(values: OrganizationFlags): OrganizationRunSettings | undefined {
  if (!values.org) {
    const stray = ORGANIZATION_SETTINGS.find((flag) => values[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} applies to organization runs: add --org.`);
    return undefined;
  }
  const filter: OrganizationFilter = {};
  const ous = idList(values.ou);
  const accounts = idList(values.accounts);
  const excludeAccounts = idList(values['exclude-accounts']);
  if (ous) filter.ous = ous;
  if (accounts) filter.accounts = accounts;
  if (excludeAccounts) filter.excludeAccounts = excludeAccounts;
  for (const [flag, list] of [
    ['--ou', ous],
    ['--accounts', accounts],
  ] as const)
    if (list && list.length === 0) throw new UsageError(`${flag} needs at least one id.`);
  checkFilter(filter);
  const member: MemberAccess = { roleName: values['role-name']?.trim() ?? DEFAULT_MEMBER_ROLE };
  if (values['external-id'] !== undefined) member.externalId = values['external-id'];
  checkMemberAccess(member);
  const concurrency =
    values.concurrency !== undefined ? parseConcurrency(values.concurrency) : DEFAULT_ACCOUNT_CONCURRENCY;
  return { filter, member, concurrency };
}

interface Selection {
  controls: readonly ControlDefinition[];
  framework: Framework | undefined;
}

/** Progress on standard error, one line per account, only for a terminal. */
function accountProgress(
  io: CliIO,
): (done: number, total: number, account: OrganizationAccount, note: string) => void {
  if (io.stderrIsTTY !== true) return () => undefined;
  const started = Date.now();
  return (done, total, account, note) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stderr(
      `\r\x1b[2Ktrailcheck: ${done} of ${total} accounts (${seconds}s): ${terminalSafe(account.Id)} ${terminalSafe(account.Name)} ${note}${done === total ? '\n' : ''}`,
    );
  };
}

function outcomeNote(view: { assessed: boolean; summary: Report['summary'] } | undefined): string {
  if (!view) return 'read for its organization trails';
  if (!view.assessed) return 'not assessed';
  return `${view.summary.FAIL} failed, ${view.summary.UNKNOWN} unknown`;
}

/** What an organization run needs besides its accounts. */
interface RunShape {
  organization: OrganizationListing['organization'];
  leftOut: number;
  managementForContextOnly: boolean;
  partition: string;
  controlRegion: string;
  startedAt: string;
  total: number;
}

function builderFor(
  shape: RunShape,
  selection: Selection,
  options: AssessOptions,
  settings: ReportSettings,
  accept: ReturnType<typeof suppressionsOf>['accept'],
): OrganizationReportBuilder {
  return new OrganizationReportBuilder({
    controls: selection.controls,
    options: { ...options, ...(selection.framework ? { framework: selection.framework } : {}) },
    ...(accept ? { accept } : {}),
    keepFixAsCode: settings.plan.formats.includes('json'),
    organization: shape.organization,
    leftOut: shape.leftOut,
    managementForContextOnly: shape.managementForContextOnly,
    partition: shape.partition,
    controlRegion: shape.controlRegion,
    startedAt: shape.startedAt,
  });
}

/** With --per-account: each account's own reports, written as it completes, in DIR/accounts/. */
async function writeAccountReports(io: CliIO, report: Report, settings: ReportSettings, account: string) {
  const dir = settings.plan.outputDir;
  if (dir === undefined) return;
  const accountsDir = join(dir, 'accounts');
  await ensureDirectory(accountsDir);
  await writeReports(
    io,
    report,
    { ...settings, plan: { ...settings.plan, outputDir: accountsDir, outputName: account } },
    account,
  );
}

/** `scan --org`: collect, judge and report every account of the organization. */
export async function scanOrganization(
  io: CliIO,
  run: OrganizationRunSettings,
  access: AwsAccessOptions,
  regions: string[] | null,
  selection: Selection,
  options: AssessOptions,
  settings: ReportSettings,
  perAccount: boolean,
): Promise<number> {
  checkPerAccount(perAccount, settings);
  const acceptance = suppressionsOf(settings);
  const startedAt = new Date().toISOString();
  let builder: OrganizationReportBuilder | undefined;
  let shape: RunShape | undefined;
  let done = 0;
  const progress = accountProgress(io);
  // A run that cannot list the organization still leaves JSON readers integer_result 2 and the reason.
  const listing = await collectOrExplain(
    io,
    () =>
      collectOrganization({
        access,
        regions,
        controls: selection.controls,
        filter: run.filter,
        member: run.member,
        concurrency: run.concurrency,
        onListed: (l) => {
          shape = {
            organization: l.organization,
            leftOut: l.leftOut,
            managementForContextOnly: l.managementForContextOnly,
            partition: l.caller.Partition,
            controlRegion: access.env?.AWS_REGION ?? 'us-east-1',
            startedAt,
            total: l.accounts.length,
          };
          builder = builderFor(shape, selection, options, settings, acceptance.accept);
        },
        onAccount: async (account, outcome) => {
          if (!builder || !shape) throw new Error('an account arrived before the organization was listed');
          const view = builder.add(account, outcome);
          if (view) {
            done += 1;
            if (perAccount) await writeAccountReports(io, view.report, settings, account.Id);
          }
          progress(done, shape.total, account, outcomeNote(view));
        },
      }),
    settings.plan,
  );
  if (!builder) throw new Error('the organization was never listed');
  return reportOrganization(
    io,
    builder,
    new Date().toISOString(),
    listing.organization.Id,
    settings,
    acceptance,
  );
}

/** The one report over every account, written in each requested format; the run's exit code. */
async function reportOrganization(
  io: CliIO,
  builder: OrganizationReportBuilder,
  finishedAt: string,
  organizationId: string,
  settings: ReportSettings,
  acceptance: Acceptance,
): Promise<number> {
  const report = builder.finish(finishedAt);
  await writeReports(io, report, settings, organizationId);
  return finishRun(io, report, settings, acceptance);
}

function checkPerAccount(perAccount: boolean, settings: ReportSettings): void {
  if (perAccount && settings.plan.outputDir === undefined)
    throw new UsageError('--per-account writes into --output-dir: give --output-dir DIR and --format.');
}

/** `scan --snapshot ORGANIZATION-SNAPSHOT`: the same judgement, from a file. */
export async function replayOrganization(
  io: CliIO,
  snapshot: OrganizationSnapshot,
  selection: Selection,
  options: AssessOptions,
  settings: ReportSettings,
  perAccount: boolean,
): Promise<number> {
  checkPerAccount(perAccount, settings);
  const acceptance = suppressionsOf(settings);
  const shape: RunShape = {
    organization: snapshot.organization,
    leftOut: snapshot.leftOut,
    managementForContextOnly: snapshot.managementForContextOnly,
    partition: snapshot.caller.Partition,
    // Until the first account read says where its evidence was asked for.
    controlRegion: 'us-east-1',
    startedAt: snapshot.startedAt,
    total: snapshot.size - (snapshot.managementForContextOnly ? 1 : 0),
  };
  const builder = builderFor(shape, selection, options, settings, acceptance.accept);
  for (const { account, outcome } of snapshot.entries()) {
    const view = builder.add(account, outcome);
    if (view && perAccount) await writeAccountReports(io, view.report, settings, account.Id);
  }
  return reportOrganization(
    io,
    builder,
    snapshot.finishedAt ?? snapshot.startedAt,
    snapshot.organization.Id,
    settings,
    acceptance,
  );
}

/** `collect --org --output FILE`: one snapshot of the organization, written as accounts complete. */
export async function collectOrganizationSnapshot(
  io: CliIO,
  run: OrganizationRunSettings,
  access: AwsAccessOptions,
  regions: string[] | null,
  controls: readonly ControlDefinition[],
  output: string | undefined,
): Promise<number> {
  if (output === undefined)
    throw new UsageError('collect --org writes a file as accounts complete: give --output FILE.');
  let writer: OrganizationSnapshotWriter | undefined;
  // Ctrl-C or SIGTERM: the half-written snapshot goes, then the signal ends the run as it would have.
  const giveBack = io.onInterrupt?.((signal) => {
    writer?.discardNow();
    giveBack?.();
    io.stderr(`\ntrailcheck: interrupted; ${output} was not written.\n`);
    process.kill(process.pid, signal);
  });
  let assessed = 0;
  let missing = 0;
  const startedAt = new Date().toISOString();
  try {
    const listing = await collectOrganization({
      access,
      regions,
      controls,
      filter: run.filter,
      member: run.member,
      concurrency: run.concurrency,
      onListed: async (l) => {
        await OrganizationSnapshotWriter.open(
          output,
          {
            tool: { name: TOOL_NAME, version: TOOL_VERSION },
            startedAt,
            organization: l.organization,
            caller: l.caller,
            leftOut: l.leftOut,
            managementForContextOnly: l.managementForContextOnly,
          },
          (created) => (writer = created),
        );
      },
      onAccount: async (account, outcome) => {
        if (!writer) throw new Error('an account arrived before the organization was listed');
        await writer.add(account, outcome);
        if (outcome.ok) assessed += 1;
        else missing += 1;
      },
    });
    await writer?.finish(new Date().toISOString());
    io.stderr(
      `trailcheck: wrote the snapshot of organization ${listing.organization.Id} (${assessed} accounts read${missing > 0 ? `, ${missing} not` : ''}) to ${output}\n`,
    );
  } catch (error) {
    await writer?.abandon();
    throw error;
  } finally {
    giveBack?.();
  }
  return 0;
}
