import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotView } from '../../evaluate/view.js';
import { plain } from '../../core/rich.js';
import { denied, ok, snapshot, trail } from '../../../test/support/snapshot-builder.js';
import { control } from './control.js';

const insights = (...types: string[]) =>
  ok({ InsightSelectors: types.map((InsightType) => ({ InsightType })) }, 'cloudtrail:GetInsightSelectors');
const run = (snap: ReturnType<typeof snapshot>) => control.evaluate(new SnapshotView(snap));

describe('TC.Insights', () => {
  it('passes with both Insights types, and names a missing one', () => {
    const [both] = run(
      snapshot({
        trails: [trail({ Name: 'Main', insights: insights('ApiCallRateInsight', 'ApiErrorRateInsight') })],
      }),
    );
    assert.equal(both?.status, 'PASS');
    const [one] = run(
      snapshot({
        trails: [trail({ Name: 'Main', insights: insights('ApiCallRateInsight', 'ApiCallRateInsight') })],
      }),
    );
    assert.equal(one?.status, 'PASS');
    assert.match(plain(one.message), /ApiErrorRateInsight is still off/);
  });

  it('fails with Insights off (InsightNotEnabledException was read as none), with the command', () => {
    const [finding] = run(snapshot({ trails: [trail({ Name: 'Main', insights: insights() })] }));
    assert.equal(finding?.status, 'FAIL');
    assert.match(
      finding?.remediation?.cli[0] ?? '',
      /put-insight-selectors --region us-east-1 --trail-name Main --insight-selectors '\[\{"InsightType":"ApiCallRateInsight"\},\{"InsightType":"ApiErrorRateInsight"\}\]'/,
    );
  });

  it('is UNKNOWN when the settings cannot be read, or were not collected', () => {
    const [deniedFinding] = run(
      snapshot({ trails: [trail({ Name: 'Main', insights: denied('cloudtrail:GetInsightSelectors') })] }),
    );
    assert.equal(deniedFinding?.status, 'UNKNOWN');
    const [notCollected] = run(
      snapshot({ trails: [trail({ Name: 'Main' })], collected: ['cloudtrail.trails'] }),
    );
    assert.equal(notCollected?.status, 'UNKNOWN');
  });

  it('does not judge organization trails owned elsewhere', () => {
    assert.deepEqual(
      run(snapshot({ trails: [trail({ Name: 'org', owner: '999999999999', insights: insights() })] })),
      [],
    );
  });
});
