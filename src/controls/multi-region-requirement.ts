/**
 * Account-level requirements of the form "some multi-Region trail is logging and has one selector that
 * records every event of a class" (CloudTrail.1 for management events, the CIS S3 object-level logging
 * checks for data events). One place decides PASS / FAIL / UNKNOWN for all of them, so they agree on what
 * counts as evidence.
 */
import { accountOfArn } from '../core/arn.js';
import {
  describeMissing,
  missingFact,
  missingFromFailure,
  observationEvidence,
  trailConfigEvidence,
} from '../evaluate/evidence.js';
import type { MissingFact } from '../evaluate/evidence.js';
import type { ManagementCoverage } from '../evaluate/selectors.js';
import { loggingOf } from '../evaluate/coverage.js';
import type { SnapshotView } from '../evaluate/view.js';
import { code, rich } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import type { EventSelectors, TrailRecord } from '../snapshot/schema.js';
import type { Evidence, EvidenceNeed } from './types.js';

/** What is known about one trail against the requirement. */
export interface TrailCheck {
  trail: TrailRecord;
  owned: boolean;
  multiRegion: boolean;
  logging: boolean | MissingFact;
  coverage: ManagementCoverage | MissingFact;
  /** Known reasons it does not qualify. */
  gaps: RichText[];
  unknowns: MissingFact[];
}

export function isMissing<T>(value: T | MissingFact): value is MissingFact {
  return typeof value === 'object' && value !== null && 'reason' in value;
}

/** Evidence this kind of requirement needs: selectors and status of multi-Region trails and own trails. */
export function multiRegionNeeds(): EvidenceNeed[] {
  const relevant = (t: { IsMultiRegionTrail?: boolean; TrailARN: string }, account: string) =>
    t.IsMultiRegionTrail === true || accountOfArn(t.TrailARN) === account;
  return [
    { kind: 'cloudtrail.trails' },
    { kind: 'cloudtrail.status', trails: relevant },
    { kind: 'cloudtrail.eventSelectors', trails: relevant },
  ];
}

/** Work done, for tests that pin its growth: trails checked against a requirement. */
export const trailCheckCounter = { checks: 0 };

export function checkTrail(
  view: SnapshotView,
  trail: TrailRecord,
  coverageOf: (selectors: EventSelectors) => ManagementCoverage,
  describeGap: (reasons: string[]) => RichText,
): TrailCheck {
  trailCheckCounter.checks++;
  const multiRegion = trail.config.IsMultiRegionTrail === true;
  const logging = loggingOf(trail);
  const selectors = trail.eventSelectors;
  const coverage: ManagementCoverage | MissingFact =
    missingFact(selectors, 'cloudtrail:GetEventSelectors') ??
    coverageOf(selectors?.ok === true ? selectors.value : {});
  const gaps: RichText[] = [];
  const unknowns: MissingFact[] = [];
  if (!multiRegion) gaps.push(rich`is not multi-Region`);
  if (isMissing(logging)) unknowns.push(logging);
  else if (!logging) gaps.push(rich`is not logging`);
  if (isMissing(coverage)) unknowns.push(coverage);
  else if (coverage.verdict === 'ambiguous') unknowns.push({ reason: coverage.reason });
  else if (coverage.verdict === 'not-covered') gaps.push(describeGap(coverage.reasons));
  return { trail, owned: view.owns(trail), multiRegion, logging, coverage, gaps, unknowns };
}

/**
 * Every trail checked against the requirement of control `controlId`. A trail the planner's simulation
 * left unchanged keeps its check (see SnapshotView.perRecord), so a change to one trail does not check all
 * of them again; the checks are shared, so no caller changes one.
 */
export function checkTrails(
  view: SnapshotView,
  controlId: string,
  coverageOf: (selectors: EventSelectors) => ManagementCoverage,
  describeGap: (reasons: string[]) => RichText,
): TrailCheck[] {
  const purpose = `${controlId} trail check`;
  const check = (trail: TrailRecord) => checkTrail(view, trail, coverageOf, describeGap);
  return view.trails.map((trail) => view.perRecord(purpose, trail, check));
}

export function trailCheckEvidence(check: TrailCheck): Evidence[] {
  const { trail } = check;
  const evidence = [trailConfigEvidence(trail, ['HomeRegion', 'IsMultiRegionTrail', 'IsOrganizationTrail'])];
  if (trail.status)
    evidence.push(observationEvidence(trail.status, (s) => ({ IsLogging: s.IsLogging ?? null })));
  if (trail.eventSelectors) {
    evidence.push(
      observationEvidence(trail.eventSelectors, (s) => ({
        EventSelectors: s.EventSelectors ?? null,
        AdvancedEventSelectors: s.AdvancedEventSelectors ?? null,
      })),
    );
  }
  return evidence;
}

export function discoveryEvidence(view: SnapshotView): Evidence[] {
  return view.snapshot.cloudtrail.discovery.map((d) =>
    observationEvidence(d.result, (value) => ({ TrailARNs: value.TrailARNs })),
  );
}

export function ownerNote(view: SnapshotView, trail: TrailRecord): RichText {
  if (view.owns(trail)) return [];
  return rich` It is an organization trail owned by account ${code(accountOfArn(trail.config.TrailARN))}.`;
}

export type Decision =
  | { verdict: 'PASS'; winner: TrailCheck }
  /** Some multi-Region trail may qualify but a fact is missing. */
  | { verdict: 'UNKNOWN'; undecided: TrailCheck[]; unknowns: MissingFact[] }
  /** Trails could not be listed anywhere. */
  | { verdict: 'UNLISTED'; unknowns: MissingFact[] }
  | { verdict: 'FAIL' };

/**
 * PASS needs one trail proven on every condition; a missing fact on an otherwise qualifying trail is
 * UNKNOWN; FAIL needs at least one Region's listing (multi-Region and organization trails appear in
 * every Region's listing, so one is enough to know none qualifies).
 */
export function decide(view: SnapshotView, checks: readonly TrailCheck[]): Decision {
  const winner = checks
    .filter((c) => c.multiRegion && c.gaps.length === 0 && c.unknowns.length === 0)
    .sort(
      (a, b) => Number(b.owned) - Number(a.owned) || a.trail.config.Name.localeCompare(b.trail.config.Name),
    )[0];
  if (winner) return { verdict: 'PASS', winner };
  const undecided = checks.filter((c) => c.multiRegion && c.gaps.length === 0 && c.unknowns.length > 0);
  if (undecided.length > 0)
    return { verdict: 'UNKNOWN', undecided, unknowns: undecided.flatMap((c) => c.unknowns) };
  if (view.discoveredRegions.length === 0) {
    return {
      verdict: 'UNLISTED',
      unknowns: view.failedDiscoveries.map((d) => missingFromFailure(d.failure)),
    };
  }
  return { verdict: 'FAIL' };
}

/** The owned trail closest to qualifying: multi-Region first, then fewest gaps, then by name. */
export function bestOwnedTrail(checks: readonly TrailCheck[]): TrailCheck | undefined {
  return checks
    .filter((c) => c.owned)
    .sort(
      (a, b) =>
        Number(b.multiRegion) - Number(a.multiRegion) ||
        a.gaps.length - b.gaps.length ||
        a.trail.config.Name.localeCompare(b.trail.config.Name),
    )[0];
}

export function uniqueReasons(unknowns: readonly MissingFact[]): string {
  return describeMissing(unknowns);
}
