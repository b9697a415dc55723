/**
 * The dashboard's pages as HTML text: pure functions of what the store holds, so they can be tested
 * without a server. Every value that came from AWS or from a person (names, messages, reasons, token
 * names) goes through `esc`; the pages carry no inline script or style (see dashboard-assets.ts).
 */
import { createHash } from 'node:crypto';
import { findingIdentity } from '../../core/identity.js';
import type { IdentifiableFinding } from '../../core/identity.js';
import { html as esc } from '../../report/html.js';
import type { DiffReport, Change } from '../../report/diff.js';
import type { JsonReport } from '../../report/json.js';
import type { ScanRequest } from '../request.js';
import type { HistoryPoint, Scan, Suppression, Token } from '../store/store.js';

type JsonFinding = JsonReport['findings'][number];

/** Where a page sits in the navigation (its link is marked current). */
export type Section = 'overview' | 'scans' | 'suppressions' | 'controls';

export interface PageFrame {
  title: string;
  section: Section;
  /** Who is signed in: admin tokens get the buttons that change things. */
  token: Token;
  /** What "Scan now" asks for: the latest scan's request, so one click repeats it. */
  scanRequest: ScanRequest;
  /** A page that shows a scan still running reloads itself until it is finished. */
  refreshSeconds?: number;
}

const STATUS_ORDER: Record<string, number> = { FAIL: 0, UNKNOWN: 1, PASS: 2, NOT_APPLICABLE: 3 };

export function pill(status: string, suppressed = false): string {
  const cls =
    status === 'PASS'
      ? 'pass'
      : status === 'FAIL'
        ? 'fail'
        : status === 'UNKNOWN'
          ? 'unknown'
          : status === 'failed'
            ? 'fail'
            : status === 'done'
              ? 'pass'
              : 'na';
  const label = status === 'NOT_APPLICABLE' ? 'N/A' : status;
  return `<span class="pill ${cls}">${esc(label)}</span>${suppressed ? ' <span class="pill suppressed">accepted</span>' : ''}`;
}

/** 2026-11-29 21:03 UTC: the minute is enough to tell scans apart on a page. */
export function when(iso: string | null): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return esc(iso);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The anchor of a finding on its scan's page: stable across scans, so a change links to its finding. */
export function findingAnchor(account: string | null, finding: IdentifiableFinding): string {
  return `f-${createHash('sha256').update(findingIdentity(account, finding)).digest('hex').slice(0, 16)}`;
}

const path = (...parts: string[]) => parts.map((p) => encodeURIComponent(p)).join('/');

/** A scan's page; with `account`, only that account's findings (an organization's page can be long). */
export const scanHref = (id: string, account?: string) =>
  `/scans/${path(id)}${account !== undefined ? `?account=${encodeURIComponent(account)}` : ''}`;
export const controlHref = (control: string, account?: string) =>
  `/controls/${path(control)}${account !== undefined ? `?account=${encodeURIComponent(account)}` : ''}`;

export function subjectLabel(scan: Scan): string {
  const summary = scan.summary;
  if (summary?.organization) return `organization ${summary.organization}`;
  if (summary?.account) return `account ${summary.account}`;
  return scan.subject ?? 'not known yet';
}

function requestLabel(request: ScanRequest): string {
  const parts: string[] = [];
  parts.push(request.regions?.length ? request.regions.join(', ') : 'every Region');
  if (request.controls?.length) parts.push(`controls ${request.controls.join(', ')}`);
  if (request.framework) parts.push(`framework ${request.framework}`);
  if (request.organization) parts.push('whole organization');
  return parts.join(' · ');
}

function scanNowForm(request: ScanRequest, label = 'Scan now'): string {
  return `<form class="scan-now" data-api="/api/scans" data-next="/scans/{id}" data-request="${esc(JSON.stringify(request))}"><button class="action" type="submit">${esc(label)}</button><p class="error" role="alert"></p></form>`;
}

