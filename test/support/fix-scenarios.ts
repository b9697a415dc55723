/** Runs half of FAILING_SCENARIOS (by parity) as fix → re-scan PASS → second fix changes nothing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findControl } from '../../src/controls/index.js';
import type { ControlDefinition } from '../../src/controls/types.js';
import { fixJson } from './fix.js';
import { scanMoto, useMoto } from './moto-suite.js';
import { FAILING_SCENARIOS } from './scenarios/failing.js';

export function runFixScenarios(half: 0 | 1): void {
  const suite = useMoto();
  describe(`trailcheck fix on moto, one fix at a time (${half + 1} of 2)`, () => {
    FAILING_SCENARIOS.forEach((scenario, index) => {
      if (index % 2 !== half) return;
      it(`${scenario.name}: fix --apply --yes, then PASS, then a second run changes nothing`, async () => {
        await scenario.seed(suite.aws);
        const controls = scenario.controls.map((id) => findControl(id) as ControlDefinition);
        const before = await scanMoto(suite, { controls });
        assert.ok(
          before.findings.some((f) => f.status === 'FAIL'),
          `${scenario.name} fails before the fix`,
        );
        const flags = [
          ...((await scenario.flags?.(suite.aws)) ?? []),
          '--controls',
          scenario.controls.join(','),
        ];
        const first = await fixJson(suite, ['--apply', '--yes', ...flags]);
        const output = `${first.result.stdout}\n${first.result.stderr}`;
        assert.equal(first.result.code, 0, output);
        assert.ok(first.report.plan.steps.length > 0, 'the plan had steps');
        assert.ok(
          first.report.applied?.every((s) => s.status === 'done'),
          output,
        );
        assert.deepEqual(
          first.report.verdicts?.filter((v) => v.after !== 'PASS'),
          [],
          'every control the fix touched passes on fresh evidence',
        );

        const after = await scanMoto(suite, { controls });
        assert.deepEqual(
          after.findings
            .filter((f) => f.status !== 'PASS')
            .map((f) => `${f.control} ${f.status} ${f.resource.name}`),
          [],
          'a scan after the fix passes every control of the scenario',
        );

        const second = await fixJson(suite, ['--apply', '--yes', ...flags]);
        assert.equal(second.result.code, 0, second.result.stdout);
        assert.equal(second.report.plan.steps.length, 0, 'the second run plans nothing');
        assert.deepEqual(second.report.writes, [], 'the second run makes no call that changes anything');
      });
    });
  });
}
