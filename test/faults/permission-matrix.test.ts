/**
 * The permission matrix, with moto enforcing IAM: for each action of the scan policy (derived from the
 * controls, so new ones are covered), credentials that lack only that action. The findings that needed it
 * turn UNKNOWN and name it (a FAIL that facts which did arrive still decide may stay FAIL, its evidence
 * naming the action); every other finding is exactly what full permissions give; a permission whose loss
 * changes no finding is named in the notes. On a compliant and on a non-compliant account.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import { scanActions } from '../../src/aws/scan-policy.js';
import { CONTROLS } from '../../src/controls/index.js';
import type { Finding } from '../../src/controls/types.js';
import type { Assessment } from '../../src/evaluate/assess.js';
import { restrictedScanners, scanMoto, useMoto } from '../support/moto-suite.js';
import type { MotoSuite } from '../support/moto-suite.js';
import { compliantScenario } from '../support/scenarios/compliant.js';
import { noncompliantScenario } from '../support/scenarios/noncompliant.js';
import type { SeedClients } from '../support/aws.js';

const suite = useMoto();
const REGIONS = ['us-east-1', 'eu-west-1'];

interface PermissionOutcome {
  permission: string;
  changed: number;
  problems: string[];
}

const key = (f: Finding) => `${f.control} ${f.resource.id} ${f.resource.name}`;

/** What losing `permission` did, against the full-permission baseline. */
function compare(permission: string, baseline: Assessment, restricted: Assessment): PermissionOutcome {
  const problems: string[] = [];
  let changed = 0;
  for (const finding of restricted.findings) {
    if (baseline.findings.some((b) => isDeepStrictEqual(b, finding))) continue;
    changed += 1;
    const before = baseline.findings.find((b) => key(b) === key(finding));
    if (finding.status === 'UNKNOWN') {
      if (!finding.remediation?.permissions?.includes(permission)) {
        problems.push(`${key(finding)} is UNKNOWN without naming ${permission}`);
      }
    } else if (finding.status === 'FAIL' && before?.status === 'FAIL') {
      // Still failing on facts that did arrive; the evidence must show what could not be read.
      if (!finding.evidence.some((e) => e.error?.permission === permission)) {
        problems.push(`${key(finding)} still FAILs but its evidence does not name ${permission}`);
      }
    } else if (finding.status === 'PASS') {
      problems.push(`${key(finding)}: false PASS without ${permission} (its evidence changed)`);
    } else {
      problems.push(
        `${key(finding)} is ${finding.status}, was ${before?.status ?? 'absent'} with full permissions`,
      );
    }
  }
  for (const result of baseline.results) {
    const now = restricted.results.find((r) => r.control.id === result.control.id);
    if (now?.status === result.status) continue;
    if (now?.status !== 'UNKNOWN')
      problems.push(`${result.control.id} went ${result.status} -> ${now?.status}`);
    if (now?.status === 'PASS') problems.push(`${result.control.id}: false PASS without ${permission}`);
  }
  for (const gone of baseline.findings) {
    if (restricted.findings.some((f) => key(f) === key(gone))) continue;
    const named = restricted.findings.some(
      (f) =>
        f.control === gone.control &&
        f.status === 'UNKNOWN' &&
        f.remediation?.permissions?.includes(permission),
    );
    if (!named) problems.push(`${key(gone)} vanished without an UNKNOWN naming ${permission}`);
  }
  if (changed === 0 && !restricted.notes.some((n) => n.includes(permission))) {
    problems.push(
      `losing ${permission} changed nothing and no note names it: is it in the policy for a reason?`,
    );
  }
  return { permission, changed, problems };
}

async function walk(scenario: (aws: SeedClients) => Promise<void>, s: MotoSuite) {
  await scenario(s.aws);
  const actions = scanActions(CONTROLS);
  const sets = [actions, ...actions.map((missing) => actions.filter((a) => a !== missing))];
  const [full, ...lacking] = await restrictedScanners(s, sets);
  const baseline = await scanMoto(s, { regions: REGIONS, credentials: full! });
  const outcomes: PermissionOutcome[] = [];
  for (const [index, credentials] of lacking.entries()) {
    const restricted = await scanMoto(s, { regions: REGIONS, credentials });
    outcomes.push(compare(actions[index]!, baseline, restricted));
  }
  return { actions, baseline, outcomes };
}

function summary(outcomes: PermissionOutcome[]): string {
  return outcomes.map((o) => `${o.permission}: ${o.changed} finding(s) changed`).join(', ');
}

describe('permission matrix', () => {
  for (const [name, scenario, expected] of [
    ['compliant', compliantScenario, 'PASS'],
    ['non-compliant', noncompliantScenario, 'FAIL'],
  ] as const) {
    it(`${name} account: each missing permission makes exactly the findings that need it UNKNOWN`, async (t) => {
      const { actions, baseline, outcomes } = await walk(scenario, suite);
      assert.deepEqual(
        baseline.results.map((r) => r.status),
        baseline.results.map(() => expected),
        `with every permission, every control is ${expected}`,
      );
      const falsePass = outcomes.flatMap((o) => o.problems.filter((p) => p.includes('false PASS')));
      t.diagnostic(
        `permission matrix, ${name} account: ${actions.length} permissions tried one missing at a time (${summary(outcomes)}), false PASS: ${falsePass.length}`,
      );
      assert.deepEqual(
        outcomes.flatMap((o) => o.problems),
        [],
      );
    });
  }
});
