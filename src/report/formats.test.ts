/**
 * Every registered format, over every kind of assessment: renders, is deterministic, and keeps hostile
 * names and messages inert for its medium. A new format is picked up here by registering it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ASSESSMENTS, HOSTILE_NAME, mixedAssessment } from '../../test/support/assessments.js';
import {
  AUDIENCES,
  FORMAT_SPECS,
  FORMATS,
  formatForFile,
  parseFormat,
  parseFormatList,
  render,
} from './index.js';

describe('every report format', () => {
  for (const format of FORMATS) {
    for (const [name, build] of Object.entries(ASSESSMENTS)) {
      it(`${format} renders the ${name} assessment, the same way twice`, () => {
        for (const audience of AUDIENCES) {
          const options = { audience, color: false };
          const first = render(build(), format, options);
          assert.ok(first.length > 50, 'not empty');
          assert.ok(first.endsWith('\n'), 'ends with a newline');
          assert.equal(render(build(), format, options), first, 'deterministic');
          // Without colour nothing may carry an escape sequence; a name with one is neutralised.
          assert.ok(!first.includes('\u001b'), 'no terminal escape sequences');
          if (format === 'json' || format === 'sarif' || format === 'asff' || format === 'ocsf') {
            assert.doesNotThrow(() => JSON.parse(first) as unknown);
          }
        }
      });
    }
  }

  it('no format lets the hostile name through as markup', () => {
    const assessment = mixedAssessment();
    for (const format of FORMATS) {
      const out = render(assessment, format);
      if (format === 'html' || format === 'junit') {
        assert.ok(!out.includes(HOSTILE_NAME), `${format} escapes ${HOSTILE_NAME}`);
        assert.ok(!out.includes('<script>alert(2)'), `${format} escapes the error message`);
      } else if (format === 'markdown') {
        // Code spans and fences are literal in Markdown; everywhere else markup must be entity-encoded.
        const prose = out.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
        assert.ok(out.includes(`\`${HOSTILE_NAME}\``), 'the name is shown, as code');
        assert.doesNotMatch(prose, /<img|<script/, 'no markup outside code');
      } else {
        // Plain-text and JSON formats carry the name as data (JSON-escaped or quoted), never as markup.
        assert.ok(out.includes('img src=x onerror=alert(1)'), `${format} keeps the real name`);
      }
    }
  });

  it('file endings choose formats, the longest ending first', () => {
    assert.equal(formatForFile('out/r.asff.json'), 'asff');
    assert.equal(formatForFile('out/r.ocsf.json'), 'ocsf');
    assert.equal(formatForFile('out/r.json'), 'json');
    assert.equal(formatForFile('R.HTML'), 'html');
    assert.equal(formatForFile('r.htm'), 'html');
    assert.equal(formatForFile('r.sarif'), 'sarif');
    assert.equal(formatForFile('r.sarif.json'), 'sarif', 'the compound ending, not .json');
    assert.equal(formatForFile('R.SARIF.JSON'), 'sarif');
    assert.equal(formatForFile('r.markdown'), 'markdown');
    assert.equal(formatForFile('r.csv'), 'csv');
    assert.equal(formatForFile('r.junit.xml'), 'junit');
    assert.equal(formatForFile('r.xml'), 'junit');
    assert.equal(formatForFile('r.md'), 'markdown');
    assert.equal(formatForFile('r.txt'), 'text');
    assert.equal(formatForFile('report'), undefined);
    for (const format of FORMATS) assert.equal(formatForFile(`x${FORMAT_SPECS[format].extension}`), format);
  });

  it('format lists keep their order, drop repeats and take aliases', () => {
    assert.deepEqual(parseFormatList('html, json,md,HTML'), ['html', 'json', 'markdown']);
    assert.equal(parseFormat('XML'), 'junit');
    assert.throws(() => parseFormatList(' , '), /--format needs at least one format/);
    assert.throws(
      () => parseFormatList('html,pdf'),
      /unknown format 'pdf'; choose one of: text, markdown, html, json/,
    );
  });
});
