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
import { scanActions } from '../../src/controls/scan-policy.js';
import { CONTROLS } from '../../src/controls/index.js';
import type { Finding } from '../../src/controls/types.js';
import type { Assessment } from '../../src/judge/assess.js';
import { iamActionFor } from '../../src/aws/permissions.js';
import { collect } from '../../src/collect/index.js';
import { assess } from '../../src/judge/assess.js';
import { useFaultProxy } from '../support/fault-suite.js';
import { ALTERNATIVE_FACTS } from '../support/fault-matrix.js';
import { restrictedScanners } from '../support/moto-suite.js';
import { COMPLIANT_LAKE, compliantScenario } from '../support/scenarios/compliant.js';
import { lakeRules } from '../support/scenarios/lake.js';
import type { LakeStore } from '../support/scenarios/lake.js';
import { NONCOMPLIANT_LAKE, noncompliantScenario } from '../support/scenarios/noncompliant.js';
import type { SeedClients } from '../support/aws.js';

const suite = useFaultProxy();
const REGIONS = ['us-east-1', 'eu-west-1'];

interface PermissionOutcome {
  permission: string;
  changed: number;
  problems: string[];
}

const key = (f: Finding) => `${f.control} ${f.resource.id} ${f.resource.name}`;

/** What losing `permission` did, against the full-permission baseline. */
/**
 * A finding as far as a missing permission may touch it: verdict, resource, and which calls gave facts or
 * failed how. Fact values and sentences are left out: some are clock-dependent (a last delivery "3 minutes
 * ago"), and the same scan twice would differ.
 */
function shape(f: Finding) {
  return {
    control: f.control,
    status: f.status,
    resource: f.resource,
    evidence: f.evidence.map((e) => ({
      source: e.source,
      region: e.region,
      facts: e.facts !== undefined,
      error: e.error ? { kind: e.error.kind, permission: e.error.permission } : null,
    })),
    permissions: f.remediation?.permissions ?? null,
  };
}

const same = (a: Finding, b: Finding) => isDeepStrictEqual(shape(a), shape(b));

/** A PASS that lost only facts its control lists as alternatives (ALTERNATIVE_FACTS) still stands. */
function passOnAlternatives(finding: Finding): boolean {
  const alternatives = ALTERNATIVE_FACTS[finding.control] ?? {};
  const failed = finding.evidence.filter((e) => e.error);
  return failed.length > 0 && failed.every((e) => alternatives[e.source] !== undefined);
}

/**
 * Reads a non-compliant account never needs: the CIS Monitoring checks read the CloudWatch chain only behind
 * a multi-Region trail that logs all management events, and that trail is what CloudTrail.1 finds missing
 * there. The compliant account exercises them.
 */
const UNREAD_WHEN_NONCOMPLIANT: Readonly<Record<string, string>> = {
  'logs:DescribeMetricFilters': 'no qualifying trail, so no log group to read',
  'cloudwatch:DescribeAlarms': 'no qualifying trail, so no filter metric to watch',
  'sns:ListSubscriptionsByTopic': 'no qualifying trail, so no alarm topic to read',
};

