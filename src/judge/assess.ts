import type { ControlDefinition, ControlStatus, Finding, Status } from '../controls/types.js';
import type { JudgedElsewhere } from '../core/finding.js';
import { accountOfArn } from '../core/arn.js';
import type { TrailRecord } from '../snapshot/schema.js';
import type { Framework } from '../frameworks/index.js';
import { compareFrameworkIds } from '../frameworks/index.js';
import type { Snapshot } from '../snapshot/schema.js';
import { aggregateStatus } from '../evaluate/aggregate.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { SnapshotView } from '../evaluate/view.js';
import type { AssessOptions } from '../evaluate/view.js';

export interface ControlResult {
  control: ControlDefinition;
  status: ControlStatus;
  findings: Finding[];
  /** Resources of organization trails this control judges in the account that owns them (if any). */
  elsewhere?: JudgedElsewhere[];
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
  /** The controls judged, in trailcheck's own order (the planner's order of preference). */
  controls: readonly ControlDefinition[];
  /** Every finding in the order its control gave it (the planner's input; reports use `results`). */
  judged: Finding[];
}

const STATUS_ORDER: Record<Status, number> = { FAIL: 0, UNKNOWN: 1, PASS: 2 };

export { aggregateStatus };

/**
 * Runs the chosen controls over a snapshot: verdicts only, nothing planned. Pure: the same snapshot always
 * gives the same assessment.
 */
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
  const judged: Finding[] = [];
  const foreign = view.foreignTrails;
  const results = ordered.map((control): ControlResult => {
    const given = control.evaluate(view);
    judged.push(...given);
    const findings = [...given].sort(
      (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.resource.id.localeCompare(b.resource.id),
    );
    const elsewhere = judgedElsewhere(control, foreign, view.partition);
    return {
      control,
      status: aggregateStatus(findings),
      findings,
      ...(elsewhere.length > 0 ? { elsewhere } : {}),
    };
  });
  const findings = results.flatMap((r) => r.findings);
  const summary = { PASS: 0, FAIL: 0, UNKNOWN: 0, total: findings.length };
  for (const finding of findings) summary[finding.status] += 1;
  const notes = [...snapshot.notes];
  for (const trail of foreign) {
    const owner = accountOfArn(trail.config.TrailARN);
    notes.push(
      `Account ${snapshot.account.Account} is covered by organization trail ${trail.config.Name} of account ${owner}: that trail's own settings, its bucket and its key are judged in account ${owner}, not here.`,
    );
  }
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
    controls,
    judged,
  };
}

/**
 * Per-trail and per-bucket controls judge only what this account owns: for an organization trail seen here,
 * they point to the account that owns it (and reads its bucket and key) instead.
 */
function judgedElsewhere(
  control: ControlDefinition,
  foreign: readonly TrailRecord[],
  partition: string,
): JudgedElsewhere[] {
  if (control.scope !== 'trail' && control.scope !== 'bucket') return [];
  const refs = new Map<string, JudgedElsewhere>();
  for (const trail of foreign) {
    const { TrailARN, Name, HomeRegion, S3BucketName } = trail.config;
    const account = accountOfArn(TrailARN);
    if (control.scope === 'trail') {
      refs.set(TrailARN, {
        resource: { type: 'AwsCloudTrailTrail', id: TrailARN, name: Name, region: HomeRegion },
        account,
        trail: TrailARN,
      });
    } else if (S3BucketName) {
      const id = `arn:${partition}:s3:::${S3BucketName}`;
      if (!refs.has(id))
        refs.set(id, {
          resource: { type: 'AwsS3Bucket', id, name: S3BucketName, region: '' },
          account,
          trail: TrailARN,
        });
    }
  }
  return [...refs.values()];
}

/**
 * 0 when everything assessed passed, 1 when something failed or could not be assessed. Findings the user
 * suppressed (--ignore) keep their verdict but do not count here.
 */
export function integerResult(assessment: Assessment): 0 | 1 {
  return assessment.findings.some((f) => f.status !== 'PASS' && !f.suppressed) ? 1 : 0;
}

export const PRETTY_SUCCESS = 'The probe executed successfully!';
