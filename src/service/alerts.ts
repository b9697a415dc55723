/**
 * Alerts, once per change: what a finished scan has to say compared with the scan before it of the same
 * target. Pure: scans and reports in, messages out (delivery is alert-delivery.ts). A target's first scan
 * is the baseline and says nothing; a failure that stays a failure says nothing again; a regression
 * (newly failing, newly unknown, gone dark, an account no longer assessed) and a recovery each say so
 * once. A scan that could not run at all, after one that did, is announced once, and not again while
 * the target keeps failing.
 */
import type { Change, DiffReport } from '../report/diff.js';
import { diffReports } from '../report/diff.js';
import type { JsonReport } from '../report/json.js';
import { oneLine } from '../util/text.js';
import type { Scan } from './store/store.js';

export type AlertKind = 'regressed' | 'recovered' | 'unassessable';

/** Lines of changes in one message; the rest is counted ("… and 3 more") and left to the dashboard. */
export const MAX_ALERT_LINES = 20;
/** Slack refuses a section whose text is over 3,000 characters: names are bounded, lines packed under it. */
const MAX_LINE_CHARS = 280;
const SLACK_SECTION_CHARS = 2900;
/** SNS refuses a Subject over 100 characters, or one with anything but printable ASCII. */
export const MAX_SUBJECT_CHARS = 100;

export interface SlackBlock {
  type: 'section' | 'context';
  text?: { type: 'mrkdwn'; text: string };
  elements?: Array<{ type: 'mrkdwn'; text: string }>;
}

/** A Slack-compatible webhook body (Slack, Mattermost, Rocket.Chat and most chat tools take it). */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export interface AlertMessage {
  kind: AlertKind;
  scanId: string;
  /** What the alert is about: "account 123456789012" or "organization o-…". */
  target: string;
  /** One line, printable ASCII, at most 100 characters: the e-mail subject of SNS. */
  subject: string;
  /** The whole message as plain text (SNS). */
  text: string;
  slack: SlackMessage;
  /** The scan in the dashboard. */
  link: string;
  /** How many changes the message is about (findings and accounts), all of them, shown or not. */
  changes: number;
}

/** What the alerts need to know of a scan. */
export type AlertScan = Pick<Scan, 'id' | 'status' | 'subject' | 'error' | 'finishedAt'>;

/** One change, as both texts say it. */
interface Line {
  plain: string;
  slack: string;
}

/** Text from AWS (names, reasons) in Slack mrkdwn: one line, and no `<`, `>` or `&` that Slack would read as a link or mention. */
export function slackEscape(text: string): string {
  return oneLine(text, MAX_LINE_CHARS).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A name in a code span: a backtick in it would end the span, so it becomes a look-alike that cannot. */
function slackCode(text: string): string {
  return `\`${slackEscape(text).replace(/`/g, 'ˋ')}\``;
}

const RESOURCE_WORDS: Record<string, string> = {
  AwsCloudTrailTrail: 'trail',
  AwsS3Bucket: 'bucket',
  AwsKmsKey: 'KMS key',
  AwsEc2Vpc: 'VPC',
  AwsCloudTrailEventDataStore: 'event data store',
};

export function scanLink(dashboardUrl: string, scanId: string): string {
  return `${dashboardUrl.replace(/\/+$/, '')}/scans/${encodeURIComponent(scanId)}`;
}

function targetOf(report: JsonReport): string {
  return report.organization
    ? `organization ${report.organization.id}`
    : `account ${report.account ?? 'unknown'}`;
}

function accountName(account: { id: string; name: string | null }): { plain: string; slack: string } {
  const named = account.name !== null && account.name !== '';
  return {
    plain: `account ${account.id}${named ? ` (${oneLine(account.name ?? '', 80)})` : ''}`,
    slack: `account ${slackEscape(account.id)}${named ? ` (${slackEscape(account.name ?? '')})` : ''}`,
  };
}