function compare(
  permission: string,
  baseline: Assessment,
  restricted: Assessment,
  unread: Readonly<Record<string, string>> = {},
): PermissionOutcome {
  const problems: string[] = [];
  let changed = 0;
  for (const finding of restricted.findings) {
    if (baseline.findings.some((b) => same(b, finding))) continue;
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
    } else if (finding.status === 'PASS' && before?.status === 'PASS' && passOnAlternatives(finding)) {
      // Decided by other facts that were read (ALTERNATIVE_FACTS).
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
  if (
    changed === 0 &&
    unread[permission] === undefined &&
    !restricted.notes.some((n) => n.includes(permission))
  ) {
    problems.push(
      `losing ${permission} changed nothing and no note names it: is it in the policy for a reason?`,
    );
  }
  return { permission, changed, problems };
}

/**
 * moto 5.2.1 authorises these S3 calls under other names than AWS (s3:GetPublicAccessBlock for the bucket
 * and account Block Public Access settings; s3:ListBucket for GetBucketPolicyStatus and
 * GetObjectLockConfiguration).
 * Scanners are granted moto's names as well, and the proxy denies the AWS action where a scanner lacks
 * it, as AWS would.
 */
const MOTO_IAM_ALIASES: Readonly<Record<string, readonly string[]>> = {
  's3:GetBucketPublicAccessBlock': ['s3:GetPublicAccessBlock'],
  's3:GetBucketPolicyStatus': ['s3:ListBucket'],
  's3:GetBucketObjectLockConfiguration': ['s3:ListBucket'],
  's3:GetAccountPublicAccessBlock': ['s3:GetPublicAccessBlock'],
  // moto names CloudWatch's actions by the signing name.
  'cloudwatch:DescribeAlarms': ['monitoring:DescribeAlarms'],
};

/**
 * Scans through the fault proxy, which answers for CloudTrail Lake (moto lacks it). Where moto cannot
 * judge a permission (Lake, the aliases above), the proxy plays IAM: a scanner without the action is
 * denied the calls it authorises. Every other denial is moto's own.
 */
async function walk(
  scenario: (aws: SeedClients) => Promise<void>,
  lake: LakeStore[],
  unread: Readonly<Record<string, string>> = {},
) {
  await scenario(suite.aws);
  const actions = scanActions(CONTROLS);
  const stubs = lakeRules(lake, REGIONS);
  const emulated = new Set([
    ...Object.keys(MOTO_IAM_ALIASES),
    ...stubs.flatMap((stub) => iamActionFor(stub.service ?? '', stub.operation ?? '') ?? []),
  ]);
  const granted = (list: readonly string[]) => [
    ...new Set(list.flatMap((a) => [a, ...(MOTO_IAM_ALIASES[a] ?? [])])),
  ];
  const sets = [actions, ...actions.map((missing) => actions.filter((a) => a !== missing))].map(granted);
  const [full, ...lacking] = await restrictedScanners(suite, sets);
  for (const [index, credentials] of lacking.entries()) {
    const missing = actions[index]!;
    if (!emulated.has(missing)) continue;
    suite.proxy.addRule({
      match: (request) =>
        request.accessKeyId === credentials.accessKeyId &&
        iamActionFor(request.service, request.operation) === missing,
      fault: { kind: 'error', status: 403, message: `User is not authorized to perform: ${missing}` },
    });
  }
  for (const stub of stubs) suite.proxy.addRule(stub);
  const scan = async (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const snapshot = await collect({
      access: { ...suite.access, credentials, maxAttempts: 3, requestTimeoutMs: 10_000 },
      regions: REGIONS,
      controls: CONTROLS,
    });
    return assess(snapshot, CONTROLS);
  };
  const baseline = await scan(full!);
  const outcomes: PermissionOutcome[] = [];
  for (const [index, credentials] of lacking.entries()) {
    outcomes.push(compare(actions[index]!, baseline, await scan(credentials), unread));
  }
  return { actions, baseline, outcomes, emulated: [...emulated].filter((a) => actions.includes(a)) };
}

function summary(outcomes: PermissionOutcome[]): string {
  return outcomes.map((o) => `${o.permission}: ${o.changed} finding(s) changed`).join(', ');
}

describe('permission matrix', () => {
  for (const [name, scenario, lake, expected, unread] of [
    ['compliant', compliantScenario, COMPLIANT_LAKE, 'PASS', {}],
    ['non-compliant', noncompliantScenario, NONCOMPLIANT_LAKE, 'FAIL', UNREAD_WHEN_NONCOMPLIANT],
  ] as const) {
    it(`${name} account: each missing permission makes exactly the findings that need it UNKNOWN`, async (t) => {
      const { actions, baseline, outcomes, emulated } = await walk(scenario, lake, unread);
      const falsePass = outcomes.flatMap((o) => o.problems.filter((p) => p.includes('false PASS')));
      t.diagnostic(
        `permission matrix, ${name} account: ${actions.length} permissions tried one missing at a time, ${emulated.length} of them judged by the proxy where moto cannot (${emulated.join(', ')}); ${summary(outcomes)}; false PASS: ${falsePass.length}`,
      );
      assert.deepEqual(
        baseline.results.filter((r) => r.status !== expected).map((r) => `${r.control.id} ${r.status}`),
        [],
        `with every permission, every control is ${expected}`,
      );
      assert.deepEqual(
        outcomes.flatMap((o) => o.problems),
        [],
      );
    });
  }
});
