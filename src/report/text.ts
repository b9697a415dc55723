import type { Finding, Status } from '../controls/types.js';
import type { Report } from './model.js';
import { bottomLine } from './bottom-line.js';
import { planOrder } from './json.js';
import { controlRef } from '../frameworks/index.js';
import { terminalSafe } from '../core/escape.js';
import type { RenderOptions } from './options.js';
import { DEFAULT_RENDER_OPTIONS } from './options.js';
import type { DisplayStatus } from './outcome.js';
import { displayStatus, tally } from './outcome.js';
import { richToTerminal } from '../core/render-rich.js';
import { executiveSummary } from './executive.js';
import { byUrgency, groupFindings, regionPhrase, scannedPhrase } from './groups.js';
import {
  accountCount,
  accountsNeedingAttention,
  elsewherePhrase,
  findingAccount,
  organizationSummary,
  planLength,
  weightPhrase,
} from './accounts.js';

/** At most this many accounts are listed as needing attention; the rest are counted. */
const MAX_ACCOUNTS_LISTED = 20;

/** The organization's summary and its accounts that need attention, worst first (nothing for one account). */
function organizationLines(report: Report, listed: number): string[] {
  if (!report.organization) return [];
  const out = organizationSummary(report).map(terminalSafe);
  const attention = accountsNeedingAttention(report);
  if (attention.length === 0) return [...out, 'No account needs attention.', ''];
  out.push('', `Accounts that need attention, worst first (${attention.length}):`);
  for (const w of attention.slice(0, listed))
    out.push(
      `  ${terminalSafe(w.account.id)} ${terminalSafe(w.account.name)}  ${terminalSafe(weightPhrase(w))}`,
    );
  if (attention.length > listed) out.push(`  … and ${attention.length - listed} more`);
  out.push('');
  return out;
}

const CONTROL_TAG: Record<DisplayStatus, string> = {
  PASS: 'PASS',
  FAIL: 'FAIL',
  UNKNOWN: 'UNKNOWN',
  NOT_APPLICABLE: 'N/A',
  SUPPRESSED: 'SUPPRESSED',
};

const FINDING_TAG: Record<Status, string> = { PASS: 'PASS', FAIL: 'FAIL', UNKNOWN: 'UNKNOWN' };

/** SGR codes; every span is closed with a reset so nothing leaks past it. */
const SGR = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  magenta: '35',
  cyan: '36',
} as const;
type Style = keyof typeof SGR;

const STATUS_STYLE: Record<DisplayStatus, Style> = {
  PASS: 'green',
  FAIL: 'red',
  UNKNOWN: 'yellow',
  NOT_APPLICABLE: 'dim',
  SUPPRESSED: 'magenta',
};

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function resourceCounts(findings: readonly Finding[]): string {
  const counts = tally(findings);
  const parts: string[] = [];
  if (counts.FAIL > 0) parts.push(`${counts.FAIL} failed`);
  if (counts.UNKNOWN > 0) parts.push(`${counts.UNKNOWN} unknown`);
  if (counts.SUPPRESSED > 0) parts.push(`${counts.SUPPRESSED} suppressed`);
  if (counts.PASS > 0) parts.push(`${counts.PASS} passed`);
  return parts.length === 0 ? 'nothing to assess' : parts.join(', ');
}

/** The facts of one API answer on one line: `Name=x IsLogging=true`; an error names its code and the permission. */
export function evidenceBody(e: Finding['evidence'][number]): string {
  if (e.error) return `error ${e.error.code}${e.error.permission ? ` (needs ${e.error.permission})` : ''}`;
  const facts = Object.entries(e.facts ?? {})
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  // An answer with no fields still says something: that nothing is configured.
  return facts === '' ? '(no configuration)' : facts;
}

/**
 * The evidence of a group, one line per distinct answer: the same answer from many Regions is one line
 * naming how many ("cloudtrail:DescribeTrails (19 Regions): TrailARNs=[]").
 */
function evidenceLines(findings: readonly Finding[], scanned: readonly string[]): string[] {
  const lines = new Map<string, { source: string; body: string; regions: string[] }>();
  for (const e of findings.flatMap((f) => f.evidence)) {
    const body = evidenceBody(e);
    const key = `${e.source}\u0000${body}`;
    const line = lines.get(key) ?? { source: e.source, body, regions: [] };
    if (!line.regions.includes(e.region)) line.regions.push(e.region);
    lines.set(key, line);
  }
  return [...lines.values()].map(({ source, body, regions }) => {
    const where =
      regions.length === 1
        ? (regions[0] ?? '')
        : regionPhrase(regions, scanned).replace(/^in /, '').replace(/: .*$/, '');
    return `${source} (${where}): ${body}`;
  });
}

/** The executive form: the score, what is wrong in plain sentences, the next steps; nothing else. */
function executiveText(report: Report): string[] {
  const summary = executiveSummary(report);
  const out = [
    `Score: ${summary.score === null ? 'none (nothing could be assessed)' : `${summary.score} out of 100`}`,
    '',
  ];
  // An organization's executive view: its score, then its worst accounts instead of every sentence.
  if (report.organization) out.push(...organizationLines(report, 5).slice(0, -1));
  else out.push(...summary.sentences.map(terminalSafe));
  if (summary.steps.length > 0) {
    out.push('', 'Next steps:');
    summary.steps.forEach((step, index) => out.push(`  ${index + 1}. ${terminalSafe(step)}`));
  }
  return out;
}

