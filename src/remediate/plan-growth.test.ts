/**
 * How planning and its views grow with the account, counted, never timed: simulated calls and record
 * copies for N failing trails must grow like N. The old design replayed the plan from the start for every
 * fixed finding and copied the whole account per simulated call (N² calls, each copying N trails).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { snapshotArbitrary } from '../../test/support/arbitraries.js';
import { everyFixSnapshot } from '../../test/support/plan-snapshots.js';
import { scaledSnapshot } from '../../test/support/scaled-snapshot.js';
import { DEMO_SNAPSHOT } from '../cli/commands/demo.js';
import { CONTROLS } from '../controls/index.js';
import { trailCheckCounter } from '../controls/multi-region-requirement.js';
import { render } from '../report/index.js';
import { reportOf } from '../report/model.js';
import { parseSnapshot } from '../snapshot/io.js';
import { packageRoot } from '../util/package-root.js';
import { renderPlanCloudFormation } from './cloudformation.js';
import { buildPlan, planningChecks } from './plan.js';
import { simulationCounters } from './simulate.js';
import { renderPlanTerraform } from './terraform.js';

/** The work of judging, planning and every view that reads the plan, for an account of N failing trails. */
function workFor(trails: number): { calls: number; copies: number; steps: number } {
  const snapshot = scaledSnapshot(trails);
  simulationCounters.calls = 0;
  simulationCounters.recordCopies = 0;
  const report = reportOf(snapshot, CONTROLS);
  // JSON shows each finding's fix as Terraform and CloudFormation; the plan forms show the whole plan.
  render(report, 'json');
  render(report, 'markdown');
  renderPlanTerraform(report.plan, snapshot);
  renderPlanCloudFormation(report.plan, snapshot);
  return {
    calls: simulationCounters.calls,
    copies: simulationCounters.recordCopies,
    steps: report.plan.steps.length,
  };
}

describe('planning grows linearly with the account', () => {
  it('simulates each step twice and copies only the records a call changes, at every size', () => {
    const sizes = [2, 4, 8, 16];
    const work = sizes.map(workFor);
    for (const [i, w] of work.entries()) {
      const trails = sizes[i] as number;
      assert.ok(w.steps >= trails * 10, `${trails} failing trails give at least ${trails * 10} steps`);
      // Each step is simulated once when tried and once in the final order; nothing is replayed.
      assert.ok(
        w.calls <= 2 * w.steps + trails,
        `${trails} trails: ${w.calls} simulated calls for ${w.steps} steps`,
      );
      assert.ok(w.copies <= 2 * w.calls, `${trails} trails: ${w.copies} record copies for ${w.calls} calls`);
    }
    const [small, , , large] = work as [(typeof work)[0], unknown, unknown, (typeof work)[0]];
    // 8 times the trails: at most 9 times the work (the old design made about 64 times the calls).
    assert.ok(large.calls <= 9 * small.calls, `calls ${small.calls} → ${large.calls}`);
    assert.ok(large.copies <= 9 * small.copies, `copies ${small.copies} → ${large.copies}`);
  });
});

describe('the account-wide trail controls while planning', () => {
  it('check a trail again only when a simulated change made it a new record', () => {
    // CloudTrail.1 and the S3 object-event controls judge all trails whenever one changed; before, each
    // of those changes checked every trail again (N changes × N trails).
    const checksFor = (trails: number) => {
      const snapshot = scaledSnapshot(trails);
      const judged = reportOf(snapshot, CONTROLS).judged;
      trailCheckCounter.checks = 0;
      buildPlan(snapshot, CONTROLS, {}, judged);
      return trailCheckCounter.checks;
    };
    const small = checksFor(4);
    const large = checksFor(32);
    // 8 times the trails: at most 10 times the checks (about 60 times before).
    assert.ok(large <= 10 * small, `trail checks ${small} → ${large}`);
  });
});

/** Freezes every object reachable from `value`, so that a change in place throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe('the simulation copies on write', () => {
  it('never changes a record of the snapshot it starts from (a frozen snapshot plans as a fresh one)', () => {
    for (const snapshot of [everyFixSnapshot(), scaledSnapshot(3)]) {
      const fresh = buildPlan(structuredClone(snapshot), CONTROLS);
      const frozen = buildPlan(deepFreeze(snapshot), CONTROLS);
      assert.deepEqual(frozen.steps, fresh.steps);
      assert.deepEqual(frozen.warnings, []);
    }
  });
});

describe('judging again only what a change reaches', () => {
  const check = (snapshot: Parameters<typeof buildPlan>[0]) => {
    planningChecks.verifyIncremental = true;
    try {
      return buildPlan(snapshot, CONTROLS);
    } finally {
      planningChecks.verifyIncremental = false;
    }
  };

  it('agrees with judging everything after every fix, on hand-built and recorded accounts', () => {
    const demo = parseSnapshot(readFileSync(join(packageRoot(), DEMO_SNAPSHOT), 'utf8'), 'demo snapshot');
    for (const snapshot of [everyFixSnapshot(), scaledSnapshot(6), demo]) {
      const plan = check(snapshot);
      assert.deepEqual(plan.warnings, []);
    }
  });

  it('agrees with judging everything after every fix, on random evidence (fast-check)', () => {
    fc.assert(
      fc.property(snapshotArbitrary, (snapshot) => {
        check(snapshot);
      }),
      { numRuns: 150, seed: 20261129 },
    );
  });
});
