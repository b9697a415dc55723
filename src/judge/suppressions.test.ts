import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findControl } from '../controls/index.js';
import type { ControlDefinition } from '../controls/types.js';
import { assess, integerResult } from './assess.js';
import { seedAssessment } from '../../test/support/assessments.js';
import { snapshot } from '../../test/support/snapshot-builder.js';
import { applySuppressions, expiredMessage, parseSuppressions, unmatchedMessage } from './suppressions.js';

const LABEL = 'suppression file ignore.yaml';

const valid = `# accepted findings
suppressions:
  - control: CloudTrail.7
    resource: mooncloud-cftrail
    reason: the organization's archive logs access to this bucket
    expires: 2099-12-31
  - control: cloudtrail.4
    resource: "*"
    reason: validation is being rolled out (TICKET-42)
    expires: 2020-01-31
`;

describe('suppression files', () => {
  it('parses YAML, keeping dates as written', () => {
    const file = parseSuppressions(valid, LABEL);
    assert.equal(file.entries.length, 2);
    assert.equal(file.entries[0]?.expires, '2099-12-31');
    assert.equal(file.entries[1]?.resource, '*');
  });

  it('takes JSON too', () => {
    const json = JSON.stringify({
      suppressions: [
        { control: 'CloudTrail.4', resource: 'MooncloudCisTest', reason: 'r', expires: '2099-01-01' },
      ],
    });
    assert.equal(parseSuppressions(json, LABEL).entries[0]?.resource, 'MooncloudCisTest');
  });

  const errors: Array<[string, string, RegExp]> = [
    [
      'a missing key',
      'suppressions:\n  - control: CloudTrail.7\n    resource: b\n    expires: 2099-01-01\n',
      /is malformed at suppressions\[0\]\.reason \(line 2, column 5\): 'reason' is missing\.$/,
    ],
    [
      'a misspelt key, at its line',
      'suppressions:\n  - control: CloudTrail.7\n    resource: b\n    reason: r\n    expiry: 2099-01-01\n',
      /^suppression file ignore\.yaml is malformed at suppressions\[0\] \(line 2, column 5\): Unrecognized key: "expiry" \(and 1 more problem\(s\)\)\.$/,
    ],
    [
      'a date that does not exist',
      'suppressions:\n  - control: CloudTrail.7\n    resource: b\n    reason: r\n    expires: 2099-02-30\n',
      /is malformed at suppressions\[0\]\.expires \(line 5, column 14\): not a real calendar date\.$/,
    ],
    [
      'a date in another format',
      'suppressions:\n  - control: CloudTrail.7\n    resource: b\n    reason: r\n    expires: 31/12/2099\n',
      /at suppressions\[0\]\.expires \(line 5, column 14\): expected a date like 2026-12-31/,
    ],
    [
      'an unknown control',
      'suppressions:\n  - control: CloudTrail.99\n    resource: b\n    reason: r\n    expires: 2099-01-01\n',
      /at suppressions\[0\]\.control \(line 2, column 14\): unknown control 'CloudTrail\.99'; known controls: CloudTrail\.1/,
    ],
    [
      'an empty reason',
      'suppressions:\n  - control: CloudTrail.7\n    resource: b\n    reason: "  "\n    expires: 2099-01-01\n',
      /at suppressions\[0\]\.reason \(line 4, column 13\): say why the finding is accepted/,
    ],
    [
      'broken YAML',
      'suppressions:\n  - control: [CloudTrail.7\n',
      /is not valid YAML or JSON: .*\(line \d+, column \d+\)\.$/,
    ],
    ['an empty file', '\n# nothing\n', /is empty; it needs a "suppressions:" list/],
    [
      'a Region that is not a Region code',
      'suppressions:\n  - control: CloudTrail.3\n    resource: "*"\n    region: Ireland\n    reason: r\n    expires: 2099-01-01\n',
      /at suppressions\[0\]\.region \(line 4, column 13\): expected a Region code like eu-west-1\.$/,
    ],
    ['a list at the top', '- control: CloudTrail.7\n', /is malformed at the top level \(line 1, column 1\)/],
  ];
  for (const [what, text, pattern] of errors) {
    it(`names the place of ${what}, in one line`, () => {
      assert.throws(
        () => parseSuppressions(text, LABEL),
        (error: Error) => {
          assert.equal(error.name, 'UsageError');
          assert.doesNotMatch(error.message, /\n/);
          assert.match(error.message, pattern);
          return true;
        },
      );
    });
  }

  it('applies live entries by name, ARN or "*", case-insensitively by control, and only to findings that did not pass', () => {
    const file = parseSuppressions(valid, LABEL);
    const { assessment, expired } = applySuppressions(seedAssessment(), file, '2026-06-01');
    const bucket = assessment.findings.find((f) => f.control === 'CloudTrail.7');
    assert.deepEqual(bucket?.suppressed, {
      reason: "the organization's archive logs access to this bucket",
      expires: '2099-12-31',
      source: `${LABEL}, entry 1`,
    });
    // Results and the flat list share the marked finding.
    assert.equal(assessment.results.find((r) => r.control.id === 'CloudTrail.7')?.findings[0], bucket);
    assert.equal(
      assessment.findings.find((f) => f.control === 'CloudTrail.4')?.suppressed,
      undefined,
      'expired',
    );
    assert.deepEqual(
      expired.map((e) => e.number),
      [2],
    );
    assert.equal(
      expiredMessage(file, expired),
      `${LABEL}: a suppression has expired: entry 2 (cloudtrail.4 on *) expired on 2020-01-31. The findings are reported unsuppressed; fix them, or renew or remove the entry.`,
    );
    const byArn = parseSuppressions(
      'suppressions:\n  - {control: CloudTrail.7, resource: "arn:aws:s3:::mooncloud-cftrail", reason: r, expires: 2099-01-01}\n  - {control: CloudTrail.4, resource: "*", reason: r, expires: 2026-06-01}\n',
      LABEL,
    );
    const all = applySuppressions(seedAssessment(), byArn, '2026-06-01');
    assert.equal(all.expired.length, 0, 'an entry is live through its expiry day');
    assert.equal(integerResult(all.assessment), 0, 'everything that failed is accepted');
    assert.ok(all.assessment.findings.filter((f) => f.status === 'PASS').every((f) => !f.suppressed));
  });

  describe('entries that name a Region', () => {
    // No trail at all: CloudTrail.3 fails in both Regions, and both findings have the account id as id.
    const regional = () =>
      assess(snapshot({ regions: ['us-east-1', 'eu-west-1'] }), [
        findControl('CloudTrail.3') as ControlDefinition,
      ]);
    const entry = (fields: string) =>
      `suppressions:\n  - {control: CloudTrail.3, ${fields}, reason: r, expires: 2099-01-01}\n`;
    const suppressedRegions = (text: string) =>
      applySuppressions(regional(), parseSuppressions(text, LABEL), '2026-06-01')
        .assessment.findings.filter((f) => f.suppressed)
        .map((f) => f.resource.region)
        .sort();

    it('accept the finding in that Region only', () => {
      assert.deepEqual(suppressedRegions(entry('resource: "*", region: eu-west-1')), ['eu-west-1']);
      assert.deepEqual(suppressedRegions(entry('resource: "123456789012", region: us-east-1')), [
        'us-east-1',
      ]);
    });

    it('without a Region, an entry keeps matching the resource in every Region', () => {
      assert.deepEqual(suppressedRegions(entry('resource: "*"')), ['eu-west-1', 'us-east-1']);
      assert.deepEqual(suppressedRegions(entry('resource: "123456789012"')), ['eu-west-1', 'us-east-1']);
    });
  });

  it('names each live entry that matches no open finding of an assessed control, in one line', () => {
    const file = parseSuppressions(
      `suppressions:
  - {control: CloudTrail.7, resource: mooncloud-cftrail, reason: r, expires: 2099-12-31}
  - {control: CloudTrail.7, resource: mooncloud-cftrial, reason: misspelt, expires: 2099-12-31}
  - {control: CloudTrail.7, resource: mooncloud-cftrail, region: eu-west-1, reason: wrong Region, expires: 2099-12-31}
  - {control: CloudTrail.1, resource: "*", reason: it passes, expires: 2099-12-31}
  - {control: CloudTrail.7, resource: gone, reason: expired, expires: 2020-01-01}
  - {control: TC.Insights, resource: "*", reason: not assessed in this run, expires: 2099-12-31}
`,
      LABEL,
    );
    const { unmatched, expired } = applySuppressions(seedAssessment(), file, '2026-06-01');
    assert.deepEqual(
      unmatched.map((u) => u.number),
      [2, 3, 4],
    );
    assert.deepEqual(
      expired.map((e) => e.number),
      [5],
    );
    const line = unmatchedMessage(file, unmatched[1]!);
    assert.equal(
      line,
      `${LABEL}: entry 3 (CloudTrail.7 on mooncloud-cftrail in eu-west-1) matches no finding that failed or could not be assessed; if the gap is closed or the resource gone, remove the entry, else check its spelling.`,
    );
    assert.doesNotMatch(line, /\n/);
  });
});
