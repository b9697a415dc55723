/**
 * `fix --org`: a dry run for every account by default; with `--apply`, only the accounts `--accounts`
 * names are changed, one at a time, each with its own credentials, journal and rollback. A failed or
 * interrupted account is rolled back and the run stops there: the accounts before it keep their changes,
 * the ones after it are not touched.
 */
import { AwsClientFactory } from '../../aws/clients.js';
import { collect } from '../../collect/index.js';
import type { Finding } from '../../controls/types.js';
import { isWriteOperation } from '../../fixes/calls.js';
import { withOrganizationTrails } from '../../judge/organization.js';
import { planToJson, renderDryRun } from '../../remediate/render.js';
import { CannotRunError, EXIT } from '../../util/errors.js';
import { applyToAccount, readLine } from '../fix-apply.js';
import type { FixReport } from '../fix-apply.js';
import type { CliIO } from '../io.js';
import {
  accountLabel,
  accountOrder,
  planOrganization,
  refuseApplyWithoutAccounts,
} from '../organization-remediation.js';
import type { AccountPlan, OrganizationSource } from '../organization-remediation.js';
import { emit } from '../output.js';
import type { Prepared } from '../remediation.js';

/** What became of one account in an organization fix. */
type AccountResult =
  | 'nothing to change'
  | 'not assessed'
  | 'dry run'
  | 'changed and kept'
  | 'rolled back'
  | 'untouched'
  | 'not confirmed';

interface AccountFixReport extends Partial<FixReport> {
  account: string;
  name: string;
  result: AccountResult;
  reason?: string;
}

interface OrganizationFixReport {
  organization: string;
  mode: 'dry-run' | 'apply';
  accounts: AccountFixReport[];
  /** Account ids, by what became of them (apply only). */
  changed?: string[];
  rolledBack?: string[];
  untouched?: string[];
  interrupted?: boolean;
  exitCode: number;
}

export interface OrganizationFixFlags {
  apply: boolean;
  yes: boolean;
  format: 'text' | 'json';
  output: string | undefined;
}

function openFindings(planned: AccountPlan, prepared: Prepared): boolean {
  if (!planned.planned) return true;
  const accepted = prepared.options.remediation?.accepted;
  const isAccepted = (f: Finding): boolean => accepted?.(f) !== undefined;
  return planned.planned.before.findings.some((f) => f.status !== 'PASS' && !isAccepted(f));
}

