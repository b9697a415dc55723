import type { Assessment } from '../evaluate/assess.js';
import type { ControlStatus, Status } from '../controls/types.js';
import { bottomLine } from './bottom-line.js';
import { controlRef } from '../frameworks/index.js';
import { terminalSafe } from './escape.js';
import { richToTerminal } from './render-rich.js';

const TAG: Record<ControlStatus, string> = {
  PASS: 'PASS   ',
  FAIL: 'FAIL   ',
  UNKNOWN: 'UNKNOWN',
  NOT_APPLICABLE: 'N/A    ',
};

const FINDING_TAG: Record<Status, string> = { PASS: 'PASS', FAIL: 'FAIL', UNKNOWN: 'UNKNOWN' };

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** A compact plain-text summary for the terminal (and logs): one line per control, then what to do. */
export function renderText(assessment: Assessment): string {
  const line = bottomLine(assessment);
  const out: string[] = [];
  const regions =
    assessment.regions.length <= 3 ? assessment.regions.join(', ') : `${assessment.regions.length} Regions`;
  const against = assessment.framework ? ` against ${assessment.framework.title}` : '';
  out.push(
    `${assessment.tool.name} ${assessment.tool.version} – CloudTrail assessment${against} of account ${terminalSafe(assessment.account.id)} (${terminalSafe(regions)})`,
  );
  for (const note of assessment.notes) out.push(`! ${terminalSafe(note)}`);
  out.push('');
  const ref = (id: string) => controlRef(id, assessment.framework);
  const idWidth = Math.max(...assessment.results.map((r) => ref(r.control.id).length), 4);
  const nameWidth = Math.max(...assessment.results.map((r) => r.control.texts.name.length), 4);
  for (const result of assessment.results) {
    out.push(
      `  ${TAG[result.status]}  ${pad(ref(result.control.id), idWidth)}  ${pad(result.control.texts.name, nameWidth)}  ${richToTerminal(result.control.texts.meaning(result))}`,
    );
  }
  const attention = assessment.findings.filter((f) => f.status !== 'PASS');
  if (attention.length > 0) {
    out.push('', 'Needs attention:');
    for (const finding of attention) {
      out.push(
        '',
        `  ${FINDING_TAG[finding.status]} ${ref(finding.control)}  ${terminalSafe(finding.resource.name)} (${terminalSafe(finding.resource.region)})`,
      );
      out.push(`    ${richToTerminal(finding.message)}`);
      if (finding.remediation) {
        out.push(`    Next step: ${richToTerminal(finding.remediation.summary)}`);
        for (const command of finding.remediation.cli) out.push(`      $ ${terminalSafe(command)}`);
      }
    }
  }
  out.push('');
  const tally = [`${line.passed.length} passed`, `${line.failed.length} failed`];
  if (line.unknown.length > 0) tally.push(`${line.unknown.length} could not be assessed`);
  if (line.notApplicable.length > 0) tally.push(`${line.notApplicable.length} not applicable`);
  out.push(`${line.headline} (${tally.join(', ')}). ${line.prettyResult}`);
  return `${out.join('\n')}\n`;
}