/**
 * The terminal summary: a compact table (one row per control), what needs attention with the next step,
 * and the bottom line. The engineer form adds the evidence and the commands; colour only when asked.
 */
export function renderText(assessment: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS): string {
  const paint = (style: Style, text: string) => (options.color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const engineer = options.audience === 'engineer';
  const line = bottomLine(assessment);
  const out: string[] = [];
  const regions = scannedPhrase(assessment.regions);
  const against = assessment.framework ? ` against ${assessment.framework.title}` : '';
  const org = assessment.organization;
  const of = org
    ? `organization ${terminalSafe(org.info.Id)} (${accountCount(org.accounts.length)}, Regions ${terminalSafe(assessment.regions.join(', '))})`
    : `account ${terminalSafe(assessment.account.id)} (${terminalSafe(regions)})`;
  out.push(
    paint(
      'bold',
      `${assessment.tool.name} ${assessment.tool.version} – CloudTrail assessment${against} of ${of}`,
    ),
  );
  for (const note of assessment.notes) out.push(paint('yellow', `! ${terminalSafe(note)}`));
  out.push('');
  if (!engineer) return `${[...out, ...executiveText(assessment)].join('\n')}\n`;
  out.push(...organizationLines(assessment, MAX_ACCOUNTS_LISTED));

  const ref = (id: string) => controlRef(id, assessment.framework);
  const rows = assessment.results.map((r) => {
    const status = displayStatus(r);
    return {
      status,
      cells: [
        CONTROL_TAG[status],
        ref(r.control.id),
        r.control.severity,
        r.control.texts.name,
        resourceCounts(r.findings),
      ],
    };
  });
  const header = ['RESULT', 'CONTROL', 'SEVERITY', 'CHECK', 'RESOURCES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const format = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0))).join('  ')}`;
  out.push(paint('dim', format(header)));
  rows.forEach((row, index) => {
    const [tag = '', ...rest] = row.cells;
    // Pad first, then colour, so escape codes do not upset the columns.
    out.push(format([paint(STATUS_STYLE[row.status], pad(tag, widths[0] ?? 0)), ...rest]));
    for (const e of assessment.results[index]?.elsewhere ?? [])
      out.push(paint('dim', `      ${terminalSafe(elsewherePhrase(e))}`));
  });

  const attention = groupFindings(assessment.findings.filter((f) => f.status !== 'PASS')).sort(byUrgency);
  if (attention.length > 0) {
    out.push('', paint('bold', 'Needs attention:'));
    for (const group of attention) {
      const { finding } = group;
      const style: Style = finding.suppressed ? 'magenta' : finding.status === 'FAIL' ? 'red' : 'yellow';
      const tag = finding.suppressed
        ? `${FINDING_TAG[finding.status]}, suppressed`
        : FINDING_TAG[finding.status];
      const where = regionPhrase(group.regions, assessment.regions);
      // A Region-level finding is named by its Region: saying it twice adds nothing.
      const named = group.findings.every((f) => f.resource.name === f.resource.region)
        ? where
        : `${finding.resource.name} (${where})`;
      const account = findingAccount(assessment, finding);
      // An account-level finding's resource is the account itself: its name once is enough.
      const subject =
        account === undefined
          ? named
          : finding.resource.name === finding.account
            ? `account ${account}, ${where}`
            : `account ${account}: ${named}`;
      out.push(
        '',
        `  ${paint(style, tag)} ${ref(finding.control)} (${finding.severity})  ${terminalSafe(subject)}`,
      );
      out.push(`    ${richToTerminal(group.message)}`);
      if (finding.suppressed) {
        out.push(
          paint(
            'magenta',
            `    Suppressed until ${finding.suppressed.expires}: ${terminalSafe(finding.suppressed.reason)} (${terminalSafe(finding.suppressed.source)})`,
          ),
        );
      }
      if (finding.remediation) {
        const order = planOrder(assessment, finding);
        const place =
          order !== undefined ? ` (${order} of ${planLength(assessment, finding)} in the plan)` : '';
        out.push(`    Next step${place}: ${richToTerminal(finding.remediation.summary)}`);
        if (engineer) {
          for (const command of finding.remediation.cli)
            out.push(paint('cyan', `      $ ${terminalSafe(command)}`));
          if (finding.remediation.permissions && finding.remediation.permissions.length > 0) {
            out.push(
              `    Permissions to grant: ${finding.remediation.permissions.map(terminalSafe).join(', ')}`,
            );
          }
        }
      }
      if (engineer) {
        for (const evidence of evidenceLines(group.findings, assessment.regions))
          out.push(paint('dim', `    Evidence: ${terminalSafe(evidence)}`));
      }
    }
  }
  out.push('');
  const counts = [`${line.passed.length} passed`, `${line.failed.length} failed`];
  if (line.unknown.length > 0) counts.push(`${line.unknown.length} could not be assessed`);
  if (line.suppressed.length > 0) counts.push(`${line.suppressed.length} suppressed`);
  if (line.notApplicable.length > 0) counts.push(`${line.notApplicable.length} not applicable`);
  out.push(paint('bold', `${line.headline} (${counts.join(', ')}).`));
  return `${out.join('\n')}\n`;
}
