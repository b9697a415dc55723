/**
 * The dashboard's pages as text: hostile names, messages, reasons and token names stay text on every
 * page; no page carries inline script or style (the CSP forbids both); a change links to its finding's
 * anchor; read-only tokens get no form that changes things; an organization's page can be narrowed to
 * one account and folds its passing findings when it is very long.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffReports } from '../../report/diff.js';
import { toJsonReport } from '../../report/json.js';
import type { JsonReport } from '../../report/json.js';
import {
  COVERED_MEMBER,
  HOSTILE_MESSAGE,
  HOSTILE_NAME,
  allPassAssessment,
  mixedAssessment,
  organizationAssessment,
} from '../../../test/support/assessments.js';
import type { Scan, ScanSummary, Suppression, Token } from '../store/store.js';
import { summaryOf } from '../store/store.js';
import type { PageFrame } from './dashboard-pages.js';
import {
  FOLD_PASSING_ABOVE,
  changesBox,
  controlPage,
  layout,
  overviewPage,
  scanPage,
  scansPage,
  suppressionsPage,
} from './dashboard-pages.js';

const token = (role: Token['role'], name = 'ops'): Token => ({
  id: 't1',
  name,
  role,
  createdAt: '2026-11-01T00:00:00.000Z',
  revokedAt: null,
});

const frame = (role: Token['role'], name?: string): PageFrame => ({
  title: 'test',
  section: 'overview',
  token: token(role, name),
  scanRequest: { regions: ['us-east-1'] },
});

function scanOf(id: string, report: JsonReport, finishedAt: string): Scan {
  const summary: ScanSummary = summaryOf(report);
  return {
    id,
    status: 'done',
    request: { regions: ['us-east-1'] },
    trigger: `api:${HOSTILE_NAME}`,
    scheduleId: null,
    createdAt: finishedAt,
    startedAt: finishedAt,
    finishedAt,
    durationMs: 1200,
    integer_result: report.integer_result,
    pretty_result: report.pretty_result,
    summary,
    error: null,
    subject: report.organization?.id ?? report.account,
    attempts: 1,
  };
}

/** No raw markup from data, no inline script or style anywhere (the CSP would block them). */
function assertSafe(page: string): void {
  assert.ok(!page.includes('<img'), 'a hostile name became an element');
  assert.ok(!page.includes('<script>alert'), 'a hostile message became a script');
  assert.ok(!/<script(?![^>]*\bsrc=)/.test(page), 'an inline script');
  assert.ok(!/<style|\sstyle=/.test(page), 'an inline style');
}

const FORMATS = ['json', 'html', 'markdown', 'csv', 'sarif'];

