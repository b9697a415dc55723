/**
 * `trailcheck diff OLD.json NEW.json`: what changed between two JSON reports of the same account or the
 * same organization. A finding is the same finding when its identity (findingIdentity: account, control,
 * resource id, Region, name) matches; a version 1 report's findings do not carry the account, so it is
 * the report's. Pure: reports in, text out.
 */
import { z } from 'zod';
import { describeIdentity, findingIdentity } from '../core/identity.js';
import type { Status } from '../controls/types.js';
import { SEVERITIES, STATUSES } from '../controls/types.js';
import { UsageError } from '../util/errors.js';
import { markdownCode, markdownText, safeJsonStringify, terminalSafe } from '../core/escape.js';
import type { JsonReport, JsonReportV1 } from './json.js';
import { AnyJsonReportSchema, JSON_REPORT_VERSION } from './json.js';
import { capitalize, countWord, plural } from '../core/rich.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export function parseDiffFormat(value: string): DiffFormat {
  const format = value.trim().toLowerCase();
  const resolved = format === 'md' ? 'markdown' : format;
  if (!(DIFF_FORMATS as readonly string[]).includes(resolved)) {
    throw new UsageError(`unknown diff format '${value}'; choose one of: ${DIFF_FORMATS.join(', ')}.`);
  }
  return resolved as DiffFormat;
}

type JsonFinding = JsonReport['findings'][number];

const AccountRefSchema = z.object({ id: z.string(), name: z.string().nullable() });

const ChangeSchema = z.object({
  /** The account of the finding: only in a diff of organizations. */
  account: AccountRefSchema.optional(),
  control: z.string(),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  resource: z.object({ type: z.string(), id: z.string(), name: z.string(), region: z.string() }),
  before: z.enum(STATUSES).nullable(),
  after: z.enum(STATUSES).nullable(),
  /** The newer report's message when there is one, else the older one's. */
  message: z.string(),
  suppressed: z.boolean(),
});
export type Change = z.infer<typeof ChangeSchema>;

const SideSchema = z.object({
  account: z.string().nullable(),
  finishedAt: z.string().nullable(),
  summary: z.object({ PASS: z.number(), FAIL: z.number(), UNKNOWN: z.number(), total: z.number() }),
  /** The organization's id: only in a diff of organizations. */
  organization: z.string().optional(),
});

/** How the accounts of two organization reports differ (only in a diff of organizations). */
const AccountChangesSchema = z.object({
  /** Assessed before, not now (role not assumed, suspended, …): a regression. */
  newlyNotAssessed: z.array(AccountRefSchema.extend({ reason: z.string().nullable() })),
  /** Not assessed before, assessed now. */
  nowAssessed: z.array(AccountRefSchema),
  /** In the new report only: its findings are compared as new ones. */
  added: z.array(AccountRefSchema),
  /** In the old report only (left the organization, or left out by the filters): its findings are not compared. */
  gone: z.array(AccountRefSchema),
});

/** The JSON form of a diff (`trailcheck diff --format json`), a contract like the report's. */
export const DiffReportSchema = z.object({
  diffVersion: z.literal(1),
  old: SideSchema,
  new: SideSchema,
  /** Did not pass before (FAIL or UNKNOWN), passes now. */
  fixed: z.array(ChangeSchema),
  /** Fails now, and did not fail before (passed, was unknown, or is new). */
  newlyFailing: z.array(ChangeSchema),
  /** Could not be assessed now, and could be before (or is new). */
  newlyUnknown: z.array(ChangeSchema),
  /** The same verdict in both. */
  unchanged: z.array(ChangeSchema),
  /** New resources that pass. */
  added: z.array(ChangeSchema),
  /** In the old report only, though the new one ran its control in its Region: the resource is gone. */
  removed: z.array(ChangeSchema),
  /**
   * In the old report only, because the new one did not assess it: its control was not run, or its
   * Region was not scanned. The new report cannot vouch for it; one that passed or failed before counts
   * as got worse, like a finding that became UNKNOWN. Optional so diffs of earlier versions validate.
   */
  notAssessed: z.array(ChangeSchema).optional(),
  accounts: AccountChangesSchema.optional(),
  notes: z.array(z.string()),
});
export type DiffReport = z.infer<typeof DiffReportSchema>;

