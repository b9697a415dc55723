/**
 * The fault matrix on an account where every control fails: whatever call fails, however, no control may
 * PASS; a control turned UNKNOWN names the failed call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeViolations, runFaultMatrix } from '../support/fault-matrix.js';
import { useFaultProxy } from '../support/fault-suite.js';
import { NONCOMPLIANT_LAKE, noncompliantScenario } from '../support/scenarios/noncompliant.js';
import { lakeRules } from '../support/scenarios/lake.js';

const suite = useFaultProxy();
const REGIONS = ['us-east-1', 'eu-west-1'];

describe('fault matrix: non-compliant account', () => {
  it('no fault on any call turns a FAIL into PASS', async (t) => {
    await noncompliantScenario(suite.aws);
    const report = await runFaultMatrix({
      proxy: suite.proxy,
      // One attempt: the faults here are for good, and retries have tests of their own (resilience).
      access: { ...suite.access, maxAttempts: 1, requestTimeoutMs: 500 },
      regions: REGIONS,
      stubs: lakeRules(NONCOMPLIANT_LAKE, REGIONS),
    });
    t.diagnostic(
      `fault matrix, non-compliant account: ${report.calls.length} calls × ${report.faults.length} fault kinds = ${report.scans} scans, ${report.verdicts} verdicts checked, ${report.refused} scans refused to run, ${report.substituted} PASS kept on the same fact read in another Region, ${report.alternatives} on the alternative facts listed in ALTERNATIVE_FACTS, false PASS: ${report.falsePass.length}`,
    );
    const notFailing = report.baseline.results.filter((r) => r.status !== 'FAIL').map((r) => r.control.id);
    assert.deepEqual(
      notFailing,
      [],
      'every control fails in the non-compliant scenario (extend it for new controls)',
    );
    assert.equal(report.falsePass.length, 0, `false PASS:\n${describeViolations(report.falsePass)}`);
    assert.equal(report.otherProblems.length, 0, describeViolations(report.otherProblems));
  });
});
