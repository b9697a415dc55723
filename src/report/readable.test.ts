/**
 * What a new user reads: no "1 trails", no line that ends in ": " with nothing after it, no sentence
 * starting in lower case after a label, no pretty_result outside JSON and the Markdown bottom line, and
 * the same gap in many Regions shown once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from './index.js';
import type { Format } from './index.js';
import type { Report } from './model.js';
import { renderDryRun } from '../remediate/render.js';
import { PRETTY_SUCCESS } from '../judge/assess.js';
import { ASSESSMENTS, singleRegionTrailAssessment } from '../../test/support/assessments.js';

const REPORTS: Record<string, () => Report> = {
  ...ASSESSMENTS,
  'single-Region trail': singleRegionTrailAssessment,
};
const HUMAN: Format[] = ['text', 'markdown', 'html'];

/** Every human-readable text of a report: each format in each audience, and the fix plan. */
function texts(report: Report): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const format of HUMAN)
    for (const audience of ['engineer', 'executive'] as const)
      out.push([`${format}/${audience}`, render(report, format, { audience, color: false })]);
  out.push(['fix dry run', renderDryRun(report.plan, report.regions)]);
  out.push(['fix --apply', renderDryRun(report.plan, report.regions, true)]);
  return out;
}

const visibleText = (page: string) =>
  page.replace(/<style>[\s\S]*?<\/style>|<script>[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, '');

describe('readable reports', () => {
  for (const [name, make] of Object.entries(REPORTS)) {
    it(`${name}: counts agree with their nouns and no line ends in ": "`, () => {
      for (const [where, text] of texts(make())) {
        const plain = where.startsWith('html') ? visibleText(text) : text;
        const wrong = plain.match(/\b1 (?!(?:is|was|has|does|passed|Regions? scanned)\b)[A-Za-z]+s\b/g);
        assert.equal(wrong, null, `${name}, ${where}: ${String(wrong)}`);
        for (const line of plain.split('\n'))
          assert.doesNotMatch(line, /:\s$/, `${name}, ${where}: a line ends in ": " – ${line}`);
        assert.doesNotMatch(
          plain,
          /(?:Next steps?(?: \([^)]*\))?|Immediate fix): [a-z]/,
          `${name}, ${where}`,
        );
        assert.doesNotMatch(plain, /\bstep \d+/, `${name}, ${where}: a step starts in lower case`);
      }
    });
  }

  it('says pretty_result only in the Markdown bottom line', () => {
    const report = REPORTS.seed?.() as Report;
    assert.ok(render(report, 'markdown').includes(PRETTY_SUCCESS));
    for (const [where, text] of texts(report).filter(([w]) => !w.startsWith('markdown')))
      assert.ok(!text.includes(PRETTY_SUCCESS), `${where} says ${PRETTY_SUCCESS}`);
  });

  it('shows the same gap in 19 Regions once, naming them, in text, Markdown and HTML', () => {
    const report = singleRegionTrailAssessment();
    assert.equal(
      report.findings.filter((f) => f.control === 'CloudTrail.3' && f.status === 'FAIL').length,
      19,
    );
    for (const format of HUMAN) {
      const text = render(report, format);
      // HTML tells it in the explanation and once in the filterable list; text and Markdown once.
      const times = text.match(/No trail covers these Regions/g)?.length ?? 0;
      assert.ok(
        times >= 1 && times <= (format === 'html' ? 2 : 1),
        `${format}: the gap is told ${times} times`,
      );
      assert.match(text, /in 19 Regions: us-east-2, us-west-1/, format);
      assert.doesNotMatch(text, /No trail covers eu-west-3/, format);
    }
    // 130 lines for the CloudTrail checks; each of the 15 CIS Monitoring checks adds its summary row and
    // a finding of 7 lines (they all fail here for the same reason: no multi-Region trail); Config.1, EC2.6
    // and KMS.4 a row and an UNKNOWN of 4 lines each (their evidence is not in this snapshot).
    const lines = render(report, 'text').split('\n').length;
    assert.ok(lines < 130 + 15 * 8 + 3 * 5, `the text summary stays short (${lines} lines)`);
    // Machine formats keep one finding per Region.
    const json = JSON.parse(render(report, 'json')) as {
      findings: Array<{ control: string; status: string }>;
    };
    assert.equal(json.findings.filter((f) => f.control === 'CloudTrail.3' && f.status === 'FAIL').length, 19);
  });

  it('lists failures first, the most severe first', () => {
    const text = render(singleRegionTrailAssessment(), 'text');
    const attention = text.slice(text.indexOf('Needs attention:'));
    const order = [...attention.matchAll(/^ {2}(FAIL|UNKNOWN)\S* \S+ \((\w+)\)/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    assert.ok(order.length > 3);
    assert.equal(order.indexOf('FAIL high'), 0);
    assert.ok(order.lastIndexOf('FAIL low') < order.indexOf('UNKNOWN critical'), order.join(', '));
  });

  it('keeps the executive form to the score, a few plain sentences and the next steps', () => {
    const text = render(singleRegionTrailAssessment(), 'text', { audience: 'executive', color: false });
    assert.match(text, /^Score: \d+ out of 100$/m);
    assert.match(text, /^ {2}1\. [A-Z]/m);
    assert.doesNotMatch(text, /CloudTrail\.\d|RESULT|SEVERITY|\$ aws/);
    assert.ok(text.split('\n').length <= 20, text);
    const markdown = render(singleRegionTrailAssessment(), 'markdown', {
      audience: 'executive',
      color: false,
    });
    assert.doesNotMatch(markdown, /\|/, 'no table');
    assert.match(markdown, /^1\. [A-Z]/m);
  });

  it('says with --apply what will be applied, with no dry-run wording', () => {
    const report = singleRegionTrailAssessment();
    const applying = renderDryRun(report.plan, report.regions, true);
    assert.match(applying, /applying to account/);
    assert.doesNotMatch(applying, /dry run|Nothing is changed|Run again with --apply/);
    assert.match(
      renderDryRun(report.plan, ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'].slice(0, 1)),
      /\(us-east-1\)/,
    );
  });
});
