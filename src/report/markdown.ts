import type { Assessment, ControlResult } from '../judge/assess.js';
import type { Report } from './model.js';
import type { Finding } from '../controls/types.js';
import { bottomLine } from './bottom-line.js';
import { executiveSummary } from './executive.js';
import {
  byUrgency,
  groupFindings,
  groupedActionItems,
  issueWhere,
  regionPhrase,
  scannedPhrase,
} from './groups.js';
import { controlRef } from '../frameworks/index.js';
import { markdownCode, markdownFence, markdownText } from '../core/escape.js';
import type { RenderOptions } from './options.js';
import { DEFAULT_RENDER_OPTIONS } from './options.js';
import type { DisplayStatus } from './outcome.js';
import { displayStatus, isOpen } from './outcome.js';
import { richToMarkdown } from '../core/render-rich.js';
import { capitalize, countWord, plural } from '../core/rich.js';
import {
  accountCount,
  controlMeaning,
  accountsNeedingAttention,
  elsewherePhrase,
  findingAccount,
  organizationSummary,
  weightPhrase,
} from './accounts.js';

/** "**account 111122223333 (prod)**: " before a finding of an organization's report; nothing otherwise. */
function accountPrefix(report: Report, finding: Finding): string {
  const account = findingAccount(report, finding);
  return account === undefined ? '' : `**account ${markdownText(account)}**: `;
}

/** The organization's summary and its accounts that need attention, worst first (nothing for one account). */
function organizationSection(report: Report, listed: number): string[] {
  if (!report.organization) return [];
  const out = ['### Organization', '', ...organizationSummary(report).map((l) => `${markdownText(l)}  `), ''];
  const attention = accountsNeedingAttention(report);
  if (attention.length === 0) return [...out, 'No account needs attention.', ''];
  out.push(
    `**Accounts that need attention, worst first (${attention.length})**`,
    '',
    '| Account | Name | What is open |',
    '|---------|------|--------------|',
  );
  for (const w of attention.slice(0, listed))
    out.push(
      `| ${markdownCode(w.account.id)} | ${markdownText(w.account.name)} | ${markdownText(weightPhrase(w))} |`,
    );
  if (attention.length > listed) out.push('', `… and ${attention.length - listed} more.`);
  out.push('');
  return out;
}

const RESULT_LABEL: Record<DisplayStatus, string> = {
  PASS: '✅ Passed',
  FAIL: '❌ Failed',
  UNKNOWN: '❔ Could not assess',
  NOT_APPLICABLE: '➖ Not applicable',
  SUPPRESSED: '🔕 Accepted risk (suppressed)',
};

const RESULT_MARK: Record<DisplayStatus, string> = {
  PASS: '✔️',
  FAIL: '❌',
  UNKNOWN: '❔',
  NOT_APPLICABLE: '➖',
  SUPPRESSED: '🔕',
};

function suppressionNote(finding: Finding): string {
  const s = finding.suppressed;
  return s
    ? ` *(suppressed until ${markdownText(s.expires)}: ${markdownText(s.reason)} – ${markdownText(s.source)})*`
    : '';
}

function controlLabel(result: ControlResult, assessment: Assessment): string {
  return `${controlRef(result.control.id, assessment.framework)} – ${result.control.texts.name}`;
}

function summaryTable(assessment: Report): string[] {
  const rows = assessment.results.map(
    (r) =>
      `| **${markdownText(controlLabel(r, assessment))}** | ${RESULT_LABEL[displayStatus(r)]} | ${richToMarkdown(controlMeaning(assessment, r))} |`,
  );
  return [
    '| What was tested | Result | What it means |',
    '|-----------------|--------|---------------|',
    ...rows,
  ];
}

