import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedAssessment, suppressedSeedAssessment } from '../../test/support/assessments.js';

describe('the report: verdicts, then suppressions, then one plan', () => {
  it('gives a finding the user accepted no step, and lists it as accepted', () => {
    const plain = seedAssessment();
    const accepted = suppressedSeedAssessment();
    const isLogging = (f: { control: string }) => f.control === 'CloudTrail.7';
    const open = plain.findings.find(isLogging);
    const suppressed = accepted.findings.find(isLogging);
    assert.ok(open && suppressed?.suppressed, 'the seed fails CloudTrail.7, and the file accepts it');
    assert.ok(plain.planOrder(open) !== undefined, 'without the file, the plan fixes it');
    assert.equal(accepted.planOrder(suppressed), undefined, 'accepted, it has no place in the plan');
    assert.ok(!accepted.plan.actions.some((a) => a.controls.includes('CloudTrail.7')));
    assert.deepEqual(
      accepted.plan.accepted.map((a) => a.control),
      ['CloudTrail.7'],
    );
  });

  it('makes the Terraform and CloudFormation of a fix only when asked, once per action', () => {
    const report = seedAssessment();
    const fixed = report.findings.filter((f) => f.status === 'FAIL' && report.planOrder(f) !== undefined);
    assert.ok(fixed.length > 0);
    for (const finding of fixed) {
      assert.equal(finding.remediation?.terraform, undefined, 'not made with the verdicts');
      const code = report.fixAsCode(finding);
      assert.ok(code?.terraform.includes('resource') || code?.terraform.includes('import'));
      assert.equal(report.fixAsCode(finding), code, 'made once');
    }
  });
});
