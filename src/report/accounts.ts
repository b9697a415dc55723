/**
 * What the human formats say about the accounts of an organization's report (`scan --org`): which
 * accounts need attention, worst first, how each is named, a finding's own account's plan, and where a
 * control's verdict on an organization trail's own settings lives. A single-account report has none of
 * this, so its text stays as it was.
 */
import type { Finding } from '../controls/types.js';
import type { JudgedElsewhere } from '../core/finding.js';
import type { ControlResult } from '../judge/assess.js';
import type { RichText } from '../core/rich.js';
import type { AccountView, Report } from './model.js';
import { isOpen } from './outcome.js';
import { plural } from '../core/rich.js';

/** "1 account", "3 accounts". */
export function accountCount(n: number): string {
  return `${n} ${plural(n, 'account')}`;
}

/** An account's open findings by weight: what "worst first" sorts by. */
export interface AccountWeight {
  account: AccountView;
  /** Open critical and high failures. */
  severe: number;
  /** Every open failure (severe ones included). */
  failed: number;
  /** Open findings that could not be assessed. */
  unknown: number;
}

function weigh(account: AccountView): AccountWeight {
  const open = account.report.findings.filter(isOpen);
  const failed = open.filter((f) => f.status === 'FAIL');
  return {
    account,
    severe: failed.filter((f) => f.severity === 'critical' || f.severity === 'high').length,
    failed: failed.length,
    unknown: open.filter((f) => f.status === 'UNKNOWN').length,
  };
}

/**
 * The accounts with something open (a failure, an unknown, or no assessment at all), worst first: the
 * most critical or high failures, then the most failures, then the most unknowns; account id breaks ties.
 */
export function accountsNeedingAttention(report: Report): AccountWeight[] {
  return (report.organization?.accounts ?? [])
    .map(weigh)
    .filter((w) => !w.account.assessed || w.failed > 0 || w.unknown > 0)
    .sort(
      (a, b) =>
        b.severe - a.severe ||
        b.failed - a.failed ||
        b.unknown - a.unknown ||
        a.account.id.localeCompare(b.account.id),
    );
}

/** Every account of the organization, worst first (as `accountsNeedingAttention`), the clean ones last. */
export function accountsWorstFirst(report: Report): AccountView[] {
  const attention = accountsNeedingAttention(report).map((w) => w.account);
  const rest = (report.organization?.accounts ?? []).filter((a) => !attention.includes(a));
  return [...attention, ...rest];
}

/** Each account's place, worst first (0 the worst); empty for a single account's report. */
export function accountRanks(report: Report): Map<string, number> {
  return new Map(accountsWorstFirst(report).map((a, index) => [a.id, index]));
}

/** "111122223333 (prod-app)": an account as people know it; the id alone when it has no name. */
export function accountName(report: Report, id: string): string {
  const name = report.organization?.accounts.find((a) => a.id === id)?.name;
  return name !== undefined && name !== '' ? `${id} (${name})` : id;
}

/** The account a finding of an organization's report is about, named; undefined in a single account's report. */
export function findingAccount(report: Report, finding: Finding): string | undefined {
  if (!report.organization || finding.account === undefined) return undefined;
  return accountName(report, finding.account);
}

/** How many actions the plan that holds a finding's next step has: its own account's plan in an organization. */
export function planLength(report: Report, finding: Finding): number {
  const own =
    finding.account !== undefined
      ? report.organization?.accounts.find((a) => a.id === finding.account)?.report
      : undefined;
  return (own ?? report).plan.actions.length;
}

/** "2 critical or high failures, 5 failed, 1 unknown" or "not assessed: REASON". */
export function weightPhrase(w: AccountWeight): string {
  if (!w.account.assessed) return `not assessed: ${w.account.reason ?? 'no reason given'}`;
  const parts: string[] = [];
  if (w.severe > 0) parts.push(`${w.severe} critical or high`);
  parts.push(`${w.failed} failed`);
  if (w.unknown > 0) parts.push(`${w.unknown} unknown`);
  return parts.join(', ');
}