function resultLines(result: ControlResult, report: Report): string[] {
  const scanned = report.regions;
  const { texts } = result.control;
  const lines: string[] = [];
  const elsewhere = (result.elsewhere ?? []).map((e) => markdownText(elsewherePhrase(e)));
  if (elsewhere.length === 1) lines.push(`   - *Judged elsewhere:* ${elsewhere[0]}  `);
  else if (elsewhere.length > 1)
    lines.push('   - *Judged elsewhere:*', ...elsewhere.map((e) => `     - ${e}  `));
  const attention = result.findings.filter((f) => f.status !== 'PASS');
  if (result.status !== 'PASS') lines.push(`   - *What it does:* ${markdownText(texts.whatItDoes)}  `);
  lines.push(`   - *Why it matters:* ${markdownText(texts.whyItMatters)}  `);
  if (result.status === 'NOT_APPLICABLE') {
    lines.push(`   - *Result:* ${richToMarkdown(controlMeaning(report, result))}`);
    return lines;
  }
  if (result.status === 'PASS') {
    const messages = result.findings.map((f) => accountPrefix(report, f) + richToMarkdown(f.message));
    if (messages.length === 1) lines.push(`   - *Result:* ${messages[0]}`);
    else lines.push('   - *Result:*', ...messages.map((m) => `     - ${m}`));
    return lines;
  }
  const groups = groupFindings(attention).sort(byUrgency);
  const found = groups.map(
    (g) =>
      accountPrefix(report, g.finding) +
      richToMarkdown(g.message) +
      (g.regions.length > 1 ? ` (${markdownText(regionPhrase(g.regions, scanned))})` : '') +
      suppressionNote(g.finding),
  );
  if (found.length === 1) lines.push(`   - *What we found:* ${found[0]}  `);
  else lines.push('   - *What we found:*', ...found.map((m) => `     - ${m}`));
  const steps = [
    ...new Set(
      groups
        .filter((g) => isOpen(g.finding))
        .flatMap((g) => (g.finding.remediation ? [richToMarkdown(g.finding.remediation.summary)] : [])),
    ),
  ];
  if (steps.length === 1) lines.push(`   - *Next step:* ${steps[0]}`);
  else if (steps.length > 1) lines.push('   - *Next steps:*', ...steps.map((s) => `     - ${s}`));
  const passedToo = result.findings.filter((f) => f.status === 'PASS');
  if (passedToo.length > 0) {
    const named = (f: Finding) => {
      const account = findingAccount(report, f);
      return account === undefined
        ? markdownCode(f.resource.name)
        : `${markdownCode(f.resource.name)} (account ${markdownText(account)})`;
    };
    lines.push(`   - *Already fine:* ${passedToo.map(named).join(', ')}`);
  }
  return lines;
}

function whyItMatters(assessment: Report): string[] {
  const out = ['### Why does this matter?', ''];
  assessment.results.forEach((result, index) => {
    out.push(
      `${index + 1}. **${markdownText(result.control.texts.name)} (${RESULT_MARK[displayStatus(result)]})**  `,
    );
    out.push(...resultLines(result, assessment), '');
  });
  return out;
}

/** Open findings with a next step, in the action plan's order (what must come first, then severity, then effort). */
function actionPlan(assessment: Report, withCommands: boolean): string[] {
  const items = groupedActionItems(assessment);
  if (items.length === 0) {
    const accepted = assessment.findings.some((f) => f.suppressed);
    return [
      '### Quick action plan',
      '',
      accepted
        ? 'Nothing to fix now: every gap left is an accepted risk (see below).'
        : 'Nothing to fix: every check that could be assessed passed.',
      '',
    ];
  }
  const out = [
    '### Quick action plan',
    '',
    '| Issue | Immediate Fix | Why it’s the right move |',
    '|-------|--------------|------------------------|',
  ];
  for (const { result, finding, group } of items) {
    const account = findingAccount(assessment, finding);
    const issue = `${account !== undefined ? `Account ${markdownText(account)}: ` : ''}${markdownText(result.control.texts.name)}${issueWhere(result, group, assessment.regions, markdownCode, markdownText)}`;
    const why =
      finding.status === 'UNKNOWN'
        ? 'Lets trailcheck give a real verdict instead of a blind spot'
        : result.control.texts.whyFix;
    out.push(`| ${issue} | ${richToMarkdown(finding.remediation?.summary ?? [])} | ${markdownText(why)} |`);
  }
  out.push('');
  // One command block per step of the plan, even when it closes several findings.
  const blocks = new Map<string, typeof items>();
  for (const item of withCommands ? items : []) {
    if ((item.finding.remediation?.cli.length ?? 0) === 0) continue;
    // Each account has its own plan: its steps are numbered within it.
    const step = item.order === Number.MAX_SAFE_INTEGER ? `-${blocks.size + 1}` : `${item.order}`;
    const key = `${item.finding.account ?? ''}\u0000${step}`;
    blocks.set(key, [...(blocks.get(key) ?? []), item]);
  }
  if (blocks.size > 0) {
    out.push('<details><summary>Commands (AWS CLI), in the order to run them</summary>', '');
    for (const group of blocks.values()) {
      const titles = group.map(
        ({ result, finding, group: found }) =>
          `${markdownText(controlRef(result.control.id, assessment.framework))} – ${accountPrefix(assessment, finding)}${found.regions.length > 1 ? markdownText(regionPhrase(found.regions, assessment.regions)) : markdownCode(finding.resource.name)}`,
      );
      out.push(`**${titles.join(', ')}**`, '');
      out.push(markdownFence(group[0]?.finding.remediation?.cli ?? [], 'sh'), '');
    }
    out.push(
      '`trailcheck fix` makes the same calls and undoes them if one fails; `trailcheck plan --format terraform` (or `cloudformation`) gives the same change as code.',
      '',
      '</details>',
      '',
    );
  }
  return out;
}