/** Validates a parsed JSON report for diffing; a failed run has nothing to compare. */
export function validateReportForDiff(data: unknown, label: string): JsonReport {
  const parsed = AnyJsonReportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue
      ? issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')
      : '';
    throw new UsageError(
      `${label} is not a trailcheck JSON report (made with --format json)${issue ? `: at ${path.replace(/^\./, '') || 'the top level'}: ${issue.message}` : ''}.`,
    );
  }
  if (parsed.data.integer_result === 2) {
    throw new UsageError(
      `${label} is the report of a run that could not run (${parsed.data.error ?? 'no reason given'}); there is nothing to compare.`,
    );
  }
  return upgradeReport(parsed.data);
}

/** A version 1 report in version 2's shape: its findings and its one account are the report's account. */
export function upgradeReport(report: JsonReportV1 | JsonReport): JsonReport {
  if (report.reportVersion === JSON_REPORT_VERSION) return report;
  const account = report.account ?? '';
  return {
    ...report,
    reportVersion: JSON_REPORT_VERSION,
    findings: report.findings.map((f) => ({ ...f, account })),
    accounts:
      report.account === null
        ? []
        : [
            {
              id: report.account,
              name: null,
              assessed: true,
              integer_result: report.integer_result === 0 ? 0 : 1,
              summary: report.summary,
              controls: report.controls.map((c) => ({ id: c.id, status: c.status })),
            },
          ],
    organization: null,
  };
}

/** The report's findings by identity; two findings with one identity cannot be told apart, so refused. */
function findingsByIdentity(report: JsonReport, which: string): Map<string, JsonFinding> {
  const byIdentity = new Map<string, JsonFinding>();
  for (const finding of report.findings) {
    const identity = findingIdentity(finding.account, finding);
    if (byIdentity.has(identity)) {
      throw new UsageError(
        `the ${which} report has two findings for ${describeIdentity(finding)}; diff cannot tell which is which.`,
      );
    }
    byIdentity.set(identity, finding);
  }
  return byIdentity;
}

/** Did the new report look where the old finding was: its control run, its Region scanned? */
function assessedIn(report: JsonReport, finding: JsonFinding, oldReport: JsonReport): boolean {
  if (!report.controls.some((c) => c.id === finding.control)) return false;
  // A Region the old scan did not cover either (a trail seen from elsewhere) says nothing about scope.
  const region = finding.resource.region;
  return report.regions.includes(region) || !oldReport.regions.includes(region);
}

function change(
  before: JsonFinding | undefined,
  after: JsonFinding | undefined,
  accountRef?: (id: string) => Change['account'],
): Change {
  const f = (after ?? before) as JsonFinding;
  const account = accountRef?.(f.account);
  return {
    ...(account ? { account } : {}),
    control: f.control,
    severity: f.severity,
    title: f.title,
    resource: f.resource,
    before: before?.status ?? null,
    after: after?.status ?? null,
    message: f.message,
    suppressed: after?.suppressed !== undefined,
  };
}

/** Two organizations' reports, two accounts' reports, or one of each (refused): which is it? */
function checkComparable(oldReport: JsonReport, newReport: JsonReport): void {
  const oldOrg = oldReport.organization?.id;
  const newOrg = newReport.organization?.id;
  if (oldOrg !== undefined || newOrg !== undefined) {
    if (oldOrg === undefined || newOrg === undefined)
      throw new UsageError(
        `one report is of organization ${oldOrg ?? newOrg ?? ''} and the other of account ${(oldOrg === undefined ? oldReport.account : newReport.account) ?? 'none'} alone; diff compares two scans of the same organization (scan --org) or of the same account.`,
      );
    if (oldOrg !== newOrg)
      throw new UsageError(
        `the reports are of different organizations (${oldOrg} and ${newOrg}); diff compares two scans of the same organization.`,
      );
    return;
  }
  if (oldReport.account !== newReport.account) {
    throw new UsageError(
      `the reports are of different accounts (${oldReport.account ?? 'none'} and ${newReport.account ?? 'none'}); diff compares two scans of the same account.`,
    );
  }
}

