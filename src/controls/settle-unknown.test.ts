/** The advice for an UNKNOWN fits its cause: permissions only for a denial, another run for no answer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallFailure, FailureKind } from '../aws/errors.js';
import { missingFact, missingFromFailure } from '../evaluate/evidence.js';
import type { MissingFact } from '../evaluate/evidence.js';
import { code, plain, rich } from '../core/rich.js';
import { settleUnknown } from './shared.js';

function failure(kind: FailureKind, errorCode: string, region = 'us-east-1'): MissingFact {
  const call: CallFailure = {
    operation: 'cloudtrail:GetEventSelectors',
    region,
    kind,
    code: errorCode,
    message: `${errorCode} (test)`,
    permission: 'cloudtrail:GetEventSelectors',
  };
  return missingFromFailure(call);
}

const subject = rich`trail ${code('Main')}`;
const advice = (missing: MissingFact[]) => {
  const remediation = settleUnknown(missing, subject);
  return { ...remediation, text: plain(remediation.summary) };
};

describe('settleUnknown: the next step fits what kept the verdict from being known', () => {
  it('a denial names the permission to grant', () => {
    const r = advice([failure('access-denied', 'AccessDeniedException')]);
    assert.equal(
      r.text,
      'Allow the scanning identity cloudtrail:GetEventSelectors for trail Main, then run trailcheck again.',
    );
    assert.deepEqual(r.permissions, ['cloudtrail:GetEventSelectors']);
    assert.deepEqual(r.causes, ['denied']);
  });

  for (const [kind, errorCode] of [
    ['throttled', 'ThrottlingException'],
    ['service-error', 'InternalFailure'],
    ['timeout', 'TimeoutError'],
    ['network', 'ECONNRESET'],
  ] as const) {
    it(`${kind} (${errorCode}) says AWS did not answer and to run again, with no permission`, () => {
      const r = advice([failure(kind, errorCode)]);
      assert.match(r.text, /^AWS did not answer for trail Main \(cloudtrail:GetEventSelectors in us-east-1 /);
      assert.match(
        r.text,
        new RegExp(`${errorCode}.*\\); run trailcheck again – no permission is missing\\.$`),
      );
      assert.doesNotMatch(r.text, /Allow|grant/i);
      assert.equal(r.permissions, undefined, 'no permission is listed for a call AWS did not answer');
      assert.deepEqual(r.causes, ['no-answer']);
    });
  }

  it('a Region that is not enabled is enabled or left out', () => {
    const r = advice([failure('region-disabled', 'OptInRequired', 'ap-east-1')]);
    assert.match(
      r.text,
      /^Region ap-east-1 is not enabled for this account \(.*OptInRequired.*\): enable it, or leave it out with --region, then run trailcheck again\.$/,
    );
    assert.equal(r.permissions, undefined);
    assert.deepEqual(r.causes, ['region-disabled']);
  });

  it('a resource that is gone is assessed again as it is now', () => {
    const r = advice([failure('not-found', 'TrailNotFoundException')]);
    assert.match(
      r.text,
      /was gone by the next call .*TrailNotFoundException.*run trailcheck again to assess it as it is now\.$/,
    );
    assert.equal(r.permissions, undefined);
    assert.deepEqual(r.causes, ['resource-gone']);
  });

  it('evidence a snapshot never asked for is collected again', () => {
    const missing = missingFact(undefined, 'cloudtrail:GetEventSelectors');
    assert.ok(missing);
    const r = advice([missing]);
    assert.match(r.text, /^Collect the evidence again with this control included/);
    assert.deepEqual(r.causes, ['not-collected']);
  });

  it('a denial and a throttle together: one sentence each, permissions for the denied call only', () => {
    const throttled: MissingFact = missingFromFailure({
      operation: 'cloudtrail:GetTrailStatus',
      region: 'us-east-1',
      kind: 'throttled',
      code: 'ThrottlingException',
      message: 'Rate exceeded',
      permission: 'cloudtrail:GetTrailStatus',
    });
    const r = advice([failure('access-denied', 'AccessDeniedException'), throttled]);
    assert.deepEqual(r.permissions, ['cloudtrail:GetEventSelectors']);
    assert.deepEqual(r.causes, ['denied', 'no-answer']);
    assert.match(
      r.text,
      /^Allow the scanning identity cloudtrail:GetEventSelectors for trail Main, then run trailcheck again\. AWS did not answer for trail Main \(cloudtrail:GetTrailStatus .*\); run trailcheck again\.$/,
    );
  });
});
