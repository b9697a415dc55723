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

/** Compact facts for one line: `Name=x IsLogging=true`; an error names its code and the permission. */
function evidenceLine(finding: Finding): string[] {
  return finding.evidence.map((e) => {
    const body = e.error
      ? `error ${e.error.code}${e.error.permission ? ` (needs ${e.error.permission})` : ''}`
      : Object.entries(e.facts ?? {})
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(' ');
    return `${e.source} (${e.region}): ${body}`;
  });
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
  const regions =
    assessment.regions.length <= 3 ? assessment.regions.join(', ') : `${assessment.regions.length} Regions`;
  const against = assessment.framework ? ` against ${assessment.framework.title}` : '';
  out.push(
    paint(
      'bold',
      `${assessment.tool.name} ${assessment.tool.version} – CloudTrail assessment${against} of account ${terminalSafe(assessment.account.id)} (${terminalSafe(regions)})`,
    ),
  );
  for (const note of assessment.notes) out.push(paint('yellow', `! ${terminalSafe(note)}`));
  out.push('');

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
  for (const row of rows) {
    const [tag = '', ...rest] = row.cells;
    // Pad first, then colour, so escape codes do not upset the columns.
    out.push(format([paint(STATUS_STYLE[row.status], pad(tag, widths[0] ?? 0)), ...rest]));
  }

  const attention = assessment.findings.filter((f) => f.status !== 'PASS');
  if (attention.length > 0) {
    out.push('', paint('bold', 'Needs attention:'));
    for (const finding of attention) {
      const style: Style = finding.suppressed ? 'magenta' : finding.status === 'FAIL' ? 'red' : 'yellow';
      const tag = finding.suppressed
        ? `${FINDING_TAG[finding.status]}, suppressed`
        : FINDING_TAG[finding.status];
      out.push(
        '',
        `  ${paint(style, tag)} ${ref(finding.control)} (${finding.severity})  ${terminalSafe(finding.resource.name)} (${terminalSafe(finding.resource.region)})`,
      );
      out.push(`    ${richToTerminal(finding.message)}`);
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
          order !== undefined ? ` (${order} of ${assessment.plan.actions.length} in the plan)` : '';
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
        for (const evidence of evidenceLine(finding))
          out.push(paint('dim', `    Evidence: ${terminalSafe(evidence)}`));
      }
    }
  }
  out.push('');
  const counts = [`${line.passed.length} passed`, `${line.failed.length} failed`];
  if (line.unknown.length > 0) counts.push(`${line.unknown.length} could not be assessed`);
  if (line.suppressed.length > 0) counts.push(`${line.suppressed.length} suppressed`);
  if (line.notApplicable.length > 0) counts.push(`${line.notApplicable.length} not applicable`);
  out.push(paint('bold', `${line.headline} (${counts.join(', ')}). ${line.prettyResult}`));
  if (!engineer) out.push(terminalSafe(line.closing));
  return `${out.join('\n')}\n`;
}
