/** Which benchmark version's pattern judges a monitoring check, and why the default is safe. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CIS_MONITORING_PATTERNS,
  CIS_VERSIONS,
  DEFAULT_CIS_VERSION,
  cisCoverage,
  judgedPattern,
} from './cis-patterns.js';

describe('the CIS version a monitoring check is judged by', () => {
  const cases: Array<[string, string | undefined, string, string]> = [
    ['CloudWatch.2', 'cis-1.2', 'cis-1.2', 'CIS v1.2.0'],
    ['CloudWatch.2', 'cis-1.4', 'cis-1.4', 'CIS v1.4.0'],
    ['CloudWatch.2', 'cis-3.0', 'cis-3.0', 'CIS v3.0.0'],
    ['CloudWatch.2', 'cis-4.0', 'cis-4.0', 'CIS v4.0.1'],
    ['CloudWatch.2', 'cis-5.0', 'cis-5.0', 'CIS v5.0.0'],
    ['CloudWatch.2', 'securityhub', 'cis-1.2', 'CIS v1.2.0'],
    ['CloudWatch.2', undefined, 'cis-1.2', 'CIS v1.2.0'],
    // v1.2 has no Organizations item: the earliest version that prints it.
    ['TC.OrganizationsChanges', undefined, 'cis-1.4', 'CIS v1.4.0'],
    ['TC.OrganizationsChanges', 'cis-1.2', 'cis-1.4', 'CIS v1.4.0'],
    ['TC.OrganizationsChanges', 'cis-5.0', 'cis-5.0', 'CIS v5.0.0'],
  ];
  for (const [id, framework, version, label] of cases)
    it(`${id} under ${framework ?? 'no framework'}: ${label}`, () => {
      const judged = judgedPattern(id, framework);
      assert.equal(judged?.version, version);
      assert.equal(judged?.label, label);
    });

  it('a check no version prints has no pattern', () =>
    assert.equal(judgedPattern('CloudTrail.1', undefined), undefined));

  it(`the default (${DEFAULT_CIS_VERSION}, Security Hub's) catches every event each version's pattern catches, so it never passes what a chosen version fails`, () => {
    for (const [id, printed] of Object.entries(CIS_MONITORING_PATTERNS)) {
      const judged = judgedPattern(id, undefined);
      assert.ok(judged, id);
      const defaultMeaning = judged.pattern.meaning ?? judged.pattern.text;
      for (const version of CIS_VERSIONS) {
        const pattern = printed[version];
        if (pattern)
          assert.equal(
            cisCoverage(defaultMeaning, pattern).verdict,
            'covers',
            `${id}: ${judged.version} over ${version}`,
          );
      }
    }
  });

  it('the later versions are narrower where they differ: v5.0’s CloudWatch.2 and .3 patterns miss events v1.2’s catch', () => {
    for (const id of ['CloudWatch.2', 'CloudWatch.3']) {
      const v5 = CIS_MONITORING_PATTERNS[id]?.['cis-5.0'];
      const v12 = CIS_MONITORING_PATTERNS[id]?.['cis-1.2'];
      assert.ok(v5 && v12);
      const narrower = id === 'CloudWatch.3' ? (v5.alternatives?.[0] as string) : (v5.meaning ?? v5.text);
      assert.equal(cisCoverage(narrower, v12).verdict, 'misses', id);
      assert.equal(cisCoverage(narrower, v5).verdict, 'covers', id);
    }
  });
});