/** "org-trail-logs: judged in account 111122223333 (FAIL)": where a member's verdict really lives. */
export function elsewherePhrase(e: JudgedElsewhere): string {
  const status =
    e.status === undefined ? '' : e.status === 'NOT_ASSESSED' ? ' (not assessed)' : ` (${e.status})`;
  return `${e.resource.name}: judged in account ${e.account}${status}`;
}

export function elsewhereOf(result: ControlResult): readonly JudgedElsewhere[] {
  return result.elsewhere ?? [];
}

/** The organization's one-paragraph summary: id, how many accounts were assessed, which not and why, totals. */
export function organizationSummary(report: Report): string[] {
  const org = report.organization;
  if (!org) return [];
  const assessed = org.accounts.filter((a) => a.assessed);
  const missing = org.accounts.filter((a) => !a.assessed);
  const lines = [
    `Organization ${org.info.Id} (management account ${org.info.MasterAccountId}): ${assessed.length} of ${org.accounts.length} accounts assessed${missing.length > 0 ? `, ${missing.length} not` : ''}.`,
  ];
  for (const a of missing.slice(0, 20))
    lines.push(`Not assessed: ${accountName(report, a.id)}: ${a.reason ?? 'no reason given'}`);
  if (missing.length > 20) lines.push(`… and ${missing.length - 20} more accounts not assessed.`);
  const s = report.summary;
  lines.push(
    `Findings over all accounts: ${s.PASS} passed, ${s.FAIL} failed, ${s.UNKNOWN} could not be assessed (${s.total} in all).`,
  );
  if (org.leftOut > 0)
    lines.push(
      `${accountCount(org.leftOut)} ${org.leftOut === 1 ? 'was' : 'were'} left out by --ou, --accounts or --exclude-accounts.`,
    );
  return lines;
}

const MEANING_IDS = 3;

/**
 * What a control's result means over an organization: in how many accounts it failed, could not be
 * assessed, passed or had nothing to assess, naming the first few. A control's own sentence counts
 * resources and Regions of one account, which read wrong once many accounts are merged.
 */
function organizationMeaning(report: Report, controlId: string): RichText {
  const accounts = report.organization?.accounts ?? [];
  const by = (status: string) => accounts.filter((a) => a.controls[controlId] === status).map((a) => a.id);
  // An account with nothing of its own to assess that an organization trail covers: judged at its owner.
  const elsewhere = (pointed: boolean) =>
    accounts
      .filter(
        (a) =>
          a.controls[controlId] === 'NOT_APPLICABLE' &&
          (a.report.results.find((r) => r.control.id === controlId)?.elsewhere?.length ?? 0) > 0 === pointed,
      )
      .map((a) => a.id);
  const groups: Array<[string[], string]> = [
    [by('FAIL'), 'failed'],
    [by('UNKNOWN'), 'could not be assessed'],
    [by('PASS'), 'passed'],
    [elsewhere(true), 'judged in the organization trail’s account for'],
    [elsewhere(false), 'nothing to assess'],
  ];
  // "Failed in 2 of 3 accounts (a, b); passed in 1 (c)."
  const parts = groups
    .filter(([ids]) => ids.length > 0)
    .map(([ids, what], index) => {
      const named = ids.slice(0, MEANING_IDS).join(', ') + (ids.length > MEANING_IDS ? ', …' : '');
      const count = index === 0 ? `${ids.length} of ${accountCount(accounts.length)}` : `${ids.length}`;
      return `${what}${what.endsWith(' for') ? '' : ' in'} ${count} (${named})`;
    });
  if (parts.length === 0) return ['No account was assessed.'];
  const sentence = parts.join('; ');
  return [`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`];
}

/** The "what it means" of a control: its own sentence for one account, counted by account for an organization. */
export function controlMeaning(report: Report, result: ControlResult): RichText {
  return report.organization
    ? organizationMeaning(report, result.control.id)
    : result.control.texts.meaning(result);
}