function changeLine(c: Change, reportAccount: string | null, regressed: boolean): Line {
  const account = accountName(c.account ?? { id: reportAccount ?? 'unknown', name: null });
  const before = c.before ?? 'new';
  const after = c.after === null ? 'not assessed' : c.after;
  const word = RESOURCE_WORDS[c.resource.type];
  // An account-level finding's resource is the account itself, already named.
  const plainResource = word ? `, ${word} "${oneLine(c.resource.name, 120)}"` : '';
  const slackResource = word ? `, ${word} ${slackCode(c.resource.name)}` : '';
  const region = oneLine(c.resource.region, 40);
  // What is wrong now, in the finding's own words; a recovery needs no explaining.
  const reason = regressed && c.after !== null ? oneLine(c.message, 160) : undefined;
  return {
    plain: oneLine(
      `${c.control} (${c.severity}) ${account.plain}${plainResource} in ${region}: ${before} → ${after}${reason !== undefined ? ` – ${reason}` : ''}`,
      MAX_LINE_CHARS,
    ),
    slack: `*${slackEscape(c.control)}* (${c.severity}) ${account.slack}${slackResource} in ${slackEscape(region)}: ${before} → *${after}*${reason !== undefined ? ` – ${slackEscape(reason)}` : ''}`,
  };
}

/** Findings that passed or failed before and were not assessed this time (control not run, Region not scanned). */
function goneDark(diff: DiffReport): Change[] {
  return (diff.notAssessed ?? []).filter((c) => c.before !== 'UNKNOWN');
}

/** Plain ASCII for the SNS Subject: arrows and names from AWS could hold anything. */
function asciiSubject(text: string): string {
  const ascii = oneLine(text.replace(/→/g, '->'), 1000).replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= MAX_SUBJECT_CHARS ? ascii : `${ascii.slice(0, MAX_SUBJECT_CHARS - 3)}...`;
}