/** The accounts that came, went, or stopped (or started) being assessed between two organization reports. */
function accountChanges(oldReport: JsonReport, newReport: JsonReport): NonNullable<DiffReport['accounts']> {
  const olds = new Map(oldReport.accounts.map((a) => [a.id, a]));
  const news = new Map(newReport.accounts.map((a) => [a.id, a]));
  const ref = (a: JsonReport['accounts'][number]) => ({ id: a.id, name: a.name });
  const changes: NonNullable<DiffReport['accounts']> = {
    newlyNotAssessed: [],
    nowAssessed: [],
    added: [],
    gone: [],
  };
  for (const [id, after] of news) {
    const before = olds.get(id);
    if (!before) changes.added.push(ref(after));
    else if (before.assessed && !after.assessed)
      changes.newlyNotAssessed.push({ ...ref(after), reason: after.reason ?? null });
    else if (!before.assessed && after.assessed) changes.nowAssessed.push(ref(after));
  }
  for (const [id, before] of olds) if (!news.has(id)) changes.gone.push(ref(before));
  return changes;
}

export function diffReports(oldReport: JsonReport, newReport: JsonReport): DiffReport {
  checkComparable(oldReport, newReport);
  const organization = newReport.organization?.id;
  const olds = findingsByIdentity(oldReport, 'old');
  const news = findingsByIdentity(newReport, 'new');
  const accounts = organization !== undefined ? accountChanges(oldReport, newReport) : undefined;
  const names = new Map([...oldReport.accounts, ...newReport.accounts].map((a) => [a.id, a.name]));
  const accountRef =
    organization !== undefined ? (id: string) => ({ id, name: names.get(id) ?? null }) : undefined;
  const gone = new Set(accounts?.gone.map((a) => a.id));
  const side = (report: JsonReport) => ({
    account: report.account,
    finishedAt: report.finishedAt,
    summary: pick(report),
    ...(report.organization ? { organization: report.organization.id } : {}),
  });
  const diff: DiffReport = {
    diffVersion: 1,
    old: side(oldReport),
    new: side(newReport),
    fixed: [],
    newlyFailing: [],
    newlyUnknown: [],
    unchanged: [],
    added: [],
    removed: [],
    notAssessed: [],
    notes: [],
  };
  for (const [k, after] of news) {
    const before = olds.get(k);
    const c = change(before, after, accountRef);
    const was: Status | undefined = before?.status;
    if (after.status === 'PASS') {
      if (was === undefined) diff.added.push(c);
      else if (was === 'PASS') diff.unchanged.push(c);
      else diff.fixed.push(c);
    } else if (after.status === 'FAIL') {
      if (was === 'FAIL') diff.unchanged.push(c);
      else diff.newlyFailing.push(c);
    } else if (was === 'UNKNOWN') {
      diff.unchanged.push(c);
    } else {
      diff.newlyUnknown.push(c);
    }
  }
  for (const [k, before] of olds) {
    // An account no longer in the report is said once (diff.accounts.gone), not finding by finding.
    if (news.has(k) || gone.has(before.account)) continue;
    const missing = change(before, undefined, accountRef);
    if (assessedIn(newReport, before, oldReport)) diff.removed.push(missing);
    else diff.notAssessed?.push(missing);
  }
  if (accounts) {
    diff.accounts = accounts;
    for (const list of [
      diff.fixed,
      diff.newlyFailing,
      diff.newlyUnknown,
      diff.unchanged,
      diff.added,
      diff.removed,
      diff.notAssessed ?? [],
    ])
      list.sort((a, b) => (a.account?.id ?? '').localeCompare(b.account?.id ?? ''));
  }
  if (oldReport.finishedAt && newReport.finishedAt && oldReport.finishedAt > newReport.finishedAt) {
    diff.notes.push(
      `The old report (${oldReport.finishedAt}) is newer than the new one (${newReport.finishedAt}); were they swapped?`,
    );
  }
  const oldControls = new Set(oldReport.controls.map((c) => c.id));
  const newControls = new Set(newReport.controls.map((c) => c.id));
  const onlyOld = [...oldControls].filter((c) => !newControls.has(c));
  const onlyNew = [...newControls].filter((c) => !oldControls.has(c));
  if (onlyOld.length > 0) diff.notes.push(`Only the old report assessed ${onlyOld.join(', ')}.`);
  if (onlyNew.length > 0) diff.notes.push(`Only the new report assessed ${onlyNew.join(', ')}.`);
  return diff;
}

