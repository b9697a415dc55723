/**
 * The HTML report: one self-contained page (inline CSS, script and SVG; no fetches, so it works offline
 * and as an e-mail attachment) with the seed report's sections, a score, charts by severity and by
 * control, click filters over the findings, evidence folded away, and print-friendly styles.
 *
 * Everything from AWS goes through `html()`/`attr()`; on top of that the page's Content-Security-Policy
 * allows only this file's own style and script (by hash), so injected markup could not run anyway.
 */
import { createHash } from 'node:crypto';
import { controlRef } from '../frameworks/index.js';
import type { Finding, Severity, Status } from '../controls/types.js';
import type { Assessment, ControlResult } from '../judge/assess.js';
import type { Report } from './model.js';
import { bottomLine } from './bottom-line.js';
import {
  byUrgency,
  groupFindings,
  groupedActionItems,
  issueWhere,
  regionPhrase,
  scannedPhrase,
} from './groups.js';
import type { FindingGroup } from './groups.js';
import { executiveSummary } from './executive.js';
import { HTML_ORGANIZATION_STYLE, HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import {
  accountCount,
  controlMeaning,
  accountsNeedingAttention,
  accountsWorstFirst,
  elsewherePhrase,
  findingAccount,
  organizationSummary,
  weightPhrase,
} from './accounts.js';
import type { AccountView } from './model.js';
import type { RenderOptions } from './options.js';
import { DEFAULT_RENDER_OPTIONS } from './options.js';
import type { DisplayStatus } from './outcome.js';
import { SCORE_WEIGHTS, SEVERITIES_DESC, displayStatus, isOpen, score } from './outcome.js';
import { isCodeSpan } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import { capitalize, countWord, plural } from '../core/rich.js';

// Bidi overrides and isolates, and line separators, too: a name must not reorder what the page shows.
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text content: every character with meaning in HTML is an entity; control characters are dropped. */
export function html(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Attribute values are always double-quoted, so the same escaping is safe there. */
const attr = html;

function rich(text: RichText): string {
  return text.map((part) => (isCodeSpan(part) ? `<code>${html(part.code)}</code>` : html(part))).join('');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

type Tone = 'pass' | 'fail' | 'unknown' | 'suppressed' | 'na';

const CONTROL_LABEL: Record<DisplayStatus, [string, Tone]> = {
  PASS: ['Passed', 'pass'],
  FAIL: ['Failed', 'fail'],
  UNKNOWN: ['Could not assess', 'unknown'],
  NOT_APPLICABLE: ['Not applicable', 'na'],
  SUPPRESSED: ['Accepted risk', 'suppressed'],
};

function findingTone(finding: Finding): Tone {
  if (finding.suppressed) return 'suppressed';
  return ({ PASS: 'pass', FAIL: 'fail', UNKNOWN: 'unknown' } as const)[finding.status];
}

const FINDING_LABEL: Record<Tone, string> = {
  pass: 'Passed',
  fail: 'Failed',
  unknown: 'Could not assess',
  suppressed: 'Suppressed',
  na: 'Not applicable',
};

const CONTROL_WORD: Record<Tone, string> = {
  pass: 'passed',
  fail: 'failed',
  unknown: 'could not be assessed',
  suppressed: 'accepted as a risk',
  na: 'not applicable',
};

const STATUS_WORD: Record<Status, string> = {
  PASS: 'passed',
  FAIL: 'failed',
  UNKNOWN: 'could not be assessed',
};

function pill(label: string, tone: Tone): string {
  return `<span class="pill ${tone}">${html(label)}</span>`;
}

function scopeLine(assessment: Report): string {
  const regionText = scannedPhrase(assessment.regions);
  const when = assessment.finishedAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
  const org = assessment.organization;
  if (org)
    return `Organization <code>${html(org.info.Id)}</code> (${accountCount(org.accounts.length)}, Regions ${html(assessment.regions.join(', '))}) · evidence collected ${html(when)} · ${html(assessment.tool.name)} ${html(assessment.tool.version)}`;
  return `Account <code>${html(assessment.account.id)}</code> · ${html(regionText)} scanned · evidence collected ${html(when)} · ${html(assessment.tool.name)} ${html(assessment.tool.version)}`;
}

// ---- score and charts (inline SVG) ----

function scoreGauge(assessment: Assessment): string {
  const s = score(assessment);
  const value = s.value;
  const radius = 52;
  const circumference = 2 * Math.PI * radius;
  const filled = value === null ? 0 : (circumference * value) / 100;
  const tone = value === null ? 'na' : value >= 80 ? 'pass' : value >= 50 ? 'unknown' : 'fail';
  const colour = {
    pass: '#2e7d4f',
    unknown: '#a86b12',
    fail: '#b83a32',
    na: '#8a94a3',
    suppressed: '#6d5fa6',
  }[tone];
  const label = value === null ? '–' : String(value);
  return `<svg viewBox="0 0 140 140" width="150" height="150" role="img" aria-labelledby="score-title">
  <title id="score-title">Score ${html(label)} out of 100</title>
  <circle cx="70" cy="70" r="${radius}" fill="none" stroke="#e3e7ec" stroke-width="12"/>
  <circle cx="70" cy="70" r="${radius}" fill="none" stroke="${colour}" stroke-width="12" stroke-linecap="round" stroke-dasharray="${filled.toFixed(2)} ${circumference.toFixed(2)}" transform="rotate(-90 70 70)"/>
  <text x="70" y="76" text-anchor="middle" font-size="34" font-weight="650" fill="#1f2933">${html(label)}</text>
  <text x="70" y="98" text-anchor="middle" font-size="11" fill="#5f6b7a">out of 100</text>
</svg>`;
}

interface BarRow {
  label: string;
  counts: Record<Tone, number>;
}

const SEGMENTS: Array<[Tone, string]> = [
  ['fail', '#b83a32'],
  ['unknown', '#a86b12'],
  ['suppressed', '#6d5fa6'],
  ['pass', '#2e7d4f'],
];

function barChart(id: string, title: string, rows: readonly BarRow[]): string {
  const labelWidth = 120;
  const barWidth = 170;
  const rowHeight = 26;
  const height = Math.max(1, rows.length) * rowHeight + 4;
  const max = Math.max(1, ...rows.map((r) => SEGMENTS.reduce((sum, [tone]) => sum + r.counts[tone], 0)));
  const body = rows.map((row, index) => {
    const y = index * rowHeight + 4;
    let x = labelWidth;
    const total = SEGMENTS.reduce((sum, [tone]) => sum + row.counts[tone], 0);
    const parts = [
      `<text x="0" y="${y + 13}">${html(row.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${barWidth}" height="16" rx="3" fill="#eef1f5"/>`,
    ];
    for (const [tone, colour] of SEGMENTS) {
      const n = row.counts[tone];
      if (n === 0) continue;
      const width = (barWidth * n) / max;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="16" fill="${colour}"><title>${html(`${row.label}: ${n} ${plural(n, 'check')} ${CONTROL_WORD[tone]}`)}</title></rect>`,
      );
      x += width;
    }
    parts.push(`<text class="count" x="${labelWidth + barWidth + 8}" y="${y + 13}">${total}</text>`);
    return parts.join('');
  });
  return `<div class="chart"><h3 id="${attr(id)}">${html(title)}</h3>
<svg viewBox="0 0 ${labelWidth + barWidth + 40} ${height}" role="img" aria-labelledby="${attr(id)}">${body.join('\n')}</svg></div>`;
}

function controlCounts(results: readonly ControlResult[]): Record<Tone, number> {
  const counts: Record<Tone, number> = { pass: 0, fail: 0, unknown: 0, suppressed: 0, na: 0 };
  for (const r of results) counts[CONTROL_LABEL[displayStatus(r)][1]] += 1;
  return counts;
}

/** The chart counts checks (controls), not findings: a gap in 19 Regions is one failed check. */
function charts(assessment: Assessment): string {
  // Every scored severity gets a row, even an empty one, so the chart reads the same from run to run.
  const bySeverity = SEVERITIES_DESC.map((severity: Severity) => ({
    severity,
    results: assessment.results.filter(
      (r) => r.control.severity === severity && displayStatus(r) !== 'NOT_APPLICABLE',
    ),
  }))
    .filter((row) => row.results.length > 0 || SCORE_WEIGHTS[row.severity] > 0)
    .map((row) => ({ label: capitalize(row.severity), counts: controlCounts(row.results) }));
  return `<div class="charts">
${barChart('chart-severity', 'Checks by severity', bySeverity)}
</div>
<ul class="legend"><li class="fail">Failed</li><li class="unknown">Could not assess</li><li class="suppressed">Accepted risk</li><li class="pass">Passed</li></ul>`;
}

function keyFigures(assessment: Assessment): string {
  const line = bottomLine(assessment);
  const figures: Array<[number, string, Tone]> = [
    [line.assessed.length, plural(line.assessed.length, 'check assessed', 'checks assessed'), 'na'],
    [line.passed.length, 'passed', 'pass'],
    [line.failed.length, 'failed', 'fail'],
    [line.unknown.length, 'could not assess', 'unknown'],
  ];
  if (line.suppressed.length > 0) figures.push([line.suppressed.length, 'accepted risk', 'suppressed']);

  return `<dl class="figures">${figures.map(([n, label, tone]) => `<div class="${tone}"><dt>${html(label)}</dt><dd>${n}</dd></div>`).join('')}</dl>`;
}

function overview(assessment: Assessment): string {
  const line = bottomLine(assessment);
  return `<div class="overview">
<section class="card score" aria-label="Score">
${scoreGauge(assessment)}
<p class="headline">${html(line.headline)}</p>
<p class="explain">Severity-weighted share of the checks that passed (critical 4, high 3, medium 2, low 1). A check that could not be assessed counts as not passed; accepted risks are left out.</p>
</section>
<section class="card" aria-label="Charts">
${charts(assessment)}
${keyFigures(assessment)}
</section>
</div>`;
}

// ---- the seed report's sections ----

function summaryTable(assessment: Report): string {
  const rows = assessment.results.map((r) => {
    const [label, tone] = CONTROL_LABEL[displayStatus(r)];
    return `<tr><td class="what"><span class="id">${html(controlRef(r.control.id, assessment.framework))}</span> – ${html(r.control.texts.name)}<br><span class="sev">${html(capitalize(r.control.severity))} severity</span></td><td>${pill(label, tone)}</td><td>${rich(controlMeaning(assessment, r))}</td></tr>`;
  });
  return `<section class="card" id="summary"><h2>Summary</h2>
<table><thead><tr><th>What was tested</th><th>Result</th><th>What it means</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

function suppressionText(finding: Finding): string {
  const s = finding.suppressed;
  return s
    ? `<p class="accepted">Suppressed until ${html(s.expires)}: ${html(s.reason)} <span class="where">(${html(s.source)})</span></p>`
    : '';
}

function whyItem(result: ControlResult, report: Report): string {
  const scanned = report.regions;
  const named = (f: Finding) => {
    const account = findingAccount(report, f);
    return account !== undefined ? `<strong>account ${html(account)}</strong>: ` : '';
  };
  const { texts } = result.control;
  const status = displayStatus(result);
  const [label, tone] = CONTROL_LABEL[status];
  const facts: string[] = [];
  if (result.status !== 'PASS') facts.push(`<dt>What it does</dt><dd>${html(texts.whatItDoes)}</dd>`);
  facts.push(`<dt>Why it matters</dt><dd>${html(texts.whyItMatters)}</dd>`);
  if (result.status === 'NOT_APPLICABLE') {
    facts.push(`<dt>Result</dt><dd>${rich(controlMeaning(report, result))}</dd>`);
  } else if (result.status === 'PASS') {
    facts.push(
      `<dt>Result</dt><dd>${result.findings.map((f) => named(f) + rich(f.message)).join('<br>')}</dd>`,
    );
  } else {
    const groups = groupFindings(result.findings.filter((f) => f.status !== 'PASS')).sort(byUrgency);
    facts.push(
      `<dt>What we found</dt><dd>${groups.map((g) => `${named(g.finding)}${rich(g.message)}${g.regions.length > 1 ? ` (${html(regionPhrase(g.regions, scanned))})` : ''}${g.finding.suppressed ? ` <em>(suppressed until ${html(g.finding.suppressed.expires)})</em>` : ''}`).join('<br>')}</dd>`,
    );
    const steps = [
      ...new Set(
        groups
          .filter((g) => isOpen(g.finding))
          .flatMap((g) => (g.finding.remediation ? [rich(g.finding.remediation.summary)] : [])),
      ),
    ];
    if (steps.length > 0)
      facts.push(`<dt>Next ${plural(steps.length, 'step', 'steps')}</dt><dd>${steps.join('<br>')}</dd>`);
    const fine = result.findings.filter((f) => f.status === 'PASS');
    if (fine.length > 0) {
      facts.push(
        `<dt>Already fine</dt><dd>${fine.map((f) => `<code>${html(f.resource.name)}</code>`).join(', ')}</dd>`,
      );
    }
  }
  const elsewhere = result.elsewhere ?? [];
  if (elsewhere.length > 0)
    facts.push(
      `<dt>Judged elsewhere</dt><dd>${elsewhere.map((e) => html(elsewherePhrase(e))).join('<br>')}</dd>`,
    );
  return `<li><span class="title">${html(texts.name)}</span>${pill(label, tone)}<dl class="facts">${facts.join('')}</dl></li>`;
}

function whySection(assessment: Report): string {
  return `<section class="card" id="why"><h2>Why does this matter?</h2>
<ol class="why">
${assessment.results.map((r) => whyItem(r, assessment)).join('\n')}
</ol></section>`;
}

function commandBlock(id: string, title: string, commands: readonly string[]): string {
  return `<div class="command-block"><div class="bar"><span>${title}</span><button type="button" class="copy" data-copy="${attr(id)}">Copy</button></div><pre id="${attr(id)}">${html(commands.join('\n'))}</pre></div>`;
}

function actionPlan(assessment: Report, engineer: boolean): string {
  const items = groupedActionItems(assessment);
  if (items.length === 0) {
    const accepted = assessment.findings.some((f) => f.suppressed);
    return `<section class="card" id="actions"><h2>Quick action plan</h2><p class="empty">${
      accepted
        ? 'Nothing to fix now: every gap left is an accepted risk.'
        : 'Nothing to fix: every check that could be assessed passed.'
    }</p></section>`;
  }
  const rows = items.map(({ result, finding, group }) => {
    const account = findingAccount(assessment, finding);
    const issue = `${account !== undefined ? `Account ${html(account)}: ` : ''}${html(result.control.texts.name)}${issueWhere(result, group, assessment.regions, (c) => `<code>${html(c)}</code>`, html)}`;
    const why =
      finding.status === 'UNKNOWN'
        ? 'Lets trailcheck give a real verdict instead of a blind spot'
        : result.control.texts.whyFix;
    return `<tr><td class="what">${issue}</td><td>${rich(finding.remediation?.summary ?? [])}</td><td>${html(why)}</td></tr>`;
  });
  const blocks = engineer
    ? items
        .filter(({ finding }) => (finding.remediation?.cli.length ?? 0) > 0)
        .map(({ result, finding, group }, index) =>
          commandBlock(
            `commands-${index + 1}`,
            `<span class="id">${html(controlRef(result.control.id, assessment.framework))}</span> – ${finding.account !== undefined && assessment.organization ? `account ${html(finding.account)} · ` : ''}${group.regions.length > 1 ? html(regionPhrase(group.regions, assessment.regions)) : `<code>${html(finding.resource.name)}</code>`}`,
            finding.remediation?.cli ?? [],
          ),
        )
    : [];
  return `<section class="card" id="actions"><h2>Quick action plan</h2>
<table><thead><tr><th>Issue</th><th>Immediate fix</th><th>Why it’s the right move</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>${blocks.length > 0 ? `\n<div class="commands"><h3>Commands (AWS CLI)</h3>\n${blocks.join('\n')}\n</div>` : ''}</section>`;
}

function acceptedRisks(assessment: Assessment): string {
  const accepted = assessment.findings.filter((f) => f.suppressed);
  if (accepted.length === 0) return '';
  const rows = accepted.map((f) => {
    const s = f.suppressed;
    return `<tr><td class="what">${html(f.control)}</td><td><code>${html(f.resource.name)}</code></td><td>${html(STATUS_WORD[f.status])}</td><td>${html(s?.reason ?? '')}</td><td>${html(s?.expires ?? '')}</td></tr>`;
  });
  return `<section class="card" id="accepted"><h2>Accepted risks (suppressed)</h2>
<table><thead><tr><th>Check</th><th>Resource</th><th>Result</th><th>Reason</th><th>Until</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

function bottomLineSection(assessment: Assessment): string {
  const line = bottomLine(assessment);
  const items = [
    line.strengths
      ? `<li><strong>${html(line.headline)}</strong> – ${html(line.strengths)}.</li>`
      : `<li><strong>${html(line.headline)}.</strong></li>`,
  ];
  if (line.failed.length > 0) {
    const n = line.failed.length;
    items.push(
      `<li><strong>${html(capitalize(countWord(n)))} ${plural(n, 'check needs', 'checks need')} attention</strong> – ${html(line.attention ?? '')} to close the ${plural(n, 'gap')}.</li>`,
    );
  }
  if (line.unknown.length > 0) {
    const n = line.unknown.length;
    items.push(
      `<li><strong>${html(capitalize(countWord(n)))} ${plural(n, 'check', 'checks')} could not be assessed</strong> – see what stopped ${n === 1 ? 'it' : 'them'} above.</li>`,
    );
  }
  if (line.suppressed.length > 0) {
    const n = line.suppressed.length;
    items.push(
      `<li><strong>${html(capitalize(countWord(n)))} ${plural(n, 'check is an accepted risk', 'checks are accepted risks')}</strong> – suppressed until the dates above.</li>`,
    );
  }
  return `<section class="card" id="bottom-line"><h2>Bottom line</h2>
<ul class="bottom">
${items.join('\n')}
</ul>
<p class="closing">${html(line.closing)}</p></section>`;
}

// ---- findings with filters and evidence ----

function evidenceTable(finding: Finding): string {
  const rows = finding.evidence.map((e) => {
    const body = e.error
      ? `error <code>${html(e.error.code)}</code>: ${html(e.error.message)}${e.error.permission ? ` (needs <code>${html(e.error.permission)}</code>)` : ''}`
      : `<pre>${html(JSON.stringify(e.facts ?? {}, null, 2))}</pre>`;
    return `<tr><td><code>${html(e.source)}</code><br><span class="where">${html(e.region)}</span></td><td>${body}</td></tr>`;
  });
  return `<details><summary>Evidence (${finding.evidence.length} API ${plural(finding.evidence.length, 'fact')})</summary><div class="evidence"><table><thead><tr><th>API call</th><th>What it returned</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}

/** One finding, or one gap in several Regions: verdict, resource, what was found, the next step. */
function findingCard(group: FindingGroup, scanned: readonly string[], report: Report): string {
  const { finding } = group;
  const account = findingAccount(report, finding);
  const tone = findingTone(finding);
  const next =
    finding.remediation && finding.status !== 'PASS'
      ? `<p class="next"><strong>Next step:</strong> ${rich(finding.remediation.summary)}</p>`
      : '';
  const permissions = finding.remediation?.permissions?.length
    ? `<p class="next"><strong>Permissions to grant:</strong> ${finding.remediation.permissions.map((p) => `<code>${html(p)}</code>`).join(', ')}</p>`
    : '';
  const where = regionPhrase(group.regions, scanned);
  const regionLevel = group.findings.every((f) => f.resource.name === f.resource.region);
  const name = regionLevel ? capitalize(where) : finding.resource.name;
  const place = regionLevel ? '' : ` · ${html(where)}`;
  return `<article class="finding ${tone}" data-status="${attr(tone)}" data-severity="${attr(finding.severity)}" data-region="${attr(group.regions.join(' '))}"${account !== undefined ? ` data-account="${attr(finding.account ?? '')}"` : ''}>
<div class="head">${pill(FINDING_LABEL[tone], tone)}<span class="resource">${html(name)}</span><span class="where">${account !== undefined ? `account ${html(account)} · ` : ''}<span class="id">${html(finding.control)}</span> · <span class="sev">${html(finding.severity)}</span>${place} · ${html(finding.resource.type)}</span></div>
<p>${rich(group.message)}</p>${suppressionText(finding)}${next}${permissions}
${group.findings.map(evidenceTable).join('\n')}
</article>`;
}

function chipGroup(key: string, label: string, values: ReadonlyArray<[string, string, number]>): string {
  const chips = values.map(
    ([value, text, n]) =>
      `<button type="button" class="chip" data-value="${attr(value)}" aria-pressed="false">${html(text)}<span class="n">${n}</span></button>`,
  );
  return `<div class="filter-group" data-filter="${attr(key)}" role="group" aria-label="${attr(`Filter by ${label.toLowerCase()}`)}"><span class="label">${html(label)}</span><button type="button" class="chip" data-all aria-pressed="true">All</button>${chips.join('')}</div>`;
}

/** In an organization's page, a filter by account (worst first), so a matrix row's findings are one click away. */
function accountChips(report: Report, groups: readonly FindingGroup[]): string {
  if (!report.organization) return '';
  const chips = accountsWorstFirst(report)
    .map((a): [string, string, number] => [
      a.id,
      a.name !== '' ? `${a.id} ${a.name}` : a.id,
      groups.filter((g) => g.finding.account === a.id).length,
    ])
    .filter(([, , n]) => n > 0);
  return `\n${chipGroup('account', 'Account', chips)}`;
}

function findingsSection(assessment: Report): string {
  // Failures first, then unknowns, accepted risks, passes, each by severity: what needs a person comes first.
  const groups = groupFindings(assessment.findings).sort(byUrgency);
  const count = (pred: (g: FindingGroup) => boolean) => groups.filter(pred).length;
  const tones: Tone[] = ['fail', 'unknown', 'suppressed', 'pass'];
  const statusChips = tones
    .map((tone): [string, string, number] => [
      tone,
      FINDING_LABEL[tone],
      count((g) => findingTone(g.finding) === tone),
    ])
    .filter(([, , n]) => n > 0);
  const severityChips = SEVERITIES_DESC.map((s): [string, string, number] => [
    s,
    capitalize(s),
    count((g) => g.finding.severity === s),
  ]).filter(([, , n]) => n > 0);
  const regions = [...new Set(assessment.findings.map((f) => f.resource.region))].sort();
  const regionChips = regions.map((r): [string, string, number] => [
    r,
    r,
    count((g) => g.regions.includes(r)),
  ]);
  return `<section class="card" id="findings"><h2>All findings</h2>
<div class="filters">
${chipGroup('status', 'Status', statusChips)}
${chipGroup('severity', 'Severity', severityChips)}
${chipGroup('region', 'Region', regionChips)}${accountChips(assessment, groups)}
</div>
<p class="shown" id="shown" aria-live="polite">Showing ${groups.length} of ${groups.length} ${plural(groups.length, 'finding')}</p>
<div id="finding-list">
${groups.map((g) => findingCard(g, assessment.regions, assessment)).join('\n')}
</div></section>`;
}

// ---- an organization: the accounts × controls matrix, a chart by account, a section per account ----

/** A cell of the matrix: the account's own verdict, or where it is judged when the account owns nothing there. */
function matrixCell(
  account: AccountView,
  result: ControlResult | undefined,
  merged: ControlResult | undefined,
): string {
  if (!result) return '<td class="cell na">–</td>';
  const status = displayStatus(result);
  // The owner's verdict is known only over the whole organization: take it from the merged result.
  const elsewhere = (result.elsewhere ?? []).map(
    (e) => merged?.elsewhere?.find((m) => m.account === e.account && m.resource.id === e.resource.id) ?? e,
  );
  if (status === 'NOT_APPLICABLE' && elsewhere.length > 0) {
    const title = elsewhere.map(elsewherePhrase).join('; ');
    return `<td class="cell elsewhere" title="${attr(title)}">↗</td>`;
  }
  const [label, tone] = CONTROL_LABEL[status];
  const short = { pass: '✓', fail: '✗', unknown: '?', suppressed: 'S', na: 'N/A' }[tone];
  return `<td class="cell ${tone}" title="${attr(`${account.id} ${result.control.id}: ${label}`)}">${short}</td>`;
}

/** At most this many accounts in the chart by account; the matrix lists them all. */
const MAX_CHART_ACCOUNTS = 20;

function organizationSection(report: Report): string {
  const org = report.organization;
  if (!org) return '';
  const accounts = accountsWorstFirst(report);
  const controls = report.results.map((r) => r.control);
  const weights = new Map(accountsNeedingAttention(report).map((w) => [w.account.id, w]));
  const merged = new Map(report.results.map((r) => [r.control.id, r]));
  const head = controls
    .map(
      (c) =>
        `<th class="control" title="${attr(c.texts.name)}">${html(controlRef(c.id, report.framework))}</th>`,
    )
    .join('');
  const rows = accounts.map((a) => {
    const results = new Map(a.report.results.map((r) => [r.control.id, r]));
    const w = weights.get(a.id);
    const open = w ? weightPhrase(w) : 'all passed';
    return `<tr><td class="account"><a href="#account-${attr(a.id)}"><code>${html(a.id)}</code> ${html(a.name)}</a><br><span class="sev">${html(open)}</span></td>${controls.map((c) => matrixCell(a, results.get(c.id), merged.get(c.id))).join('')}</tr>`;
  });
  const chartRows = accounts.slice(0, MAX_CHART_ACCOUNTS).map((a) => ({
    label: a.name !== '' ? a.name : a.id,
    counts: controlCounts(a.report.results),
  }));
  const more =
    accounts.length > MAX_CHART_ACCOUNTS
      ? `<p class="explain">The ${MAX_CHART_ACCOUNTS} worst of ${accounts.length} accounts; the matrix lists them all.</p>`
      : '';
  return `<section class="card" id="accounts"><h2>Accounts</h2>
${organizationSummary(report)
  .map((l) => `<p>${html(l)}</p>`)
  .join('\n')}
<div class="charts">
${barChart('chart-accounts', 'Checks by account, worst first', chartRows)}
</div>${more}
<div class="matrix-wrap"><table class="matrix"><thead><tr><th>Account</th>${head}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>
<ul class="legend"><li class="fail">✗ Failed</li><li class="unknown">? Could not assess</li><li class="suppressed">S Accepted risk</li><li class="pass">✓ Passed</li><li class="na">N/A Not applicable</li><li class="elsewhere">↗ Judged in another account (the organization trail's owner)</li></ul>
</section>`;
}

/** One account's open findings: where a matrix row links to. */
function accountSection(report: Report, account: AccountView): string {
  const groups = groupFindings(account.report.findings.filter((f) => f.status !== 'PASS')).sort(byUrgency);
  const status = account.assessed
    ? groups.length === 0
      ? '<p class="empty">Nothing open: every check that could be assessed passed.</p>'
      : `<ul>${groups
          .map((g) => {
            const tone = findingTone(g.finding);
            return `<li>${pill(FINDING_LABEL[tone], tone)} <span class="id">${html(controlRef(g.finding.control, report.framework))}</span> <code>${html(g.finding.resource.name)}</code>: ${rich(g.message)}</li>`;
          })
          .join('')}</ul>`
    : `<p class="note">Not assessed: ${html(account.reason ?? 'no reason given')}</p>`;
  const email = account.email !== undefined ? ` · ${html(account.email)}` : '';
  return `<section class="card account" id="account-${attr(account.id)}"><h2>Account <code>${html(account.id)}</code> ${html(account.name)}</h2>
<p class="scope">${html(`${account.summary.PASS} passed, ${account.summary.FAIL} failed, ${account.summary.UNKNOWN} could not be assessed`)}${email} · <a href="#accounts">back to the matrix</a></p>
${status}</section>`;
}

/** Links to the sections, so the filterable findings are one click away however long the prose is. */
const NAVIGATION = `<nav class="toc" aria-label="Sections"><a href="#findings">Findings</a><a href="#actions">Action plan</a><a href="#summary">Summary</a><a href="#why">Why it matters</a><a href="#bottom-line">Bottom line</a></nav>`;

/** The executive form, one screen: the score, what is wrong in plain sentences, the next steps. */
function executiveCard(report: Report): string {
  const summary = executiveSummary(report);
  const steps =
    summary.steps.length > 0
      ? `<h2>Next steps</h2>\n<ol class="steps">${summary.steps.map((s) => `<li>${html(s)}</li>`).join('')}</ol>`
      : '';
  // An organization's executive view: its score, then its worst accounts instead of every sentence.
  const attention = accountsNeedingAttention(report);
  const plain = report.organization
    ? `${organizationSummary(report)
        .slice(0, 1)
        .map((l) => `<p>${html(l)}</p>`)
        .join('')}${
        attention.length > 0
          ? `<h2>Accounts that need attention, worst first</h2>\n<ol class="steps">${attention
              .slice(0, 5)
              .map(
                (w) =>
                  `<li><code>${html(w.account.id)}</code> ${html(w.account.name)}: ${html(weightPhrase(w))}</li>`,
              )
              .join('')}</ol>${attention.length > 5 ? `<p>… and ${attention.length - 5} more.</p>` : ''}`
          : '<p>No account needs attention.</p>'
      }`
    : `<p>${summary.sentences.map(html).join(' ')}</p>`;
  return `<section class="card executive" id="summary"><div class="gauge">${scoreGauge(report)}</div>
<div class="plain">${plain}
${steps}</div></section>`;
}

/** The whole page. The executive form is one card: the score, what is wrong, the next steps. */
export function renderHtml(assessment: Report, options: RenderOptions = DEFAULT_RENDER_OPTIONS): string {
  const engineer = options.audience === 'engineer';
  const notes = assessment.notes.map((n) => `<p class="note">${html(n)}</p>`).join('\n');
  const org = assessment.organization;
  const csp = [
    "default-src 'none'",
    `style-src ${sha256(HTML_STYLE)}${org ? ` ${sha256(HTML_ORGANIZATION_STYLE)}` : ''}`,
    `script-src ${sha256(HTML_SCRIPT)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const masthead = `<header class="masthead"><div class="eyebrow">trailcheck · CloudTrail posture${engineer ? '' : ' · executive summary'}</div>
<h1>Security Assessment Summary – CloudTrail</h1>
<p class="scope">${scopeLine(assessment)}</p>
${notes}${engineer ? `\n${org ? NAVIGATION.replace('<a href="#findings">', '<a href="#accounts">Accounts</a><a href="#findings">') : NAVIGATION}` : ''}</header>`;
  const body = [
    masthead,
    ...(engineer
      ? [
          overview(assessment),
          organizationSection(assessment),
          summaryTable(assessment),
          actionPlan(assessment, engineer),
          findingsSection(assessment),
          whySection(assessment),
          acceptedRisks(assessment),
          bottomLineSection(assessment),
          ...(org ? org.accounts.map((a) => accountSection(assessment, a)) : []),
        ]
      : [executiveCard(assessment)]),
    `<footer>Generated by ${html(assessment.tool.name)} ${html(assessment.tool.version)} from evidence collected ${html(assessment.finishedAt)}</footer>`,
  ].filter((part) => part !== '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${attr(`${assessment.tool.name} ${assessment.tool.version}`)}">
<title>${html(org ? `CloudTrail assessment – organization ${org.info.Id}` : `CloudTrail assessment – account ${assessment.account.id}`)}</title>
<style>${HTML_STYLE}</style>${org ? `\n<style>${HTML_ORGANIZATION_STYLE}</style>` : ''}
</head>
<body>
<main class="page">
${body.join('\n')}
</main>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
