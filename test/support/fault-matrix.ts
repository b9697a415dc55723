/**
 * The fault matrix: every API call a baseline scan made, failed for good in every way AWS can fail, one
 * scan each; then every control's verdict is checked against what the fault took away. The calls come
 * from the baseline snapshot's own call statistics, so collectors and controls added later are covered
 * without editing anything here.
 *
 * The rules, per control:
 * - baseline PASS, and a PASS finding cited a fact from the failed call: the verdict must be UNKNOWN;
 * - baseline PASS, the call not cited: PASS or UNKNOWN (less evidence may leave a Region unlisted);
 * - baseline anything else: never PASS (losing evidence cannot make an account compliant); a FAIL may
 *   stay FAIL when facts that did arrive already decide it.
 * And whenever a control turns UNKNOWN, one of its UNKNOWN findings must cite the failed call as the
 * reason. A scan the fault stopped altogether (identity) must stop with a user-facing error.
 */
import type { AwsAccessOptions } from '../../src/aws/clients.js';
import { collect } from '../../src/collect/index.js';
import { CONTROLS } from '../../src/controls/index.js';
import type { ControlStatus, Finding } from '../../src/controls/types.js';
import { assess } from '../../src/judge/assess.js';
import type { Assessment } from '../../src/judge/assess.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { UserError } from '../../src/util/errors.js';
import { mapLimit } from '../../src/util/concurrency.js';
import type { ActiveRule, Fault, FaultProxy, FaultRule } from './fault-proxy.js';

export interface FaultCase {
  name: string;
  fault: Fault;
}

/** Every way a call can fail for good that the proxy can produce. */
export const FAULT_CASES: FaultCase[] = [
  { name: 'throttled', fault: { kind: 'throttle' } },
  { name: 'HTTP 429', fault: { kind: 'error', status: 429 } },
  { name: 'HTTP 500', fault: { kind: 'error', status: 500 } },
  { name: 'empty HTTP 503', fault: { kind: 'status', status: 503 } },
  {
    name: 'HTML 502',
    fault: {
      kind: 'status',
      status: 502,
      body: '<html><body>Bad Gateway</body></html>',
      contentType: 'text/html',
    },
  },
  { name: 'connection reset', fault: { kind: 'reset' } },
  { name: 'no answer (timeout)', fault: { kind: 'hang' } },
  { name: 'truncated body', fault: { kind: 'truncate' } },
  { name: 'garbage body', fault: { kind: 'garbage' } },
];

/**
 * Facts a control cites but does not need when its other facts already decide, checked by hand: a PASS
 * may stand without them. Every other cited fact is needed. A new entry is a judgement to review.
 */
export const ALTERNATIVE_FACTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'CloudTrail.6': {
    's3:GetPublicAccessBlock': 'Block Public Access only matters when an ACL or the policy is public',
    's3control:GetPublicAccessBlock': 'Block Public Access only matters when an ACL or the policy is public',
  },
  'TC.BucketRetention': {
    's3:GetObjectLockConfiguration':
      'versioning alone keeps deleted log files; Object Lock is the alternative',
  },
};

export interface CallRef {
  /** `service:Operation`, as in the snapshot's call statistics. */
  operation: string;
  region: string;
}

export interface Violation {
  call: CallRef;
  fault: string;
  control: string;
  baseline: ControlStatus;
  got: ControlStatus | 'no answer';
  problem: string;
}

export interface MatrixReport {
  calls: CallRef[];
  faults: string[];
  scans: number;
  /** Scans the fault stopped before any verdict (the identity call): a user error, as it should be. */
  refused: number;
  /** Control verdicts checked, over all scans. */
  verdicts: number;
  /** PASS verdicts that stood on the same fact read in another Region. */
  substituted: number;
  /** PASS verdicts that stood without a fact listed in ALTERNATIVE_FACTS. */
  alternatives: number;
  falsePass: Violation[];
  /** UNKNOWN without the failed call as the reason, a FAIL that should have been UNKNOWN, a call not failed. */
  otherProblems: Violation[];
  baseline: Assessment;
}

export interface MatrixOptions {
  proxy: FaultProxy;
  access: AwsAccessOptions;
  regions: string[];
  faults?: FaultCase[];
  /** Canned answers for operations the emulator lacks (CloudTrail Lake), kept behind each fault. */
  stubs?: FaultRule[];
  /** Scans at a time (default 3). */
  concurrency?: number;
}

