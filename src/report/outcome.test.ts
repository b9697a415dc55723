import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { integerResult } from '../judge/assess.js';
import {
  allPassAssessment,
  emptyAssessment,
  mixedAssessment,
  seedAssessment,
  suppressedSeedAssessment,
} from '../../test/support/assessments.js';
import { displayStatus, failingFindings, parseFailOn, score } from './outcome.js';

describe('the outcome of an assessment', () => {
  it('--fail-on counts only open findings at or above the level', () => {
    const seed = seedAssessment(); // two low-severity failures
    assert.equal(failingFindings(seed).length, 2);
    assert.equal(failingFindings(seed, 'low').length, 2);
    assert.equal(failingFindings(seed, 'medium').length, 0);
    const mixed = mixedAssessment();
    // CloudTrail.2 (medium) fails for the hostile trail; CloudTrail.7's unknown is low.
    const medium = failingFindings(mixed, 'medium');
    assert.ok(medium.length > 0 && medium.every((f) => f.severity === 'medium' || f.severity === 'high'));
    assert.ok(
      failingFindings(mixed, 'low').some((f) => f.status === 'UNKNOWN'),
      'an unknown is never a pass',
    );
    assert.equal(failingFindings(mixed, 'critical').length, 0);
  });

  it('a suppressed finding keeps its verdict but no longer fails the run', () => {
    const suppressed = suppressedSeedAssessment();
    const bucket = suppressed.findings.find((f) => f.control === 'CloudTrail.7');
    assert.equal(bucket?.status, 'FAIL');
    assert.equal(bucket?.suppressed?.expires, '2099-12-31');
    assert.equal(failingFindings(suppressed).length, 1);
    assert.equal(integerResult(suppressed), 1);
    assert.equal(
      displayStatus(suppressed.results.find((r) => r.control.id === 'CloudTrail.7')!),
      'SUPPRESSED',
    );
    assert.equal(suppressed.summary.FAIL, 2, 'the summary still counts the verdict');
  });

  it('the score weighs passed checks by severity and leaves accepted risks out', () => {
    // seed: high and medium pass (3 + 2), two lows fail (1 + 1): 5 of 7.
    assert.deepEqual(score(seedAssessment()), { value: 71, earned: 5, possible: 7 });
    assert.deepEqual(score(suppressedSeedAssessment()), { value: 83, earned: 5, possible: 6 });
    assert.equal(score(allPassAssessment()).value, 100);
    assert.deepEqual(score(emptyAssessment()), { value: 0, earned: 0, possible: 3 });
  });

  it('rejects an unknown level in one line', () => {
    assert.equal(parseFailOn(' HIGH '), 'high');
    assert.throws(
      () => parseFailOn('severe'),
      /unknown --fail-on level 'severe'; choose one of: low, medium, high, critical\./,
    );
  });
});