function pick(report: JsonReport) {
  const { PASS, FAIL, UNKNOWN, total } = report.summary;
  return { PASS, FAIL, UNKNOWN, total };
}

/** Findings the new report did not assess that had a verdict (PASS or FAIL) before: gone dark. */
function goneDark(diff: DiffReport): Change[] {
  return (diff.notAssessed ?? []).filter((c) => c.before !== 'UNKNOWN');
}

/**
 * Regressions: something fails or went dark that did not before (newly unknown, or no longer assessed
 * with a verdict before). The diff command exits 1 on them.
 */
export function hasRegressions(diff: DiffReport): boolean {
  return (
    diff.newlyFailing.length > 0 ||
    diff.newlyUnknown.length > 0 ||
    goneDark(diff).length > 0 ||
    (diff.accounts?.newlyNotAssessed.length ?? 0) > 0
  );
}

const SECTIONS: Array<{
  key: keyof Pick<
    DiffReport,
    'newlyFailing' | 'newlyUnknown' | 'notAssessed' | 'fixed' | 'added' | 'removed' | 'unchanged'
  >;
  title: string;
}> = [
  { key: 'newlyFailing', title: 'Newly failing' },
  { key: 'newlyUnknown', title: 'Newly unknown – could not be assessed' },
  { key: 'notAssessed', title: 'Not assessed this time – control not run or Region not scanned' },
  { key: 'fixed', title: 'Fixed' },
  { key: 'added', title: 'New resources, passing' },
  { key: 'removed', title: 'No longer reported' },
  { key: 'unchanged', title: 'Unchanged' },
];

/** "account 111122223333 (prod) " before a change of an organization's diff; nothing otherwise. */
function accountLabel(account: Change['account']): string {
  if (!account) return '';
  return `account ${account.id}${account.name !== null && account.name !== '' ? ` (${account.name})` : ''}`;
}

/** What the diff is of: "account 1234…" or "organization o-…". */
function subject(diff: DiffReport): string {
  return diff.new.organization !== undefined
    ? `organization ${diff.new.organization}`
    : `account ${diff.new.account ?? 'unknown'}`;
}

/** The lines saying which accounts came, went, or stopped (or started) being assessed. */
function accountLines(diff: DiffReport): Array<{ title: string; items: string[] }> {
  const a = diff.accounts;
  if (!a) return [];
  return [
    {
      title: 'Accounts newly not assessed',
      items: a.newlyNotAssessed.map((x) => `${accountLabel(x)}: ${x.reason ?? 'no reason given'}`),
    },
    { title: 'Accounts assessed again', items: a.nowAssessed.map(accountLabel) },
    { title: 'Accounts new in this report', items: a.added.map(accountLabel) },
    {
      title: 'Accounts no longer in the report (their findings are not compared)',
      items: a.gone.map(accountLabel),
    },
  ].filter((s) => s.items.length > 0);
}

function transition(c: Change): string {
  return `${c.before ?? 'absent'} → ${c.after ?? 'absent'}`;
}

function headline(diff: DiffReport): string {
  const parts = [
    `${diff.fixed.length} fixed`,
    `${diff.newlyFailing.length} newly failing`,
    `${diff.newlyUnknown.length} newly unknown`,
    `${diff.unchanged.length} unchanged`,
  ];
  if (diff.added.length > 0) parts.push(`${diff.added.length} new and passing`);
  if (diff.removed.length > 0) parts.push(`${diff.removed.length} no longer reported`);
  const notAssessed = diff.notAssessed?.length ?? 0;
  if (notAssessed > 0) parts.push(`${notAssessed} not assessed this time`);
  return parts.join(', ');
}

function verdict(diff: DiffReport): string {
  if (hasRegressions(diff)) {
    const n = diff.newlyFailing.length + diff.newlyUnknown.length + goneDark(diff).length;
    const dark = diff.accounts?.newlyNotAssessed.length ?? 0;
    const accounts =
      dark > 0
        ? ` ${capitalize(countWord(dark))} ${plural(dark, 'account')} could not be assessed this time.`
        : '';
    if (n === 0) return accounts.trim();
    return `${capitalize(countWord(n))} ${plural(n, 'finding got', 'findings got')} worse since the old report.${accounts}`;
  }
  // What is not in the new report is not "nothing got worse" without a word: say it is there.
  const missing = diff.removed.length + (diff.notAssessed?.length ?? 0);
  const gone =
    missing > 0
      ? ` ${capitalize(countWord(missing))} ${plural(missing, 'finding of the old report is', 'findings of the old report are')} not in the new one (listed above).`
      : '';
  if (diff.fixed.length > 0) return `Nothing got worse, and some gaps were closed.${gone}`;
  return `Nothing got worse.${gone}`;
}

