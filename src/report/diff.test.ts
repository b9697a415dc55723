import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Status } from '../controls/types.js';
import { UsageError } from '../util/errors.js';
import { diffReports, hasRegressions, renderDiffText, upgradeReport } from './diff.js';
import type { Change } from './diff.js';
import { JsonReportV1Schema } from './json.js';
import type { JsonReport, JsonReportV1 } from './json.js';

const ACCOUNT = '123456789012';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/Main`;

type JsonFinding = JsonReportV1['findings'][number];

/** CloudTrail.3's finding for one Region: the account id is the resource id of every Region's finding. */
function regionFinding(region: string, status: Status): JsonFinding {
  return {
    control: 'CloudTrail.3',
    status,
    severity: 'high',
    title: 'At least one CloudTrail trail should be enabled',
    message: `${region}: ${status}`,
    resource: { type: 'AwsAccount', id: ACCOUNT, name: region, region },
    evidence: [],
    remediation: null,
  };
}

function trailFinding(control: string, status: Status): JsonFinding {
  return {
    control,
    status,
    severity: 'low',
    title: control,
    message: `Main: ${status}`,
    resource: { type: 'AwsCloudTrailTrail', id: TRAIL, name: 'Main', region: 'us-east-1' },
    evidence: [],
    remediation: null,
  };
}

function report(
  findings: JsonFinding[],
  options: { regions?: string[]; controls?: string[]; account?: string } = {},
): JsonReport {
  // Built as version 1 (findings without their account), as diff still reads it.
  const controls = options.controls ?? [...new Set(findings.map((f) => f.control))];
  const count = (s: Status) => findings.filter((f) => f.status === s).length;
  const v1 = JsonReportV1Schema.parse({
    reportVersion: 1,
    integer_result: count('PASS') === findings.length ? 0 : 1,
    pretty_result: 'x',
    tool: { name: 'trailcheck', version: 'test' },
    account: options.account ?? ACCOUNT,
    partition: 'aws',
    regions: options.regions ?? ['us-east-1', 'eu-west-1'],
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: '2026-11-24T10:00:01.000Z',
    summary: { PASS: count('PASS'), FAIL: count('FAIL'), UNKNOWN: count('UNKNOWN'), total: findings.length },
    controls: controls.map((id) => ({ id, title: id, severity: 'high', status: 'PASS', frameworks: [] })),
    findings,
    notes: [],
  });
  return upgradeReport(v1);
}

const names = (changes: readonly Change[] | undefined) =>
  (changes ?? []).map(
    (c) => `${c.control} ${c.resource.name} ${c.before ?? 'absent'}→${c.after ?? 'absent'}`,
  );

describe('diff: findings are matched by their identity', () => {
  it("sees one Region's CloudTrail.3 start failing though every Region's finding has the account id as resource id", () => {
    const before = report([regionFinding('us-east-1', 'PASS'), regionFinding('eu-west-1', 'PASS')]);
    // Ordered as assess orders them (FAIL first): matching on control + resource id kept only the last.
    const after = report([regionFinding('eu-west-1', 'FAIL'), regionFinding('us-east-1', 'PASS')]);
    const diff = diffReports(before, after);
    assert.deepEqual(names(diff.newlyFailing), ['CloudTrail.3 eu-west-1 PASS→FAIL']);
    assert.deepEqual(names(diff.unchanged), ['CloudTrail.3 us-east-1 PASS→PASS']);
    assert.ok(hasRegressions(diff));
    assert.match(renderDiffText(diff), /One finding got worse since the old report\.\n$/);
  });

  it('reports PASS → UNKNOWN as newly unknown, a regression', () => {
    const diff = diffReports(
      report([trailFinding('CloudTrail.4', 'PASS')]),
      report([trailFinding('CloudTrail.4', 'UNKNOWN')]),
    );
    assert.deepEqual(names(diff.newlyUnknown), ['CloudTrail.4 Main PASS→UNKNOWN']);
    assert.ok(hasRegressions(diff));
  });

  it('a finding whose control the new report did not run is not assessed, and counts as worse', () => {
    const diff = diffReports(
      report([trailFinding('CloudTrail.4', 'PASS'), trailFinding('CloudTrail.5', 'PASS')]),
      report([trailFinding('CloudTrail.4', 'PASS')]),
    );
    assert.deepEqual(names(diff.notAssessed), ['CloudTrail.5 Main PASS→absent']);
    assert.deepEqual(diff.removed, []);
    assert.ok(hasRegressions(diff));
    const text = renderDiffText(diff);
    assert.match(
      text,
      /Not assessed this time – control not run or Region not scanned \(1\):\n {2}CloudTrail\.5/,
    );
    assert.match(text, /One finding got worse since the old report\.\n$/);
  });

  it('a finding of a Region the new report did not scan is not assessed; one that was UNKNOWN is listed, not worse', () => {
    const diff = diffReports(
      report([regionFinding('us-east-1', 'PASS'), regionFinding('eu-west-1', 'UNKNOWN')]),
      report([regionFinding('us-east-1', 'PASS')], { regions: ['us-east-1'] }),
    );
    assert.deepEqual(names(diff.notAssessed), ['CloudTrail.3 eu-west-1 UNKNOWN→absent']);
    assert.ok(!hasRegressions(diff));
    assert.match(
      renderDiffText(diff),
      /Nothing got worse\. One finding of the old report is not in the new one \(listed above\)\.\n$/,
    );
  });

  it('a resource that is gone (its control ran, its Region was scanned) is no longer reported, never unchanged', () => {
    const diff = diffReports(
      report([trailFinding('CloudTrail.4', 'FAIL'), regionFinding('us-east-1', 'PASS')]),
      report([regionFinding('us-east-1', 'PASS')], { controls: ['CloudTrail.3', 'CloudTrail.4'] }),
    );
    assert.deepEqual(names(diff.removed), ['CloudTrail.4 Main FAIL→absent']);
    assert.deepEqual(names(diff.unchanged), ['CloudTrail.3 us-east-1 PASS→PASS']);
    assert.ok(!hasRegressions(diff));
    const text = renderDiffText(diff);
    assert.match(
      text,
      /No longer reported \(1\):\n {2}CloudTrail\.4 \(low\) {2}Main \(us-east-1\) {2}FAIL → absent/,
    );
    assert.match(text, /Nothing got worse\. One finding of the old report is not in the new one/);
  });

  it('refuses reports of different accounts in one line', () => {
    assert.throws(
      () =>
        diffReports(
          report([regionFinding('us-east-1', 'PASS')]),
          report([regionFinding('us-east-1', 'PASS')], { account: '210987654321' }),
        ),
      (error: unknown) =>
        error instanceof UsageError &&
        /^the reports are of different accounts \(123456789012 and 210987654321\)/.test(error.message) &&
        !error.message.includes('\n'),
    );
  });

  it('refuses a report with two findings of one identity instead of keeping one of them', () => {
    const twice = report([regionFinding('eu-west-1', 'FAIL'), regionFinding('eu-west-1', 'PASS')]);
    assert.throws(
      () => diffReports(report([regionFinding('eu-west-1', 'PASS')]), twice),
      /the new report has two findings for CloudTrail\.3 on eu-west-1 \(123456789012\) in eu-west-1; diff cannot tell which is which\./,
    );
  });
});