describe('dashboard pages', () => {
  const mixed = toJsonReport(mixedAssessment());
  const allPass = toJsonReport(allPassAssessment());
  const org = toJsonReport(organizationAssessment());

  it('keep every value from AWS or a person as text', () => {
    const scan = scanOf('s2', mixed, '2026-11-29T10:00:00.000Z');
    const suppression: Suppression = {
      id: 'x1',
      control: 'CloudTrail.7',
      resource: HOSTILE_NAME,
      region: null,
      reason: HOSTILE_MESSAGE,
      expires: '2099-12-31',
      createdAt: '2026-11-01T00:00:00.000Z',
      createdBy: HOSTILE_NAME,
      revokedAt: null,
    };
    const pages = [
      scanPage(frame('admin', HOSTILE_NAME), {
        scan,
        report: mixed,
        previous: undefined,
        diff: null,
        formats: FORMATS,
      }),
      scanPage(frame('admin'), {
        scan: scanOf('o1', org, '2026-11-29T10:00:00.000Z'),
        report: org,
        previous: undefined,
        diff: null,
        formats: FORMATS,
      }),
      overviewPage(
        frame('admin'),
        [{ latest: scan, report: mixed, previous: undefined, diff: null, trend: [scan] }],
        [],
      ),
      scansPage(frame('read'), [scan]),
      suppressionsPage(frame('admin'), [suppression], '2026-11-29'),
    ];
    for (const page of pages) assertSafe(page);
    assert.ok(
      pages[0]?.includes('&lt;img src=x onerror=alert(1)&gt;'),
      'the hostile trail name is shown, escaped',
    );
    assert.ok(
      pages[1]?.includes('&lt;img src=x onerror=alert(1)&gt;'),
      'the hostile account name is shown, escaped',
    );
    assert.ok(
      pages[4]?.includes('&lt;script&gt;alert(2)&lt;/script&gt;'),
      'the hostile reason is shown, escaped',
    );
  });

  it('link each change to the anchor of its finding on the scan page', () => {
    const before = scanOf('s1', allPass, '2026-11-28T10:00:00.000Z');
    const after = scanOf('s2', mixed, '2026-11-29T10:00:00.000Z');
    const diff = diffReports(allPass, mixed);
    assert.ok(diff.newlyFailing.length > 0, 'the fixture must regress');
    const box = changesBox('s2', before, diff);
    const anchors = [...box.matchAll(/href="\/scans\/s2#(f-[0-9a-f]{16})"/g)].map((m) => m[1]);
    assert.equal(anchors.length, diff.newlyFailing.length + diff.fixed.length + diff.newlyUnknown.length);
    const page = scanPage(frame('read'), {
      scan: after,
      report: mixed,
      previous: before,
      diff,
      formats: FORMATS,
    });
    for (const anchor of anchors)
      assert.ok(page.includes(`id="${anchor}"`), `no finding has the anchor ${anchor}`);
    assert.match(page, /href="\/api\/scans\/s2\/report\?format=html&amp;download=1"/);
  });

  it('give a read-only token no form that changes anything, and an admin the scan and suppression forms', () => {
    const read = [layout(frame('read'), ''), suppressionsPage(frame('read'), [], '2026-11-29')];
    for (const page of read) assert.ok(!page.includes('data-api='), 'a read-only page has an admin form');
    assert.match(layout(frame('admin'), ''), /data-api="\/api\/scans"/);
    assert.match(suppressionsPage(frame('admin'), [], '2026-11-29'), /data-api="\/api\/suppressions"/);
  });

  it("narrow an organization's scan page to one account, and fold passing findings on a very long page", () => {
    const scan = scanOf('o1', org, '2026-11-29T10:00:00.000Z');
    const whole = scanPage(frame('read'), {
      scan,
      report: org,
      previous: undefined,
      diff: null,
      formats: FORMATS,
    });
    assert.match(whole, new RegExp(`href="/scans/o1\\?account=${COVERED_MEMBER}#findings"`));
    const one = scanPage(frame('read'), {
      scan,
      report: org,
      previous: undefined,
      diff: null,
      formats: FORMATS,
      account: COVERED_MEMBER,
    });
    const accountsShown = new Set([...one.matchAll(/· account (\d{12})<\/span>/g)].map((m) => m[1]));
    assert.deepEqual([...accountsShown], [COVERED_MEMBER]);

    const pass = org.findings.find((f) => f.status === 'PASS');
    assert.ok(pass);
    const many: JsonReport = {
      ...org,
      findings: [
        ...org.findings,
        ...Array.from({ length: FOLD_PASSING_ABOVE }, (_, i) => ({
          ...pass,
          resource: { ...pass.resource, id: `r-${i}`, name: `r-${i}` },
        })),
      ],
    };
    const long = scanPage(frame('read'), {
      scan,
      report: many,
      previous: undefined,
      diff: null,
      formats: FORMATS,
    });
    assert.ok(!long.includes('class="finding pass"'), 'passing findings are folded');
    assert.match(long, /passing findings are not listed here/);
    assert.ok(long.includes('class="finding fail"'), 'failing ones are still listed');
  });

  it("show a control's history newest first, with a chart of every scan", () => {
    const point = (scanId: string, finishedAt: string, status: string) => ({
      scanId,
      finishedAt,
      account: '123456789012',
      control: 'CloudTrail.1',
      status,
      pass: status === 'PASS' ? 1 : 0,
      fail: status === 'FAIL' ? 1 : 0,
      unknown: 0,
    });
    const page = controlPage(frame('read'), {
      control: 'CloudTrail.1',
      title: 'CloudTrail should be enabled',
      account: undefined,
      points: [
        point('s2', '2026-11-29T10:00:00.000Z', 'FAIL'),
        point('s1', '2026-11-28T10:00:00.000Z', 'PASS'),
      ],
      accounts: ['123456789012'],
    });
    const rows = [
      ...page.matchAll(
        /<tr><td><a href="\/scans\/(s\d)#control-CloudTrail\.1">[^<]*<\/a><\/td><td class="id">\d+<\/td><td><span class="pill (\w+)">/g,
      ),
    ].map((m) => `${m[1]}:${m[2]}`);
    assert.deepEqual(rows, ['s2:fail', 's1:pass']);
    const chart = /data-chart="([^"]+)"/.exec(page)?.[1] ?? '';
    const data = JSON.parse(chart.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as {
      labels: string[];
      series: Array<{ label: string; values: number[] }>;
    };
    assert.deepEqual(data.labels, ['11-28 10:00:00', '11-29 10:00:00'], 'oldest first on the chart');
    assert.deepEqual(data.series.find((s) => s.label === 'FAIL')?.values, [0, 1]);
    assert.deepEqual(data.series.find((s) => s.label === 'PASS')?.values, [1, 0]);
  });
});