export function renderDiffText(diff: DiffReport): string {
  const out = [
    `trailcheck diff – ${terminalSafe(subject(diff))}: ${terminalSafe(diff.old.finishedAt ?? '?')} → ${terminalSafe(diff.new.finishedAt ?? '?')}`,
    headline(diff),
  ];
  for (const note of diff.notes) out.push(`! ${terminalSafe(note)}`);
  for (const { title, items } of accountLines(diff)) {
    out.push('', `${title} (${items.length}):`);
    for (const item of items) out.push(`  ${terminalSafe(item)}`);
  }
  for (const { key: k, title } of SECTIONS) {
    const changes = diff[k] ?? [];
    if (changes.length === 0) continue;
    out.push('', `${title} (${changes.length}):`);
    const shown = k === 'unchanged' ? changes.filter((c) => c.after !== 'PASS') : changes;
    for (const c of shown) {
      const account = c.account ? `${terminalSafe(accountLabel(c.account))}  ` : '';
      out.push(
        `  ${account}${c.control} (${c.severity})  ${terminalSafe(c.resource.name)} (${terminalSafe(c.resource.region)})  ${transition(c)}${c.suppressed ? ', suppressed' : ''}`,
      );
      if (k !== 'unchanged' && k !== 'added') out.push(`    ${terminalSafe(c.message)}`);
    }
    const passing = changes.length - shown.length;
    if (passing > 0) out.push(`  ${shown.length > 0 ? '… and ' : ''}${passing} still passing`);
  }
  out.push('', verdict(diff));
  return `${out.join('\n')}\n`;
}

export function renderDiffMarkdown(diff: DiffReport): string {
  const out = [
    diff.new.organization !== undefined
      ? `**trailcheck diff – CloudTrail, organization ${markdownCode(diff.new.organization)}**`
      : `**trailcheck diff – CloudTrail, account ${markdownCode(diff.new.account ?? 'unknown')}**`,
    '',
    `${markdownText(diff.old.finishedAt ?? '?')} → ${markdownText(diff.new.finishedAt ?? '?')}: ${markdownText(headline(diff))}.`,
    '',
  ];
  for (const note of diff.notes) out.push(`> ⚠️ ${markdownText(note)}`, '');
  for (const { title, items } of accountLines(diff)) {
    out.push(`### ${title} (${items.length})`, '', ...items.map((i) => `- ${markdownText(i)}`), '');
  }
  const byAccount = diff.accounts !== undefined;
  for (const { key: k, title } of SECTIONS) {
    const changes = diff[k] ?? [];
    if (changes.length === 0) continue;
    out.push(
      `### ${title} (${changes.length})`,
      '',
      byAccount
        ? '| Account | Check | Resource | Region | Change | What it says now |'
        : '| Check | Resource | Region | Change | What it says now |',
      byAccount
        ? '|---------|-------|----------|--------|--------|------------------|'
        : '|-------|----------|--------|--------|------------------|',
    );
    for (const c of changes) {
      const account = byAccount ? `| ${markdownText(accountLabel(c.account).replace(/^account /, ''))} ` : '';
      out.push(
        `${account}| ${markdownText(c.control)} (${c.severity}) | ${markdownCode(c.resource.name)} | ${markdownText(c.resource.region)} | ${markdownText(transition(c))}${c.suppressed ? ' (suppressed)' : ''} | ${markdownText(c.message)} |`,
      );
    }
    out.push('');
  }
  out.push(`**${markdownText(verdict(diff))}**`);
  return `${out.join('\n')}\n`;
}

export function renderDiff(diff: DiffReport, format: DiffFormat): string {
  if (format === 'json') return `${safeJsonStringify(diff)}\n`;
  if (format === 'markdown') return renderDiffMarkdown(diff);
  return renderDiffText(diff);
}