export async function fixOrganization(
  io: CliIO,
  prepared: Prepared,
  source: OrganizationSource,
  flags: OrganizationFixFlags,
): Promise<number> {
  if (flags.apply) refuseApplyWithoutAccounts(source);
  // Each account's dry run is rendered as it is planned; only --apply (limited to the named accounts)
  // keeps the accounts' evidence and verdicts, to apply and check them again.
  const accounts: Array<{ planned: AccountPlan; open: boolean; lines: string[]; item: AccountFixReport }> =
    [];
  const run = await planOrganization(prepared, source, (a) => {
    const item: AccountFixReport = {
      account: a.account.Id,
      name: a.account.Name,
      result: !a.planned
        ? 'not assessed'
        : a.planned.plan.steps.length === 0
          ? 'nothing to change'
          : flags.apply
            ? 'untouched'
            : 'dry run',
      ...(a.reason !== undefined ? { reason: a.reason } : {}),
      ...(a.planned ? { plan: planToJson(a.planned.plan) } : {}),
    };
    const lines = [`==== Account ${accountLabel(a.account)}: run with ${a.credentials} ====`, ''];
    if (a.planned)
      lines.push(renderDryRun(a.planned.plan, a.planned.snapshot.scope.regions, flags.apply).trimEnd(), '');
    else lines.push(`Not assessed, so nothing is planned: ${a.reason ?? ''}`, '');
    const open = openFindings(a, prepared);
    const kept: AccountPlan =
      flags.apply || !a.planned
        ? a
        : { account: a.account, management: a.management, credentials: a.credentials };
    accounts.push({ planned: kept, open, lines, item });
  });
  accounts.sort((x, y) => accountOrder(x.planned, y.planned));
  const organization = run.organization.Id;
  const report: OrganizationFixReport = {
    organization,
    mode: flags.apply ? 'apply' : 'dry-run',
    accounts: accounts.map((a) => a.item),
    exitCode: 0,
  };
  const text: string[] = accounts.flatMap((a) => a.lines);
  const entry = new Map(accounts.map((a) => [a.item.account, a.item]));
  const anyOpen = accounts.some((a) => a.open);
  const openIn = new Set(accounts.filter((a) => a.open).map((a) => a.item.account));

  const finish = async (exitCode: number): Promise<number> => {
    report.exitCode = exitCode;
    const content =
      flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${text.join('\n').trimEnd()}\n`;
    await emit(io, content, flags.output, 'the fix report');
    return exitCode;
  };

  const toChange = accounts.map((a) => a.planned).filter((a) => (a.planned?.plan.steps.length ?? 0) > 0);
  if (!flags.apply || toChange.length === 0) {
    if (flags.apply) text.push('Nothing to change: no account named has a step to apply.');
    return finish(anyOpen ? EXIT.FINDINGS : EXIT.OK);
  }
  // Every named account is read and every plan sound before the first change, or nothing is changed.
  const unread = accounts.map((a) => a.planned).filter((a) => !a.planned);
  if (unread.length > 0)
    throw new CannotRunError(
      `account ${unread.map((a) => accountLabel(a.account)).join(', ')} could not be read (${unread[0]?.reason ?? ''}), so nothing was changed in any account; fix that or leave it out of --accounts.`,
    );
  for (const a of toChange)
    if (a.planned && a.planned.plan.warnings.length > 0)
      throw new CannotRunError(
        `the plan of account ${a.account.Id} is not consistent (${a.planned.plan.warnings.join('; ')}), so nothing was changed; this is a bug in trailcheck, please report it.`,
      );

  if (!flags.yes) {
    const list = toChange
      .map((a) => `${a.planned?.plan.steps.length ?? 0} to account ${accountLabel(a.account)}`)
      .join(', ');
    io.stderr(
      `${text.join('\n').trimEnd()}\n\nApply these changes, one account at a time: ${list}? Type yes to go on: `,
    );
    const answer = await readLine(io.stdin as NodeJS.ReadableStream);
    if (!/^y(es)?$/i.test(answer.trim())) {
      for (const a of toChange) {
        const item = entry.get(a.account.Id);
        if (item) item.result = 'not confirmed';
      }
      text.push('Nothing was changed in any account (not confirmed).');
      return finish(EXIT.FINDINGS);
    }
  }

  // Held for the whole run, so an interrupt between two accounts stops before the next one.
  let interrupted = false;
  const giveBack = io.onInterrupt?.(() => {
    interrupted = true;
  });
  const changed: AccountPlan[] = [];
  let rolledBack: AccountPlan | undefined;
  let exitCode: number = EXIT.OK;
  let worst: number = EXIT.OK;
  try {
    for (const a of toChange) {
      if (interrupted) break;
      const planned = a.planned;
      const access = a.access;
      if (!planned || !access)
        throw new CannotRunError(`account ${a.account.Id} has no live access to change it with.`);
      const item = entry.get(a.account.Id);
      const accountReport: FixReport = { mode: 'apply', plan: planToJson(planned.plan), exitCode: 0 };
      const lines: string[] = [`==== Account ${accountLabel(a.account)} ====`];
      const factory = new AwsClientFactory(access);
      let code: number;
      try {
        code = await applyToAccount(
          io,
          {
            plan: planned.plan,
            before: planned.before,
            factory,
            journalPath: undefined,
            rollbackCredentials: a.credentials,
            // Judged again as before: a member with the organization trails counted.
            freshEvidence: async (controls) =>
              withOrganizationTrails(
                await collect({ access, regions: prepared.regions, controls }),
                run.context(),
              ),
          },
          prepared,
          lines,
          accountReport,
        );
      } finally {
        accountReport.writes = factory.callLog.journal().filter((c) => isWriteOperation(c.operation));
        factory.destroy();
      }
      accountReport.exitCode = code;
      text.push(...lines, '');
      if (item) Object.assign(item, accountReport);
      if (code === EXIT.CANNOT_RUN || code === EXIT.INTERRUPTED) {
        rolledBack = a;
        if (item) item.result = 'rolled back';
        exitCode = code;
        break;
      }
      changed.push(a);
      if (item) item.result = 'changed and kept';
      worst = Math.max(worst, code);
    }
  } finally {
    giveBack?.();
  }
  const untouched = toChange.filter((a) => !changed.includes(a) && a !== rolledBack);
  if (rolledBack === undefined) {
    // As in the one-account fix: 1 while something is left to fix anywhere among the accounts shown.
    const leftElsewhere = [...openIn].some((id) => !changed.some((a) => a.account.Id === id));
    if (interrupted && untouched.length > 0) exitCode = EXIT.INTERRUPTED;
    else exitCode = worst !== EXIT.OK || leftElsewhere || untouched.length > 0 ? EXIT.FINDINGS : EXIT.OK;
  }
  report.changed = changed.map((a) => a.account.Id);
  report.rolledBack = rolledBack ? [rolledBack.account.Id] : [];
  report.untouched = untouched.map((a) => a.account.Id);
  if (interrupted) report.interrupted = true;
  const names = (list: readonly AccountPlan[]) =>
    list.length > 0 ? list.map((a) => accountLabel(a.account)).join(', ') : 'none';
  text.push(
    `Organization ${organization}:`,
    `  - Changed and kept: ${names(changed)}.`,
    `  - Rolled back: ${rolledBack ? `${accountLabel(rolledBack.account)} (${exitCode === EXIT.INTERRUPTED ? 'interrupted' : 'a step failed'}; see above)` : 'none'}.`,
    `  - Untouched: ${names(untouched)}${untouched.length > 0 ? (rolledBack ? ' (the run stopped at the account rolled back)' : ' (interrupted before them)') : ''}.`,
  );
  return finish(exitCode);
}