function compose(input: {
  kind: AlertKind;
  scan: AlertScan;
  target: string;
  headline: string;
  intro?: string;
  lines: Line[];
  dashboardUrl: string;
  changes: number;
}): AlertMessage {
  const link = scanLink(input.dashboardUrl, input.scan.id);
  const shown = input.lines.slice(0, MAX_ALERT_LINES);
  const more = input.lines.length - shown.length;
  const moreLine = more > 0 ? `… and ${more} more: see the scan in the dashboard.` : undefined;
  const plain = [
    `trailcheck: ${input.headline}`,
    ...(input.intro !== undefined ? [input.intro] : []),
    ...(shown.length > 0 ? ['', ...shown.map((l) => `- ${l.plain}`)] : []),
    ...(moreLine ? [moreLine] : []),
    '',
    `Scan ${input.scan.id}${input.scan.finishedAt ? `, finished ${input.scan.finishedAt}` : ''}: ${link}`,
  ].join('\n');
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${slackEscape(input.headline)}*${input.intro !== undefined ? `\n${slackEscape(input.intro)}` : ''}`,
      },
    },
  ];
  let section = '';
  const flush = () => {
    if (section !== '') blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section } });
    section = '';
  };
  for (const line of shown) {
    const item = `• ${line.slack}`.slice(0, SLACK_SECTION_CHARS);
    if (section !== '' && section.length + 1 + item.length > SLACK_SECTION_CHARS) flush();
    section = section === '' ? item : `${section}\n${item}`;
  }
  flush();
  if (moreLine) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackEscape(moreLine) } });
  // The link's own `|` or `>` would end Slack's <url|label>: percent-encode them.
  const slackLink = link.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `<${slackLink}|Open the scan in the trailcheck dashboard>` }],
  });
  return {
    kind: input.kind,
    scanId: input.scan.id,
    target: input.target,
    subject: asciiSubject(`trailcheck: ${input.headline}`),
    text: plain,
    slack: { text: `trailcheck: ${slackEscape(input.headline)} <${slackLink}|(open)>`, blocks },
    link,
    changes: input.changes,
  };
}

function findingsWord(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What changed between the last assessment of a target and this one, as alerts: one message for what
 * got worse, one for what got better (either may be absent). `assessedAgain` says the scans between
 * them failed, so the recovery message says the target can be assessed again even if nothing changed.
 */
export function changeAlerts(
  previous: JsonReport,
  current: JsonReport,
  scan: AlertScan,
  dashboardUrl: string,
  assessedAgain = false,
): AlertMessage[] {
  const diff = diffReports(previous, current);
  const target = targetOf(current);
  const account = current.account;
  // A suppressed finding is an accepted risk: its failing is no news.
  const worse = [
    ...diff.newlyFailing.filter((c) => !c.suppressed),
    ...diff.newlyUnknown.filter((c) => !c.suppressed),
    ...goneDark(diff),
  ];
  const darkAccounts = diff.accounts?.newlyNotAssessed ?? [];
  const better = diff.fixed;
  const backAccounts = diff.accounts?.nowAssessed ?? [];
  const messages: AlertMessage[] = [];

  if (worse.length > 0 || darkAccounts.length > 0) {
    const parts: string[] = [];
    if (worse.length > 0) parts.push(findingsWord(worse.length, 'finding got worse', 'findings got worse'));
    if (darkAccounts.length > 0)
      parts.push(
        findingsWord(darkAccounts.length, 'account could not be assessed', 'accounts could not be assessed'),
      );
    const lines: Line[] = [
      ...darkAccounts.map((a) => {
        const name = accountName(a);
        const reason = a.reason ?? 'no reason given';
        return {
          plain: oneLine(`${name.plain} could not be assessed: ${reason}`, MAX_LINE_CHARS),
          slack: `${name.slack} could not be assessed: ${slackEscape(reason)}`,
        };
      }),
      ...worse.map((c) => changeLine(c, account, true)),
    ];
    messages.push(
      compose({
        kind: 'regressed',
        scan,
        target,
        headline: `${parts.join(', ')} in ${target}`,
        lines,
        dashboardUrl,
        changes: worse.length + darkAccounts.length,
      }),
    );
  }

  if (better.length > 0 || backAccounts.length > 0 || assessedAgain) {
    const parts: string[] = [];
    if (assessedAgain) parts.push(`${target} can be assessed again`);
    if (better.length > 0) parts.push(findingsWord(better.length, 'finding recovered', 'findings recovered'));
    if (backAccounts.length > 0)
      parts.push(
        findingsWord(backAccounts.length, 'account is assessed again', 'accounts are assessed again'),
      );
    const lines: Line[] = [
      ...backAccounts.map((a) => {
        const name = accountName(a);
        return { plain: `${name.plain} is assessed again`, slack: `${name.slack} is assessed again` };
      }),
      ...better.map((c) => changeLine(c, account, false)),
    ];
    const headline = assessedAgain ? parts.join('; ') : `${parts.join(', ')} in ${target}`;
    messages.push(
      compose({
        kind: 'recovered',
        scan,
        target,
        headline,
        ...(assessedAgain && better.length === 0 && worse.length === 0 && darkAccounts.length === 0
          ? { intro: 'Nothing changed since its last assessment.' }
          : {}),
        lines,
        dashboardUrl,
        changes: better.length + backAccounts.length + (assessedAgain ? 1 : 0),
      }),
    );
  }
  return messages;
}

export interface AlertInput {
  /** The scan just finished, done or failed. */
  scan: AlertScan;
  /** Its report, when it is done. */
  report?: JsonReport | undefined;
  /** The last finished scan (done or failed) of the same request before it (Store.previousFinished). */
  previousFinished?: AlertScan | undefined;
  /** The report of the last done scan of the same target and request (Store.previousDone). */
  previousReport?: JsonReport | undefined;
  dashboardUrl: string;
}

/** Every alert a finished scan gives rise to (often none). */
export function alertsForScan(input: AlertInput): AlertMessage[] {
  const { scan, previousFinished } = input;
  if (scan.status === 'failed') {
    // Announced when the target stops being assessable, not at every failed attempt after.
    if (previousFinished?.status !== 'done') return [];
    const target = previousFinished.subject ?? 'the target';
    const reason = oneLine(scan.error ?? 'no reason given', 600);
    const named = /^o-/.test(target)
      ? `organization ${target}`
      : /^\d{12}$/.test(target)
        ? `account ${target}`
        : target;
    return [
      compose({
        kind: 'unassessable',
        scan,
        target: named,
        headline: `${named} could not be assessed`,
        intro: `The scan failed: ${reason}\nIts last verdicts stand unverified until a scan succeeds; no further alert while it keeps failing.`,
        lines: [],
        dashboardUrl: input.dashboardUrl,
        changes: 1,
      }),
    ];
  }
  if (scan.status !== 'done' || input.report === undefined) return [];
  // The first assessment of a target is the baseline.
  if (input.previousReport === undefined) return [];
  const assessedAgain = previousFinished?.status === 'failed';
  return changeAlerts(input.previousReport, input.report, scan, input.dashboardUrl, assessedAgain);
}