function acceptedRisks(assessment: Report): string[] {
  const accepted = assessment.findings.filter((f) => f.suppressed);
  if (accepted.length === 0) return [];
  const out = [
    '### Accepted risks (suppressed)',
    '',
    '| Check | Resource | Result | Reason | Until | Declared in |',
    '|-------|----------|--------|--------|-------|-------------|',
  ];
  for (const f of accepted) {
    const s = f.suppressed;
    if (!s) continue;
    out.push(
      `| ${markdownText(f.control)} | ${accountPrefix(assessment, f)}${markdownCode(f.resource.name)} | ${f.status} | ${markdownText(s.reason)} | ${markdownText(s.expires)} | ${markdownText(s.source)} |`,
    );
  }
  out.push('', '---', '');
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
  if (line.suppressed.length > 0) {
    const n = line.suppressed.length;
    out.push(
      `- **${capitalize(countWord(n))} ${plural(n, 'check is an accepted risk', 'checks are accepted risks')}** – suppressed until the dates above.  `,
    );
  }
  out.push('', markdownText(line.closing));
  return out;
}

function evidenceSection(assessment: Report): string[] {
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
      `| ${markdownText(controlRef(finding.control, assessment.framework))} | ${accountPrefix(assessment, finding)}${markdownCode(finding.resource.id)} | ${finding.status}${finding.suppressed ? ' (suppressed)' : ''} | ${facts} |`,
    );
  }
  return out;
}

function scopeLine(assessment: Report): string {
  const regionText = scannedPhrase(assessment.regions);
  const org = assessment.organization;
  const scope = org
    ? `Organization ${markdownCode(org.info.Id)} (${accountCount(org.accounts.length)}, Regions ${markdownText(assessment.regions.join(', '))})`
    : `Account ${markdownCode(assessment.account.id)} · ${markdownText(regionText)} scanned`;
  return `${scope} · evidence collected ${markdownText(
    assessment.finishedAt
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')
      .replace(/Z$/, ' UTC'),
  )} · ${assessment.tool.name} ${assessment.tool.version}`;
}

/** The executive form: the score, what is wrong in plain sentences, the next steps; nothing else. */
function executiveMarkdown(report: Report): string[] {
  const summary = executiveSummary(report);
  const out = [
    `**Score: ${summary.score === null ? 'none (nothing could be assessed)' : `${summary.score} out of 100`}**`,
    '',
    // An organization's executive view: its score, then its worst accounts instead of every sentence.
    ...(report.organization
      ? organizationSection(report, 5).slice(0, -1)
      : [summary.sentences.map(markdownText).join(' ')]),
  ];
  if (summary.steps.length > 0) {
    out.push('', '### Next steps', '');
    summary.steps.forEach((step, index) => out.push(`${index + 1}. ${markdownText(step)}`));
  }
  return out;
}

/**
 * The seed report's structure, generated from an assessment. The executive form stops at the bottom
 * line; the engineer form adds the commands and the evidence.
 */
export function renderMarkdown(assessment: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS): string {
  const engineer = options.audience === 'engineer';
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
  if (!engineer) return `${[...out, ...executiveMarkdown(assessment)].join('\n')}\n`;
  out.push(...organizationSection(assessment, 20));
  out.push(...summaryTable(assessment), '', '---', '');
  out.push(...whyItMatters(assessment), '---', '');
  out.push(...actionPlan(assessment, engineer), '---', '');
  out.push(...acceptedRisks(assessment));
  out.push(...bottomLineSection(assessment));
  if (engineer) out.push('', '---', '', ...evidenceSection(assessment));
  return `${out.join('\n')}\n`;
}