async function scan(options: MatrixOptions): Promise<{ snapshot: Snapshot; assessment: Assessment }> {
  const snapshot = await collect({ access: options.access, regions: options.regions, controls: CONTROLS });
  return { snapshot, assessment: assess(snapshot, CONTROLS) };
}

/** The calls a scan made, as the snapshot counts them. */
export function callsOf(snapshot: Snapshot): CallRef[] {
  return snapshot.stats.apiCalls.map(({ operation, region }) => ({ operation, region }));
}

function citesFacts(finding: Finding, call: CallRef): boolean {
  return finding.evidence.some((e) => e.source === call.operation && e.region === call.region && e.facts);
}

function citesFailure(finding: Finding, call: CallRef): boolean {
  return finding.evidence.some((e) => e.source === call.operation && e.region === call.region && e.error);
}

/**
 * A PASS whose fact came from the failed call can still stand on the same fact read elsewhere: a
 * multi-Region trail's settings from another Region's listing. Then the finding cites that operation's
 * facts from another Region, and no failure at all.
 */
function readElsewhere(assessment: Assessment, before: Finding, call: CallRef): boolean {
  const now = assessment.findings.find(
    (f) => f.control === before.control && f.resource.id === before.resource.id && f.status === 'PASS',
  );
  if (!now || now.evidence.some((e) => e.error)) return false;
  return now.evidence.some((e) => e.source === call.operation && e.region !== call.region && e.facts);
}

/** Calls other than the faulted one that failed although they did not in the baseline. */
function strayFailures(snapshot: Snapshot, call: CallRef, baseline: Assessment): boolean {
  const before = new Map(baseline.stats.apiCalls.map((c) => [`${c.operation} ${c.region}`, c.failures]));
  return snapshot.stats.apiCalls.some(
    (c) =>
      c.failures > 0 &&
      !(c.operation === call.operation && c.region === call.region) &&
      (before.get(`${c.operation} ${c.region}`) ?? 0) === 0,
  );
}

function statusOf(assessment: Assessment, control: string): ControlStatus {
  return assessment.results.find((r) => r.control.id === control)?.status ?? 'NOT_APPLICABLE';
}

/**
 * Walks the whole matrix against the scenario already seeded behind the proxy. Scans run a few at a time,
 * each signed with its own access key id, so that each fault rule touches its own scan only.
 */
export async function runFaultMatrix(options: MatrixOptions): Promise<MatrixReport> {
  const faults = options.faults ?? FAULT_CASES;
  options.proxy.clearRules();
  // Every scan reads the same state: after the baseline, moto's answers are replayed by the proxy, so
  // hundreds of scans cost little more than the client side.
  options.proxy.replay(true);
  // The canned answers stay for the whole run; each scan's fault rule goes in front of them.
  const stubs = (options.stubs ?? []).map((stub) => options.proxy.addRule(stub));
  // The baseline is patient (it also wakes moto's lazily loaded backends); faulted scans are quick.
  const { snapshot: baseSnapshot, assessment: baseline } = await scan({
    ...options,
    access: { ...options.access, maxAttempts: 3, requestTimeoutMs: 10_000 },
  });
  const calls = callsOf(baseSnapshot);
  const report: MatrixReport = {
    calls,
    faults: faults.map((f) => f.name),
    scans: 0,
    refused: 0,
    verdicts: 0,
    substituted: 0,
    alternatives: 0,
    falsePass: [],
    otherProblems: [],
    baseline,
  };
  const jobs = calls.flatMap((call) => faults.map((fault) => ({ call, fault })));
  await mapLimit(jobs, options.concurrency ?? 3, async ({ call, fault }, index) => {
    const accessKeyId = `AKIAFAULTMATRIX${String(index).padStart(5, '0')}`;
    const [service = '', operation = ''] = call.operation.split(':');
    const rule = options.proxy.addRule({
      service,
      operation,
      region: call.region,
      match: (request) => request.accessKeyId === accessKeyId,
      fault: fault.fault,
    });
    // In front of the canned answers: the fault must win for its own scan.
    options.proxy.moveToFront(rule);
    try {
      await checkOne(options, baseline, report, call, fault.name, rule, accessKeyId);
    } finally {
      rule.remove();
    }
  });
  for (const stub of stubs) stub.remove();
  options.proxy.replay(false);
  const order = (v: Violation) => `${v.call.operation} ${v.call.region} ${v.fault} ${v.control}`;
  report.falsePass.sort((a, b) => order(a).localeCompare(order(b)));
  report.otherProblems.sort((a, b) => order(a).localeCompare(order(b)));
  return report;
}

