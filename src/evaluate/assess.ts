import type { ControlDefinition, ControlStatus, Finding, Status } from '../controls/types.js';
import type { Framework } from '../frameworks/index.js';
import { compareFrameworkIds } from '../frameworks/index.js';
import { buildPlan, findingKey } from '../remediate/plan.js';
import type { Plan } from '../remediate/plan.js';
import { remediationView } from '../remediate/views.js';
import type { Snapshot } from '../snapshot/schema.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { SnapshotView } from './view.js';
import type { AssessOptions } from './view.js';

export interface ControlResult {
  control: ControlDefinition;
  status: ControlStatus;
  findings: Finding[];
}

export interface Assessment {
  tool: { name: string; version: string };
  account: { id: string; partition: string; arn: string };
  controlRegion: string;
  regions: string[];
  /** When the evidence was collected. */
  startedAt: string;
  finishedAt: string;
  results: ControlResult[];
  findings: Finding[];
  summary: Record<Status, number> & { total: number };
  /** Limits of the evidence the user should know about (Regions not scanned, listings that failed). */
  notes: string[];
  stats: Snapshot['stats'];
  /** The framework whose numbering the reports show, when one was chosen. */
  framework: Framework | undefined;
  /**
   * The action plan for the failed and unknown findings: each fixed finding's `remediation` is the view of
   * its plan action (merged with other fixes that touch the same thing, in the plan's order).
   */
  plan: Plan;
}

const STATUS_ORDER: Record<Status, number> = { FAIL: 0, UNKNOWN: 1, PASS: 2 };

/** A control fails if any resource fails; else it is unknown if any resource could not be assessed. */
export function aggregateStatus(findings: readonly Finding[]): ControlStatus {
  if (findings.length === 0) return 'NOT_APPLICABLE';
  if (findings.some((f) => f.status === 'FAIL')) return 'FAIL';
  if (findings.some((f) => f.status === 'UNKNOWN')) return 'UNKNOWN';
  return 'PASS';
}

/** Runs the chosen controls over a snapshot. Pure: the same snapshot always gives the same assessment. */
export function assess(
  snapshot: Snapshot,
  controls: readonly ControlDefinition[],
  options: AssessOptions & { framework?: Framework } = {},
): Assessment {
  const view = new SnapshotView(snapshot, options);
  const framework = options.framework;
  const ordered = framework
    ? [...controls].sort((a, b) =>
        compareFrameworkIds(framework.controls[a.id] ?? '999', framework.controls[b.id] ?? '999'),
      )
    : controls;
  const results = ordered.map((control) => {
    const findings = control
      .evaluate(view)
      .sort(
        (a, b) =>
          STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.resource.id.localeCompare(b.resource.id),
      );
    return { control, status: aggregateStatus(findings), findings };
  });
  const findings = results.flatMap((r) => r.findings);
  const plan = buildPlan(snapshot, controls, options);
  const actions = new Map(plan.actions.map((a) => [a.id, a]));
  for (const finding of findings) {
    const action = actions.get(plan.fixedBy.get(findingKey(finding)) ?? '');
    if (action) finding.remediation = remediationView(plan, action, snapshot);
  }
  const summary = { PASS: 0, FAIL: 0, UNKNOWN: 0, total: findings.length };
  for (const finding of findings) summary[finding.status] += 1;
  const notes = [...snapshot.notes];
  for (const d of view.failedDiscoveries) {
    notes.push(
      `Trails could not be listed in ${d.region} (${d.failure.code}); single-Region trails homed there were not assessed.`,
    );
  }
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    account: {
      id: snapshot.account.Account,
      partition: snapshot.account.Partition,
      arn: snapshot.account.Arn,
    },
    controlRegion: snapshot.scope.controlRegion,
    regions: snapshot.scope.regions,
    startedAt: snapshot.startedAt,
    finishedAt: snapshot.finishedAt,
    results,
    findings,
    summary,
    notes,
    stats: snapshot.stats,
    framework,
    plan,
  };
}

/**
 * 0 when everything assessed passed, 1 when something failed or could not be assessed. Findings the user
 * suppressed (--ignore) keep their verdict but do not count here.
 */
export function integerResult(assessment: Assessment): 0 | 1 {
  return assessment.findings.some((f) => f.status !== 'PASS' && !f.suppressed) ? 1 : 0;
}

export const PRETTY_SUCCESS = 'The probe executed successfully!';
