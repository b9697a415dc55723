/**
 * An organization's report (`scan --org`) in every format: each finding names its account, the JSON
 * contract lists the accounts, the human formats lead with the organization and its worst accounts, and
 * `diff` compares two organizations account by account.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import {
  COVERED_MEMBER,
  MANAGEMENT,
  ORG_ID,
  UNREADABLE_MEMBER,
  organizationAssessment,
  seedAssessment,
} from '../../test/support/assessments.js';
import { diffReports, hasRegressions, renderDiffText, upgradeReport, validateReportForDiff } from './diff.js';
import { render } from './index.js';
import { JSON_REPORT_VERSION, JsonReportSchema, JsonReportV1Schema } from './json.js';
import type { JsonReport } from './json.js';

const json = (text: string): JsonReport => JsonReportSchema.parse(JSON.parse(text));

describe('an organization report', () => {
  const report = organizationAssessment();

  it('JSON (version 2) lists the accounts and the organization, and names each finding’s account', () => {
    const doc = json(render(report, 'json'));
    assert.equal(doc.reportVersion, 2);
    assert.deepEqual(doc.organization, { id: ORG_ID, managementAccount: MANAGEMENT, leftOut: 1 });
    assert.deepEqual(
      doc.accounts.map((a) => [a.id, a.assessed, a.integer_result]),
      [
        [MANAGEMENT, true, 1],
        [COVERED_MEMBER, true, 1],
        [UNREADABLE_MEMBER, false, 1],
      ],
    );
    const locked = doc.accounts.find((a) => a.id === UNREADABLE_MEMBER);
    assert.match(locked?.reason ?? '', /could not be assumed/);
    assert.ok(locked?.controls.every((c) => c.status === 'UNKNOWN'));
    assert.equal(doc.accounts.find((a) => a.id === COVERED_MEMBER)?.email, 'covered@example.com');
    const accounts = new Set(doc.findings.map((f) => f.account));
    assert.deepEqual([...accounts].sort(), [MANAGEMENT, COVERED_MEMBER, UNREADABLE_MEMBER]);
    // The covered member's CloudTrail.4 points to the management account's verdict on the trail.
    const validation = doc.controls.find((c) => c.id === 'CloudTrail.4');
    assert.deepEqual(
      validation?.elsewhere?.map((e) => [e.account, e.resource.name, e.status]),
      [[MANAGEMENT, 'org-trail', 'FAIL']],
    );
  });

  it('JSON of one account: one entry in accounts, organization null, the report’s account on every finding', () => {
    const seed = seedAssessment();
    const doc = json(render(seed, 'json'));
    assert.equal(doc.reportVersion, JSON_REPORT_VERSION);
    assert.equal(doc.organization, null);
    assert.deepEqual(
      doc.accounts.map((a) => [a.id, a.name, a.assessed]),
      [[seed.account.id, null, true]],
    );
    assert.ok(doc.findings.every((f) => f.account === seed.account.id));
    assert.deepEqual(
      doc.accounts[0]?.controls.map((c) => c.id),
      doc.controls.map((c) => c.id),
    );
  });

  it('text: the organization first, its accounts worst first, each finding’s account and its own plan', () => {
    const text = render(report, 'text');
    const lines = text.split('\n');
    assert.match(
      lines[0] ?? '',
      /CloudTrail assessment of organization o-test1234 \(3 accounts, Regions eu-west-1, us-east-1\)$/,
    );
    assert.match(text, /2 of 3 accounts assessed, 1 not\./);
    assert.match(
      text,
      /Not assessed: 333333333333 \(locked\): role OrganizationAccountAccessRole could not be assumed/,
    );
    assert.match(text, /1 account was left out by --ou/);
    const attention = text.indexOf('Accounts that need attention, worst first (3):');
    assert.ok(attention > 0 && attention < text.indexOf('RESULT'), 'before the controls');
    const order = [MANAGEMENT, UNREADABLE_MEMBER, COVERED_MEMBER].map((id) =>
      text.indexOf(`  ${id} `, attention),
    );
    assert.ok(order.every((i) => i > 0));
    assert.match(text, /org-trail: judged in account 111111111111 \(FAIL\)/);
    assert.match(text, /FAIL CloudTrail\.4 \(low\) {2}account 111111111111 \(management\): org-trail/);
    assert.doesNotMatch(text, / of 0 in the plan/);
    assert.match(text, /Next step \(\d+ of [1-9]\d* in the plan\)/);
  });

  it('text, executive: the score and the worst accounts, short', () => {
    const text = render(report, 'text', { audience: 'executive', color: false });
    assert.match(text, /Score: /);
    assert.match(text, /Accounts that need attention, worst first/);
    assert.ok(text.split('\n').length < 40, 'one screen');
  });

  it('Markdown: the organization section and each finding’s account', () => {
    const md = render(report, 'markdown');
    assert.match(md, /Organization `o-test1234` \(3 accounts/);
    assert.match(md, /### Organization/);
    assert.match(md, /\| `333333333333` \| locked \| not assessed: /);
    assert.match(md, /\*Judged elsewhere:\* org-trail: judged in account 111111111111 \(FAIL\)/);
    assert.match(md, /\*\*account 111111111111 \(management\)\*\*: /);
  });

  it('what a control means is counted by account, not by the merged resources', () => {
    const md = render(report, 'markdown');
    assert.match(
      md,
      /\| \*\*CloudTrail\.4 – Log file validation\*\* \| ❌ Failed \| Failed in 1 of 3 accounts \(111111111111\); could not be assessed in 1 \(333333333333\); judged in the organization trail’s account for 1 \(222222222222\)\. \|/,
    );
  });

  it('the action plan lists each account’s steps together, the worst account first', () => {
    const md = render(report, 'markdown');
    const plan = md.slice(md.indexOf('### Quick action plan'), md.indexOf('<details>'));
    const accounts = [...plan.matchAll(/^\| Account (\d{12})/gm)].map((m) => m[1]);
    assert.ok(accounts.length > 2);
    const runs = accounts.filter((id, i) => id !== accounts[i - 1]);
    assert.deepEqual(runs, [...new Set(accounts)], 'each account once, in one run');
    assert.equal(runs[0], MANAGEMENT, 'the worst account first');
  });

  it('HTML, executive: the score and the worst accounts', () => {
    const page = render(report, 'html', { audience: 'executive', color: false });
    assert.match(page, /<h2>Accounts that need attention, worst first<\/h2>/);
    assert.match(page, /<li><code>111111111111<\/code> management: /);
  });

  it('HTML: an accounts × controls matrix linking to a section per account, a chart by account', () => {
    const page = render(report, 'html');
    assert.match(page, /<table class="matrix">/);
    for (const id of [MANAGEMENT, COVERED_MEMBER, UNREADABLE_MEMBER]) {
      assert.match(page, new RegExp(`<a href="#account-${id}">`));
      assert.match(page, new RegExp(`<section class="card account" id="account-${id}">`));
    }
    assert.match(
      page,
      /<td class="cell elsewhere" title="org-trail: judged in account 111111111111 \(FAIL\)">/,
    );
    assert.match(page, /id="chart-accounts"/);
    assert.match(page, /data-filter="account"/);
    assert.equal(
      (page.match(/style-src &#39;sha256-[^&]+&#39; &#39;sha256-[^&]+&#39;;/g) ?? []).length,
      1,
      'both styles hashed',
    );
    assert.doesNotMatch(render(seedAssessment(), 'html'), /class="matrix"|HTML_ORGANIZATION|data-account/);
  });

  it('ASFF, SARIF, OCSF, CSV and JUnit name each finding’s account', () => {
    const member = (f: { account?: string }) => f.account === COVERED_MEMBER;
    const memberFinding = report.findings.find(member);
    assert.ok(memberFinding);
    const asff = JSON.parse(render(report, 'asff')) as {
      Findings: Array<{ AwsAccountId: string; Id: string; ProductArn: string }>;
    };
    const ids = new Set(asff.Findings.map((f) => f.Id));
    assert.equal(ids.size, asff.Findings.length, 'one id per finding across accounts');
    const asffMember = asff.Findings.filter((f) => f.AwsAccountId === COVERED_MEMBER);
    assert.ok(asffMember.length > 0);
    for (const f of asffMember) {
      assert.match(f.Id, new RegExp(`^trailcheck/${COVERED_MEMBER}/`));
      assert.match(f.ProductArn, new RegExp(`:${MANAGEMENT}:product/${MANAGEMENT}/default$`));
    }
    const sarif = JSON.parse(render(report, 'sarif')) as {
      runs: Array<{ results: Array<{ properties: { account?: string } }> }>;
    };
    assert.ok(sarif.runs[0]?.results.some((r) => r.properties.account === UNREADABLE_MEMBER));
    const ocsf = JSON.parse(render(report, 'ocsf')) as Array<{ cloud: { account: { uid: string } } }>;
    assert.deepEqual([...new Set(ocsf.map((e) => e.cloud.account.uid))].sort(), [
      MANAGEMENT,
      COVERED_MEMBER,
      UNREADABLE_MEMBER,
    ]);
    const rows = parseCsv<Record<string, string>>(render(report, 'csv'), { columns: true });
    assert.deepEqual([...new Set(rows.map((r) => r.account_id))].sort(), [
      MANAGEMENT,
      COVERED_MEMBER,
      UNREADABLE_MEMBER,
    ]);
    assert.match(render(report, 'junit'), /name="[^"]*, account 333333333333\)"/);
  });
});

describe('diff of two organization reports', () => {
  const base = json(render(organizationAssessment(), 'json'));

  function changed(edit: (doc: JsonReport) => void): JsonReport {
    const next = structuredClone(base);
    next.finishedAt = '2026-11-25T10:00:00.000Z';
    edit(next);
    return JsonReportSchema.parse(next);
  }

  it('an account newly not assessed is a regression, named with its reason', () => {
    const after = changed((doc) => {
      const covered = doc.accounts.find((a) => a.id === COVERED_MEMBER);
      if (covered) Object.assign(covered, { assessed: false, reason: 'suspended' });
      for (const f of doc.findings) if (f.account === COVERED_MEMBER) f.status = 'UNKNOWN';
    });
    const diff = diffReports(base, after);
    assert.deepEqual(diff.accounts?.newlyNotAssessed, [
      { id: COVERED_MEMBER, name: base.accounts[1]?.name ?? null, reason: 'suspended' },
    ]);
    assert.ok(hasRegressions(diff));
    assert.ok(diff.newlyUnknown.every((c) => c.account?.id === COVERED_MEMBER));
    const text = renderDiffText(diff);
    assert.match(text, /^trailcheck diff – organization o-test1234: /);
    assert.match(text, /Accounts newly not assessed \(1\):\n {2}account 222222222222 .*: suspended/);
  });

  it('a new failure is listed under its account; the same resource in two accounts is two findings', () => {
    const after = changed((doc) => {
      const f = doc.findings.find((x) => x.account === COVERED_MEMBER && x.status === 'PASS');
      if (f) f.status = 'FAIL';
    });
    const diff = diffReports(base, after);
    assert.equal(diff.newlyFailing.length, 1);
    assert.equal(diff.newlyFailing[0]?.account?.id, COVERED_MEMBER);
    assert.match(renderDiffText(diff), /Newly failing \(1\):\n {2}account 222222222222 /);
  });

  it('an account gone is said and is not a regression; a new one is said', () => {
    const without = changed((doc) => {
      doc.accounts = doc.accounts.filter((a) => a.id !== UNREADABLE_MEMBER);
      doc.findings = doc.findings.filter((f) => f.account !== UNREADABLE_MEMBER);
    });
    const gone = diffReports(base, without);
    assert.deepEqual(
      gone.accounts?.gone.map((a) => a.id),
      [UNREADABLE_MEMBER],
    );
    assert.deepEqual([...gone.removed, ...(gone.notAssessed ?? [])], []);
    assert.equal(hasRegressions(gone), false);
    const back = diffReports({ ...without, finishedAt: '2026-11-20T00:00:00.000Z' }, base);
    assert.deepEqual(
      back.accounts?.added.map((a) => a.id),
      [UNREADABLE_MEMBER],
    );
    assert.match(
      renderDiffText(back),
      /Accounts new in this report \(1\):\n {2}account 333333333333 \(locked\)/,
    );
  });

  it('refuses an organization against one account, and two organizations, in one line', () => {
    const single = json(render(seedAssessment(), 'json'));
    assert.throws(
      () => diffReports(single, base),
      /one report is of organization o-test1234 and the other of account/,
    );
    const other = changed((doc) => {
      if (doc.organization) doc.organization.id = 'o-other';
    });
    assert.throws(() => diffReports(base, other), /different organizations \(o-test1234 and o-other\)/);
  });

  it('the diff command’s reader takes version 1 and version 2 reports', () => {
    const v2 = JSON.parse(render(seedAssessment(), 'json')) as Record<string, unknown>;
    const { accounts: _accounts, organization: _organization, ...rest } = v2;
    const v1 = { ...rest, reportVersion: 1 };
    assert.equal(validateReportForDiff(v1, 'old report').reportVersion, 2);
    assert.equal(validateReportForDiff(v2, 'new report').accounts.length, 1);
    assert.throws(
      () => validateReportForDiff({ ...v2, reportVersion: 3 }, 'new report'),
      /new report is not a trailcheck JSON report .*at reportVersion/,
    );
  });

  it('reads a version 1 report: its findings are its account’s', () => {
    const v2 = json(render(seedAssessment(), 'json'));
    const { accounts: _a, organization: _o, ...rest } = v2;
    const v1 = JsonReportV1Schema.parse({
      ...rest,
      reportVersion: 1,
      findings: v2.findings.map(({ account: _x, ...f }) => f),
      controls: v2.controls.map(({ elsewhere: _e, ...c }) => c),
    });
    const upgraded = upgradeReport(v1);
    assert.deepEqual(upgraded, v2);
    const diff = diffReports(upgraded, v2);
    assert.equal(hasRegressions(diff), false);
  });
});