export function layout(frame: PageFrame, body: string): string {
  const link = (section: Section, href: string, label: string) =>
    `<a href="${href}"${frame.section === section ? ' aria-current="page"' : ''}>${label}</a>`;
  const admin = frame.token.role === 'admin';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${frame.refreshSeconds ? `<meta http-equiv="refresh" content="${frame.refreshSeconds}">` : ''}
<title>${esc(frame.title)} · trailcheck</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/chart.js" defer></script><script src="/assets/dashboard.js" defer></script>
</head><body><div class="page">
<header class="masthead"><div><div class="eyebrow">trailcheck · audit-trail posture</div>
<nav class="main" aria-label="Dashboard">${link('overview', '/', 'Overview')}${link('scans', '/scans', 'Scans')}${link('suppressions', '/suppressions', 'Suppressions')}</nav></div>
<div class="who"><span>Signed in as <strong>${esc(frame.token.name)}</strong> (${admin ? 'admin' : 'read only'})</span>
${admin ? scanNowForm(frame.scanRequest) : ''}
<form method="post" action="/logout"><button class="quiet" type="submit">Sign out</button></form></div>
</header>
<main>
${body}
</main>
<footer>trailcheck serve · every value here comes from the service's own store</footer>
</div></body></html>`;
}

export function loginPage(error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · trailcheck</title><link rel="stylesheet" href="/assets/dashboard.css"></head>
<body><main class="login"><section class="card"><div class="eyebrow">trailcheck</div><h1>Sign in</h1>
<p class="scope">Give an API token: the one the service printed at its first start, TRAILCHECK_API_TOKEN, or one an admin made for you.</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/login"><label>Token <input name="token" type="password" autocomplete="current-password" required></label><button class="action" type="submit">Sign in</button></form>
</section></main></body></html>`;
}

export function messagePage(frame: PageFrame, heading: string, text: string): string {
  return layout(frame, `<section class="card"><h1>${esc(heading)}</h1><p>${esc(text)}</p></section>`);
}

/** A chart's label for a scan: to the second, since scans minutes apart are common (and seconds in tests). */
function chartLabel(iso: string | null): string {
  return iso === null ? '' : iso.slice(5, 19).replace('T', ' ');
}

function chartCanvas(
  label: string,
  data: { kind: 'line' | 'bar'; labels: string[]; series: Array<{ label: string; values: number[] }> },
): string {
  return `<div class="chart-box"><canvas role="img" aria-label="${esc(label)}" data-chart="${esc(JSON.stringify(data))}"></canvas></div>`;
}

function figures(counts: { PASS: number; FAIL: number; UNKNOWN: number; suppressed?: number }): string {
  return `<dl class="figures"><div class="fail"><dt>failing</dt><dd>${counts.FAIL}</dd></div><div class="unknown"><dt>unknown</dt><dd>${counts.UNKNOWN}</dd></div><div class="pass"><dt>passing</dt><dd>${counts.PASS}</dd></div>${counts.suppressed ? `<div class="suppressed"><dt>accepted</dt><dd>${counts.suppressed}</dd></div>` : ''}</dl>`;
}

function changeItem(scanId: string, account: string | null, change: Change): string {
  const resource = change.resource.name;
  const anchor = findingAnchor(change.account?.id ?? account, change);
  const before = change.before ?? 'new';
  // An organization's change opens its account's findings, where the finding is never folded away.
  return `<li><a href="${scanHref(scanId, change.account?.id)}#${anchor}"><span class="id">${esc(change.control)}</span> on ${esc(resource)} (${esc(change.resource.region)})</a>: ${esc(before)} → ${esc(change.after ?? 'gone')}. ${esc(change.message)}</li>`;
}

/** Newly failing, fixed and newly unknown since the previous scan of the same target; each links to its finding. */
export function changesBox(scanId: string, previous: Scan | undefined, diff: DiffReport | null): string {
  if (!previous || !diff)
    return `<section class="card changes"><h2>Changes since the previous scan</h2><p class="empty">This is the first finished scan of this target: there is nothing to compare yet.</p></section>`;
  const account = diff.new.account;
  const group = (heading: string, cls: string, items: Change[]) =>
    items.length === 0
      ? ''
      : `<div class="${cls}"><h3>${heading} (${items.length})</h3><ul>${items.map((c) => changeItem(scanId, account, c)).join('')}</ul></div>`;
  const body =
    group('Newly failing', 'fail', diff.newlyFailing) +
    group('Fixed', 'pass', diff.fixed) +
    group('Newly unknown', 'unknown', diff.newlyUnknown) +
    group('No longer assessed', 'unknown', diff.notAssessed ?? []);
  return `<section class="card changes"><h2>Changes since the previous scan</h2>
<p class="scope">Compared with <a href="${scanHref(previous.id)}">the scan of ${when(previous.finishedAt)}</a>.</p>
${body || '<p class="empty">Nothing changed: every finding has the verdict it had.</p>'}</section>`;
}

