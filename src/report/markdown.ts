import type { Assessment, ControlResult } from '../evaluate/assess.js';
import type { ControlStatus, Finding } from '../controls/types.js';
import { bottomLine } from './bottom-line.js';
import { controlRef } from '../frameworks/index.js';
import { markdownCode, markdownFence, markdownText } from './escape.js';
import { richToMarkdown } from './render-rich.js';
import { capitalize, countWord, plural } from './rich.js';

const RESULT_LABEL: Record<ControlStatus, string> = {
  PASS: '✅ Passed',
  FAIL: '❌ Failed',
  UNKNOWN: '❔ Could not assess',
  NOT_APPLICABLE: '➖ Not applicable',
};

const RESULT_MARK: Record<ControlStatus, string> = {
  PASS: '✔️',
  FAIL: '❌',
  UNKNOWN: '❔',
  NOT_APPLICABLE: '➖',
};

function controlLabel(result: ControlResult, assessment: Assessment): string {
  return `${controlRef(result.control.id, assessment.framework)} – ${result.control.texts.name}`;
}

function summaryTable(assessment: Assessment): string[] {
  const rows = assessment.results.map(
    (r) =>
      `| **${markdownText(controlLabel(r, assessment))}** | ${RESULT_LABEL[r.status]} | ${richToMarkdown(r.control.texts.meaning(r))} |`,
  );
  return [
    '| What was tested | Result | What it means |',
    '|-----------------|--------|---------------|',
    ...rows,
  ];
}

function resultLines(result: ControlResult): string[] {
  const { texts } = result.control;
  const lines: string[] = [];
  const attention = result.findings.filter((f) => f.status !== 'PASS');
  if (result.status !== 'PASS') lines.push(`   - *What it does:* ${markdownText(texts.whatItDoes)}  `);
  lines.push(`   - *Why it matters:* ${markdownText(texts.whyItMatters)}  `);
  if (result.status === 'NOT_APPLICABLE') {
    lines.push(`   - *Result:* ${richToMarkdown(texts.meaning(result))}`);
    return lines;
  }
  if (result.status === 'PASS') {
    const messages = result.findings.map((f) => richToMarkdown(f.message));
    if (messages.length === 1) lines.push(`   - *Result:* ${messages[0]}`);
    else lines.push('   - *Result:*', ...messages.map((m) => `     - ${m}`));
    return lines;
  }
  const found = attention.map((f) => richToMarkdown(f.message));
  if (found.length === 1) lines.push(`   - *What we found:* ${found[0]}  `);
  else lines.push('   - *What we found:*', ...found.map((m) => `     - ${m}`));
  const steps = attention.flatMap((f) => (f.remediation ? [richToMarkdown(f.remediation.summary)] : []));
  if (steps.length === 1) lines.push(`   - *Next step:* ${steps[0]}`);
  else if (steps.length > 1) lines.push('   - *Next steps:*', ...steps.map((s) => `     - ${s}`));
  const passedToo = result.findings.filter((f) => f.status === 'PASS');
  if (passedToo.length > 0) {
    lines.push(`   - *Already fine:* ${passedToo.map((f) => markdownCode(f.resource.name)).join(', ')}`);
  }
  return lines;
}

function whyItMatters(assessment: Assessment): string[] {
  const out = ['### Why does this matter?', ''];
  assessment.results.forEach((result, index) => {
    out.push(
      `${index + 1}. **${markdownText(result.control.texts.name)} (${RESULT_MARK[result.status]})**  `,
    );
    out.push(...resultLines(result), '');
  });
  return out;
}

function actionItems(assessment: Assessment): Array<{ result: ControlResult; finding: Finding }> {
  return assessment.results.flatMap((result) =>
    result.findings
      .filter((f) => f.status !== 'PASS' && f.remediation)
      .map((finding) => ({ result, finding })),
  );
}