/** One faulted scan, checked against the baseline. */
async function checkOne(
  options: MatrixOptions,
  baseline: Assessment,
  report: MatrixReport,
  call: CallRef,
  faultName: string,
  rule: ActiveRule,
  accessKeyId: string,
): Promise<void> {
  report.scans += 1;
  const problem = (control: string, got: ControlStatus | 'no answer', text: string): Violation => ({
    call,
    fault: faultName,
    control,
    baseline: statusOf(baseline, control),
    got,
    problem: text,
  });
  let result: { snapshot: Snapshot; assessment: Assessment } | undefined;
  const access = { ...options.access, credentials: { accessKeyId, secretAccessKey: 'fault-matrix' } };
  // A slow moment of the shared machine blurs a scan: a call the fault did not touch fails anyway (a
  // 500 ms request timeout), the scan is cut short before the faulted call (it never reaches the proxy),
  // or the faulted call is never answered at all. Scan again then, a few times at most.
  const blurred = (r: typeof result): boolean => {
    if (!r) return rule.hits === 0;
    const faulted = r.snapshot.stats.apiCalls.find(
      (c) => c.operation === call.operation && c.region === call.region,
    );
    return strayFailures(r.snapshot, call, baseline) || (rule.hits > 0 && (faulted?.failures ?? 0) === 0);
  };
  for (let attempt = 0; attempt < 4 && (attempt === 0 || blurred(result)); attempt++) {
    try {
      result = await scan({ ...options, access });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      result = undefined;
    }
  }
  if (!result) {
    report.refused += 1;
    if (rule.hits === 0) report.otherProblems.push(problem('-', 'no answer', 'the proxy never saw the call'));
    return;
  }
  if (rule.hits === 0) {
    report.otherProblems.push(problem('-', 'no answer', 'the proxy did not recognise the call'));
    return;
  }
  const counted = result.snapshot.stats.apiCalls.find(
    (c) => c.operation === call.operation && c.region === call.region,
  );
  if (!counted || counted.failures === 0) {
    report.otherProblems.push(problem('-', 'no answer', 'the fault did not make the call fail'));
  }
  for (const { control } of baseline.results) {
    report.verdicts += 1;
    const before = statusOf(baseline, control.id);
    const after = statusOf(result.assessment, control.id);
    const basePasses = baseline.findings.filter((f) => f.control === control.id && f.status === 'PASS');
    const resting = basePasses.filter((f) => citesFacts(f, call));
    const alternative = ALTERNATIVE_FACTS[control.id]?.[call.operation] !== undefined;
    const needed = before === 'PASS' && resting.length > 0 && !alternative;
    if (after === 'PASS' && before === 'PASS' && resting.length > 0 && alternative) report.alternatives += 1;
    if (after === 'PASS' && needed && resting.every((f) => readElsewhere(result.assessment, f, call))) {
      report.substituted += 1;
      continue;
    }
    if (after === 'PASS' && (needed || before !== 'PASS')) {
      report.falsePass.push(
        problem(
          control.id,
          after,
          needed ? 'PASS although a fact it rests on was not read' : 'PASS that the baseline did not give',
        ),
      );
      continue;
    }
    if (needed && after !== 'UNKNOWN') {
      report.otherProblems.push(
        problem(control.id, after, 'expected UNKNOWN: a fact its PASS rests on was not read'),
      );
    } else if (before === 'PASS' && after === 'FAIL') {
      report.otherProblems.push(problem(control.id, after, 'FAIL on missing evidence'));
    }
    if (after === 'UNKNOWN' && before !== 'UNKNOWN') {
      const unknowns = result.assessment.findings.filter(
        (f) => f.control === control.id && f.status === 'UNKNOWN',
      );
      if (!unknowns.some((f) => citesFailure(f, call))) {
        report.otherProblems.push(
          problem(control.id, after, 'UNKNOWN without the failed call as its reason'),
        );
      }
    }
  }
}

export function describeViolations(violations: readonly Violation[]): string {
  return violations
    .map(
      (v) =>
        `${v.call.operation} in ${v.call.region}, ${v.fault}: ${v.control} ${v.baseline} -> ${v.got}: ${v.problem}`,
    )
    .join('\n');
}
