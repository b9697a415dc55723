/**
 * Reports give a check that could not be assessed the advice that fits its cause, in every human form and
 * audience: permissions only for a denial, "AWS did not answer; run again" for a throttle or a server
 * error, and a bottom line that never points to permissions the report does not show.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FailureKind } from '../aws/errors.js';
import { findControl } from '../controls/index.js';
import type { ControlDefinition } from '../controls/types.js';
import { reportOf } from './model.js';
import type { Report } from './model.js';
import { failed, snapshot, trail } from '../../test/support/snapshot-builder.js';
import { render } from './index.js';

const controls = (...ids: string[]) => ids.map((id) => findControl(id) as ControlDefinition);

/** CloudTrail.1 on a trail whose event selectors could not be read for the given reason. */
function selectorsFailed(kind: FailureKind, code: string): Report {
  const snap = snapshot({
    trails: [trail({ Name: 'Main', selectors: failed('cloudtrail:GetEventSelectors', kind, code) })],
  });
  return reportOf(snap, controls('CloudTrail.1', 'CloudTrail.4'));
}

/** CloudTrail.4 when trails could not be listed in eu-west-1, a Region the account has not enabled. */
function regionDisabled(): Report {
  const snap = snapshot({
    trails: [trail({ Name: 'Main' })],
    failedDiscovery: {
      'eu-west-1': failed('cloudtrail:DescribeTrails', 'region-disabled', 'OptInRequired', 'eu-west-1'),
    },
  });
  return reportOf(snap, controls('CloudTrail.4'));
}

interface Case {
  build: () => Report;
  /** In the next step of every form and audience. */
  step: RegExp;
  /** In the bottom line's closing sentence. */
  closing: RegExp;
  /** Whether permissions may be named at all. */
  permissions: boolean;
}

const NO_ANSWER_CLOSING =
  /could not be assessed \(multi-Region coverage\): AWS did not answer some calls \(a throttle, a server error or a timeout\); run trailcheck again – until then, treat it as not passed\./;

const CASES: Record<string, Case> = {
  'access denied': {
    build: () => selectorsFailed('access-denied', 'AccessDeniedException'),
    step: /Allow the scanning identity cloudtrail:GetEventSelectors for trail `?Main`?, then run trailcheck again\./,
    closing:
      /\(multi-Region coverage\); grant the permissions named above and run trailcheck again – until then/,
    permissions: true,
  },
  'a throttle': {
    build: () => selectorsFailed('throttled', 'ThrottlingException'),
    step: /AWS did not answer for trail `?Main`? \(.*ThrottlingException.*\); run trailcheck again – no permission is missing\./,
    closing: NO_ANSWER_CLOSING,
    permissions: false,
  },
  'an HTTP 500': {
    build: () => selectorsFailed('service-error', 'InternalFailure'),
    step: /AWS did not answer for trail `?Main`? \(.*server error \(InternalFailure\).*\); run trailcheck again/,
    closing: NO_ANSWER_CLOSING,
    permissions: false,
  },
  'a timeout': {
    build: () => selectorsFailed('timeout', 'TimeoutError'),
    step: /AWS did not answer for trail `?Main`? \(.*timed out \(TimeoutError\).*\); run trailcheck again/,
    closing: NO_ANSWER_CLOSING,
    permissions: false,
  },
  'a disabled Region': {
    build: regionDisabled,
    step: /Region eu-west-1 is not enabled for this account \(.*OptInRequired.*\): enable it, or leave it out with --region, then run trailcheck again\./,
    closing:
      /could not be assessed \(log file validation\); enable the Regions named above or leave them out with --region and run trailcheck again/,
    permissions: false,
  },
  'a trail deleted during the scan': {
    build: () => selectorsFailed('not-found', 'TrailNotFoundException'),
    step: /was gone by the next call \(.*TrailNotFoundException.*\), so it was likely deleted or renamed during the scan: run trailcheck again to assess it as it is now\./,
    closing:
      /could not be assessed \(multi-Region coverage\): something was deleted or renamed during the scan; run trailcheck again/,
    permissions: false,
  },
};

const FORMS = [
  ['text', 'engineer'],
  ['text', 'executive'],
  ['markdown', 'engineer'],
  ['markdown', 'executive'],
  ['html', 'executive'],
] as const;

describe('reports fit the advice for a check that could not be assessed to its cause', () => {
  for (const [cause, c] of Object.entries(CASES)) {
    for (const [format, audience] of FORMS) {
      it(`${cause}: ${format}, ${audience}`, () => {
        const assessment = c.build();
        assert.ok(
          assessment.findings.some((f) => f.status === 'UNKNOWN'),
          'the case has an UNKNOWN',
        );
        const rendered = render(assessment, format, { audience, color: false });
        // The words, without HTML's tags (a name is a <code> span there).
        const out = format === 'html' ? rendered.replace(/<[^>]*>/g, '') : rendered;
        assert.match(out, c.step, 'the next step');
        // The engineer Markdown and HTML close with the bottom line; the executive form is score, sentences, steps.
        if (audience === 'engineer' && format !== 'text') assert.match(out, c.closing, 'the bottom line');
        if (!c.permissions) {
          assert.doesNotMatch(out, /Permissions to grant|grant the permissions|Allow the scanning identity/);
        } else if (format === 'text' && audience === 'engineer') {
          assert.match(out, /Permissions to grant: cloudtrail:GetEventSelectors/);
        }
      });
    }
  }

  it('the JSON report says the cause, and lists permissions for a denial only', () => {
    const json = (a: Report) =>
      JSON.parse(render(a, 'json')) as {
        findings: Array<{
          status: string;
          remediation: { permissions?: string[]; causes?: string[] } | null;
        }>;
      };
    const unknown = (a: Report) => json(a).findings.find((f) => f.status === 'UNKNOWN')?.remediation;
    const denied = unknown(selectorsFailed('access-denied', 'AccessDenied'));
    assert.deepEqual(denied?.permissions, ['cloudtrail:GetEventSelectors']);
    assert.deepEqual(denied?.causes, ['denied']);
    const throttled = unknown(selectorsFailed('throttled', 'ThrottlingException'));
    assert.equal(throttled?.permissions, undefined);
    assert.deepEqual(throttled?.causes, ['no-answer']);
  });
});