function actionPlan(assessment: Assessment): string[] {
  const items = actionItems(assessment);
  if (items.length === 0)
    return ['### Quick action plan', '', 'Nothing to fix: every check that could be assessed passed.', ''];
  const out = [
    '### Quick action plan',
    '',
    '| Issue | Immediate Fix | Why it’s the right move |',
    '|-------|--------------|------------------------|',
  ];
  for (const { result, finding } of items) {
    const issue = `${markdownText(result.control.texts.name)}${result.findings.length > 1 ? ` (${markdownCode(finding.resource.name)})` : ''}`;
    const why =
      finding.status === 'UNKNOWN'
        ? 'Lets trailcheck give a real verdict instead of a blind spot'
        : result.control.texts.whyFix;
    out.push(`| ${issue} | ${richToMarkdown(finding.remediation?.summary ?? [])} | ${markdownText(why)} |`);
  }
  out.push('');
  const withCommands = items.filter(({ finding }) => (finding.remediation?.cli.length ?? 0) > 0);
  if (withCommands.length > 0) {
    out.push('<details><summary>Commands (AWS CLI)</summary>', '');
    for (const { result, finding } of withCommands) {
      out.push(
        `**${markdownText(controlRef(result.control.id, assessment.framework))} – ${markdownCode(finding.resource.name)}**`,
        '',
      );
      out.push(markdownFence(finding.remediation?.cli ?? [], 'sh'), '');
    }
    out.push('</details>', '');
  }
  return out;
}

function bottomLineSection(assessment: Assessment): string[] {
  const line = bottomLine(assessment);
  const out = ['### Bottom line', ''];
  out.push(`- **Assessment ran successfully** (\`pretty_result\`: “${line.prettyResult}”).  `);
  out.push(
    line.strengths
      ? `- **${markdownText(line.headline)}** – ${markdownText(line.strengths)}.  `
      : `- **${markdownText(line.headline)}.**  `,
  );
  if (line.failed.length > 0) {
    const n = line.failed.length;
    out.push(
      `- **${capitalize(countWord(n))} ${plural(n, 'check needs', 'checks need')} attention** – ${markdownText(line.attention ?? '')} to close the ${plural(n, 'gap')}.  `,
    );
  }
  if (line.unknown.length > 0) {
    const n = line.unknown.length;
    out.push(
      `- **${capitalize(countWord(n))} ${plural(n, 'check', 'checks')} could not be assessed** – see what stopped ${n === 1 ? 'it' : 'them'} above.  `,
    );
  }
  out.push('', markdownText(line.closing));
  return out;
}

function evidenceSection(assessment: Assessment): string[] {
  const out = [
    '### Evidence',
    '',
    '| Check | Resource | Result | API facts |',
    '|-------|----------|--------|-----------|',
  ];
  for (const finding of assessment.findings) {
    const facts = finding.evidence
      .map((e) => {
        const body = e.error ? `error ${e.error.code}: ${e.error.message}` : JSON.stringify(e.facts ?? {});
        return `${markdownText(e.source)} (${markdownText(e.region)}): ${markdownCode(body)}`;
      })
      .join('<br>');
    out.push(
      `| ${markdownText(controlRef(finding.control, assessment.framework))} | ${markdownCode(finding.resource.id)} | ${finding.status} | ${facts} |`,
    );
  }
  return out;
}

function scopeLine(assessment: Assessment): string {
  const regions = assessment.regions;
  const regionText = regions.length <= 3 ? regions.join(', ') : `${regions.length} Regions`;
  return `Account ${markdownCode(assessment.account.id)} · ${markdownText(regionText)} scanned · evidence collected ${markdownText(
    assessment.finishedAt
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')
      .replace(/Z$/, ' UTC'),
  )} · ${assessment.tool.name} ${assessment.tool.version}`;
}

/** The seed report's structure, generated from an assessment. */
export function renderMarkdown(assessment: Assessment): string {
  const title = assessment.framework ? ` (${assessment.framework.title})` : '';
  const out: string[] = [
    `**Security Assessment Summary – CloudTrail${markdownText(title)}**`,
    '',
    scopeLine(assessment),
    '',
  ];
  if (assessment.notes.length > 0) {
    out.push(...assessment.notes.map((n) => `> ⚠️ ${markdownText(n)}`), '');
  }
  out.push(...summaryTable(assessment), '', '---', '');
  out.push(...whyItMatters(assessment), '---', '');
  out.push(...actionPlan(assessment), '---', '');
  out.push(...bottomLineSection(assessment), '', '---', '');
  out.push(...evidenceSection(assessment));
  return `${out.join('\n')}\n`;
}
