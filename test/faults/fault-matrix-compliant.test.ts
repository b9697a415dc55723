/**
 * The fault matrix on an account where every control passes: each call the scan makes, failed for good in
 * each way AWS fails, must turn the controls that rested on it UNKNOWN, with the reason, and nothing PASS.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeViolations, runFaultMatrix } from '../support/fault-matrix.js';
import { useFaultProxy } from '../support/fault-suite.js';
import { COMPLIANT_LAKE, compliantScenario } from '../support/scenarios/compliant.js';
import { lakeRules } from '../support/scenarios/lake.js';

const suite = useFaultProxy();
const REGIONS = ['us-east-1', 'eu-west-1'];

describe('fault matrix: compliant account', () => {
  it('no fault on any call gives a false PASS', async (t) => {
    await compliantScenario(suite.aws);
    const report = await runFaultMatrix({
      proxy: suite.proxy,
      // One attempt: the faults here are for good, and retries have tests of their own (resilience).
      access: { ...suite.access, maxAttempts: 1, requestTimeoutMs: 500 },
      regions: REGIONS,
      stubs: lakeRules(COMPLIANT_LAKE, REGIONS),
    });
    t.diagnostic(
      `fault matrix, compliant account: ${report.calls.length} calls × ${report.faults.length} fault kinds = ${report.scans} scans, ${report.verdicts} verdicts checked, ${report.refused} scans refused to run, ${report.substituted} PASS kept on the same fact read in another Region, ${report.alternatives} on the alternative facts listed in ALTERNATIVE_FACTS, false PASS: ${report.falsePass.length}`,
    );
    const notPassing = report.baseline.results.filter((r) => r.status !== 'PASS').map((r) => r.control.id);
    assert.deepEqual(
      notPassing,
      [],
      'every control passes in the compliant scenario (extend it for new controls)',
    );
    assert.equal(report.falsePass.length, 0, `false PASS:\n${describeViolations(report.falsePass)}`);
    assert.equal(report.otherProblems.length, 0, describeViolations(report.otherProblems));
  });
});
