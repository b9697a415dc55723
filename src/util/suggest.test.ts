import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestMatch, editDistance } from './suggest.js';

describe('closestMatch', () => {
  it('counts inserts, deletes, replacements and swaps as one edit each', () => {
    assert.equal(editDistance('CloudTral.4', 'CloudTrail.4'), 1);
    assert.equal(editDistance('sacn', 'scan'), 1);
    assert.equal(editDistance('abc', 'abc'), 0);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('suggests the one close candidate, ignoring case', () => {
    const ids = ['CloudTrail.1', 'CloudTrail.4', 'CloudTrail.10', 'TC.Insights'];
    assert.equal(closestMatch('CloudTral.4', ids), 'CloudTrail.4');
    assert.equal(closestMatch('tc.insight', ids), 'TC.Insights');
    assert.equal(closestMatch('sacn', ['scan', 'collect', 'demo']), 'scan');
  });

  it('suggests nothing when nothing is close, or two are equally close', () => {
    assert.equal(closestMatch('bogus', ['scan', 'collect', 'demo']), undefined);
    assert.equal(closestMatch('CloudTrail.8', ['CloudTrail.1', 'CloudTrail.4']), undefined);
    assert.equal(closestMatch('', ['scan']), undefined);
  });
});