export interface TargetView {
  latest: Scan;
  report: JsonReport;
  previous: Scan | undefined;
  diff: DiffReport | null;
  /** Its finished scans, oldest first: the chart over time. */
  trend: Scan[];
}

function controlTable(report: JsonReport): string {
  const failing = new Map<string, number>();
  for (const f of report.findings)
    if (f.status === 'FAIL') failing.set(f.control, (failing.get(f.control) ?? 0) + 1);
  const rows = [...report.controls]
    .sort((a, b) => (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9))
    .map(
      (c) =>
        `<tr><td><a class="id" href="${controlHref(c.id)}">${esc(c.id)}</a></td><td>${esc(c.title)}</td><td class="sev">${esc(c.severity)}</td><td>${pill(c.status)}</td><td class="num">${failing.get(c.id) ?? 0}</td></tr>`,
    )
    .join('');
  return `<div class="table-wrap"><table><thead><tr><th>Control</th><th>What it checks</th><th>Severity</th><th>Now</th><th>Failing findings</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function accountTable(report: JsonReport, scanId: string): string {
  const rows = report.accounts
    .map(
      (a) =>
        `<tr><td><a class="id" href="${scanHref(scanId, a.id)}#findings">${esc(a.id)}</a></td><td>${esc(a.name ?? '—')}</td><td>${a.assessed ? 'yes' : `no: ${esc(a.reason ?? 'no evidence')}`}</td><td class="num">${a.summary.FAIL}</td><td class="num">${a.summary.UNKNOWN}</td><td class="num">${a.summary.PASS}</td></tr>`,
    )
    .join('');
  return `<section class="card"><h2>Per account</h2><p class="scope">Each account of the organization in <a href="${scanHref(scanId)}">this scan</a>.</p><div class="table-wrap"><table><thead><tr><th>Account</th><th>Name</th><th>Assessed</th><th>Failing</th><th>Unknown</th><th>Passing</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function trendChart(trend: Scan[]): string {
  const done = trend.filter((s) => s.summary !== null);
  return chartCanvas('Passing, failing and unknown findings over time', {
    kind: 'line',
    labels: done.map((s) => chartLabel(s.finishedAt)),
    series: (['FAIL', 'UNKNOWN', 'PASS'] as const).map((label) => ({
      label,
      values: done.map((s) => s.summary?.[label] ?? 0),
    })),
  });
}

function targetSection(target: TargetView, admin: boolean): string {
  const { latest, report } = target;
  const summary = latest.summary;
  const org = report.organization !== null && report.organization !== undefined;
  return `<section class="target" aria-label="${esc(subjectLabel(latest))}">
<div class="overview"><section class="card score"><div class="target-head"><h2>${esc(subjectLabel(latest))}</h2></div>
<p class="scope">${esc(requestLabel(latest.request))}</p>
<p class="headline">${pill(latest.integer_result === 0 ? 'PASS' : 'FAIL')} as of ${when(latest.finishedAt)}</p>
${summary ? figures(summary) : ''}
<p><a href="${scanHref(latest.id)}">Every finding of this scan</a></p>
${admin ? scanNowForm(latest.request, 'Scan this again') : ''}
</section>
<section class="card"><h2>Over time</h2>${trendChart(target.trend)}</section></div>
${changesBox(latest.id, target.previous, target.diff)}
<section class="card"><h2>Per control</h2>${controlTable(report)}</section>
${org ? accountTable(report, latest.id) : ''}
</section>`;
}

function activeScans(scans: Scan[]): string {
  if (scans.length === 0) return '';
  return `<section class="card"><h2>Running and queued</h2><ul>${scans
    .map(
      (s) =>
        `<li><a href="${scanHref(s.id)}">${esc(s.status)}: ${esc(requestLabel(s.request))}</a>, asked ${when(s.createdAt)} by ${esc(s.trigger)}</li>`,
    )
    .join('')}</ul></section>`;
}

export function overviewPage(frame: PageFrame, targets: TargetView[], active: Scan[]): string {
  const admin = frame.token.role === 'admin';
  const body =
    targets.length === 0
      ? `<section class="card"><h1>No finished scan yet</h1><p>${admin ? 'Start one with Scan now above, or through the API (POST /api/scans).' : 'An admin can start one; this page shows it once it is finished.'}</p></section>`
      : `<h1>Posture now</h1>${targets.map((t) => targetSection(t, admin)).join('')}`;
  return layout(frame, activeScans(active) + body);
}

export function scansPage(frame: PageFrame, scans: Scan[]): string {
  const rows = scans
    .map((s) => {
      const c = s.summary;
      return `<tr><td><a href="${scanHref(s.id)}">${when(s.createdAt)}</a></td><td>${pill(s.status)}</td><td>${esc(subjectLabel(s))}</td><td>${esc(requestLabel(s.request))}</td><td>${esc(s.trigger)}</td><td class="num">${c ? c.FAIL : '—'}</td><td class="num">${c ? c.UNKNOWN : '—'}</td><td class="num">${c ? c.PASS : '—'}</td></tr>`;
    })
    .join('');
  return layout(
    frame,
    `<section class="card"><h1>Scans</h1>${scans.length === 0 ? '<p class="empty">No scan yet.</p>' : `<div class="table-wrap"><table><thead><tr><th>Asked</th><th>Status</th><th>Target</th><th>Scope</th><th>Started by</th><th>Failing</th><th>Unknown</th><th>Passing</th></tr></thead><tbody>${rows}</tbody></table></div>`}</section>`,
  );
}

function factValue(value: unknown): string {
  return `<code>${esc(typeof value === 'string' ? value : JSON.stringify(value))}</code>`;
}

function evidenceBlock(finding: JsonFinding): string {
  if (finding.evidence.length === 0) return '';
  const rows = finding.evidence
    .map((e) => {
      const facts = e.facts
        ? `<dl class="facts">${Object.entries(e.facts)
            .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${factValue(v)}</dd>`)
            .join('')}</dl>`
        : '';
      const error = e.error ? `<p>Could not read: ${esc(e.error.code)}: ${esc(e.error.message)}</p>` : '';
      return `<tr><td><code>${esc(e.source)}</code></td><td>${esc(e.region)}</td><td>${facts}${error}</td></tr>`;
    })
    .join('');
  return `<details class="evidence-details"${finding.status === 'PASS' ? '' : ' open'}><summary>Evidence (${finding.evidence.length} ${finding.evidence.length === 1 ? 'answer' : 'answers'} from AWS)</summary><div class="evidence table-wrap"><table><thead><tr><th>API call</th><th>Region</th><th>What it said</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
}

function fixBlock(finding: JsonFinding): string {
  const r = finding.remediation;
  if (!r || finding.status === 'PASS') return '';
  const cli = r.cli.length ? `<h4>With the AWS CLI</h4><pre>${esc(r.cli.join('\n'))}</pre>` : '';
  const console = r.console.length
    ? `<h4>In the console</h4><ol>${r.console.map((step) => `<li>${esc(step)}</li>`).join('')}</ol>`
    : '';
  const permissions = r.permissions?.length
    ? `<p class="scope">Needs ${r.permissions.map((p) => `<code>${esc(p)}</code>`).join(', ')}</p>`
    : '';
  return `<div class="fix"><h4>The fix</h4><p class="next">${esc(r.summary)}</p>${cli}${console}${permissions}</div>`;
}

function findingBlock(finding: JsonFinding): string {
  const cls = finding.suppressed ? 'suppressed' : finding.status.toLowerCase();
  const where = [finding.resource.type, finding.resource.region, `account ${finding.account}`];
  const named =
    finding.resource.name === finding.resource.id ? '' : ` <code>${esc(finding.resource.id)}</code>`;
  return `<article class="finding ${cls}" id="${findingAnchor(finding.account, finding)}">
<div class="head">${pill(finding.status, finding.suppressed !== undefined)}<span class="resource">${esc(finding.resource.name)}</span>${named}<span class="where">${esc(where.join(' · '))}</span><span class="sev">${esc(finding.severity)}</span></div>
<p>${esc(finding.message)}</p>
${finding.suppressed ? `<p class="accepted">Accepted until ${esc(finding.suppressed.expires)}: ${esc(finding.suppressed.reason)}</p>` : ''}
${evidenceBlock(finding)}
${fixBlock(finding)}
<p><a href="${controlHref(finding.control, finding.account)}">History of ${esc(finding.control)} in account ${esc(finding.account)}</a></p>
</article>`;
}

/**
 * Above this many findings on one page (an organization of hundreds of accounts), each control shows its
 * failing and unknown findings and folds the passing ones into a count: the page stays light enough to
 * open, and one account's page (?account=) still shows everything.
 */
export const FOLD_PASSING_ABOVE = 2000;

function findingsByControl(report: JsonReport, findings: JsonFinding[]): string {
  const byControl = new Map<string, JsonFinding[]>();
  for (const f of findings) byControl.set(f.control, [...(byControl.get(f.control) ?? []), f]);
  const fold = findings.length > FOLD_PASSING_ABOVE;
  return [...report.controls]
    .sort((a, b) => (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9))
    .map((c) => {
      const all = (byControl.get(c.id) ?? []).sort(
        (a, b) => (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9),
      );
      const shown = fold ? all.filter((f) => f.status !== 'PASS') : all;
      const folded = all.length - shown.length;
      const foldNote =
        folded > 0
          ? `<p class="empty">${folded} passing ${folded === 1 ? 'finding is' : 'findings are'} not listed here: open one account (Per account) or download the report.</p>`
          : '';
      return `<section class="control-group" id="control-${esc(c.id)}"><h3>${pill(c.status)} <span class="id">${esc(c.id)}</span> ${esc(c.title)} <a href="${controlHref(c.id)}">history</a></h3>
${all.length === 0 ? '<p class="empty">No finding: the control did not apply here.</p>' : shown.map(findingBlock).join('') + foldNote}</section>`;
    })
    .join('');
}

export interface ScanPageData {
  scan: Scan;
  report: JsonReport | undefined;
  previous: Scan | undefined;
  diff: DiffReport | null;
  formats: readonly string[];
  /** Show only this account's findings. */
  account?: string | undefined;
}

export function scanPage(frame: PageFrame, data: ScanPageData): string {
  const { scan, report } = data;
  const facts: Array<[string, string]> = [
    ['Status', pill(scan.status)],
    ['Target', esc(subjectLabel(scan))],
    ['Scope', esc(requestLabel(scan.request))],
    ['Started by', esc(scan.trigger)],
    ['Asked', when(scan.createdAt)],
    ['Finished', when(scan.finishedAt)],
  ];
  if (scan.durationMs !== null) facts.push(['Took', `${(scan.durationMs / 1000).toFixed(1)} s`]);
  const head = `<section class="card"><h1>Scan of ${esc(subjectLabel(scan))}</h1>
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
${scan.error ? `<p class="note">The scan failed: ${esc(scan.error)}</p>` : ''}
${scan.status === 'queued' || scan.status === 'running' ? '<p class="note">This scan is not finished; the page reloads itself until it is.</p>' : ''}
${scan.summary ? figures(scan.summary) : ''}</section>`;
  if (scan.status !== 'done' || !report) return layout(frame, head);
  const downloads = `<section class="card"><h2>Download the report</h2><p class="downloads">${data.formats
    .map(
      (f) =>
        `<a href="/api/scans/${encodeURIComponent(scan.id)}/report?format=${encodeURIComponent(f)}&amp;download=1" download>${esc(f)}</a>`,
    )
    .join('')}</p></section>`;
  const orgAccounts = report.organization ? accountTable(report, scan.id) : '';
  const account = data.account;
  const findings =
    account === undefined ? report.findings : report.findings.filter((f) => f.account === account);
  const heading =
    account === undefined
      ? '<h2>Every finding, by control</h2>'
      : `<h2>The findings of account ${esc(account)}, by control</h2><p class="scope"><a href="${scanHref(scan.id)}#findings">Every account</a></p>`;
  return layout(
    frame,
    `${head}${changesBox(scan.id, data.previous, data.diff)}${downloads}${orgAccounts}<section class="card" id="findings">${heading}${findingsByControl(report, findings)}</section>`,
  );
}

export interface ControlPageData {
  control: string;
  title: string | undefined;
  account: string | undefined;
  /** Newest first, as the store gives them. */
  points: HistoryPoint[];
  accounts: string[];
}

export function controlPage(frame: PageFrame, data: ControlPageData): string {
  const chronological = [...data.points].reverse();
  const scans: Array<{ id: string; at: string; counts: Record<string, number> }> = [];
  for (const p of chronological) {
    let entry = scans[scans.length - 1];
    if (!entry || entry.id !== p.scanId) {
      entry = { id: p.scanId, at: p.finishedAt, counts: { PASS: 0, FAIL: 0, UNKNOWN: 0 } };
      scans.push(entry);
    }
    if (p.status in entry.counts) entry.counts[p.status] = (entry.counts[p.status] ?? 0) + 1;
  }
  const chart = chartCanvas(`Accounts where ${data.control} passed, failed or was unknown, scan by scan`, {
    kind: 'bar',
    labels: scans.map((s) => chartLabel(s.at)),
    series: (['FAIL', 'UNKNOWN', 'PASS'] as const).map((label) => ({
      label,
      values: scans.map((s) => s.counts[label] ?? 0),
    })),
  });
  const filter =
    data.accounts.length > 1 || data.account !== undefined
      ? `<p class="downloads">Account: <a href="${controlHref(data.control)}"${data.account === undefined ? ' aria-current="page"' : ''}>all</a>${data.accounts
          .map(
            (a) =>
              `<a href="${controlHref(data.control, a)}"${a === data.account ? ' aria-current="page"' : ''}>${esc(a)}</a>`,
          )
          .join('')}</p>`
      : '';
  const rows = data.points
    .map(
      (p) =>
        `<tr><td><a href="${scanHref(p.scanId)}#control-${esc(p.control)}">${when(p.finishedAt)}</a></td><td class="id">${esc(p.account)}</td><td>${pill(p.status)}</td><td class="num">${p.fail}</td><td class="num">${p.unknown}</td><td class="num">${p.pass}</td></tr>`,
    )
    .join('');
  return layout(
    frame,
    `<section class="card"><div class="eyebrow">Control history</div><h1><span class="id">${esc(data.control)}</span>${data.title ? ` ${esc(data.title)}` : ''}</h1>
${data.account !== undefined ? `<p class="scope">In account ${esc(data.account)} only.</p>` : ''}${filter}
${data.points.length === 0 ? '<p class="empty">No finished scan has judged this control yet.</p>' : chart}</section>
<section class="card"><h2>Scan by scan, newest first</h2><div class="table-wrap"><table><thead><tr><th>Finished</th><th>Account</th><th>Verdict</th><th>Failing</th><th>Unknown</th><th>Passing</th></tr></thead><tbody>${rows}</tbody></table></div></section>`,
  );
}

export function suppressionsPage(frame: PageFrame, suppressions: Suppression[], today: string): string {
  const admin = frame.token.role === 'admin';
  const state = (s: Suppression) =>
    s.revokedAt !== null ? `ended ${when(s.revokedAt)}` : s.expires < today ? 'expired' : 'in force';
  const rows = suppressions
    .map((s) => {
      const live = s.revokedAt === null && s.expires >= today;
      const expire =
        admin && live
          ? `<form data-api="/api/suppressions/${encodeURIComponent(s.id)}/expire"><button class="quiet" type="submit">Expire now</button><p class="error" role="alert"></p></form>`
          : '';
      return `<tr><td><a class="id" href="${controlHref(s.control)}">${esc(s.control)}</a></td><td><code>${esc(s.resource)}</code></td><td>${esc(s.region ?? 'every Region')}</td><td>${esc(s.reason)}</td><td>${esc(s.expires)}</td><td>${esc(s.createdBy)}, ${when(s.createdAt)}</td><td>${state(s)}${expire}</td></tr>`;
    })
    .join('');
  const form = admin
    ? `<section class="card"><h2>Accept a finding</h2><p class="scope">A suppression keeps the verdict but marks the finding accepted, with its reason, until the end of its expiry day. It applies from the next scan.</p>
<form class="inline" data-api="/api/suppressions"><label>Control <input name="control" required placeholder="CloudTrail.7"></label><label>Resource (ARN, name or *) <input name="resource" required></label><label>Region (optional) <input name="region" placeholder="eu-west-1"></label><label>Reason <input name="reason" required></label><label>Last day <input name="expires" type="date" required></label><div><button class="action" type="submit">Add suppression</button><p class="error" role="alert"></p></div></form></section>`
    : '';
  return layout(
    frame,
    `<section class="card"><h1>Suppressions</h1>${suppressions.length === 0 ? '<p class="empty">No suppression: every finding counts.</p>' : `<div class="table-wrap"><table><thead><tr><th>Control</th><th>Resource</th><th>Region</th><th>Reason</th><th>Last day</th><th>Added by</th><th>State</th></tr></thead><tbody>${rows}</tbody></table></div>`}</section>${form}`,
  );
}
