import { explainFailure, explainFailuresByRegion } from '../aws/errors.js';
import type { CallFailure } from '../aws/errors.js';
import type { Evidence } from '../core/finding.js';
import type { Observation, TrailConfig, TrailRecord } from '../snapshot/schema.js';

/** The DescribeTrails facts about a trail that a verdict rests on. */
export function trailConfigEvidence(trail: TrailRecord, fields: readonly (keyof TrailConfig)[]): Evidence {
  const facts: Record<string, unknown> = { Name: trail.config.Name, TrailARN: trail.config.TrailARN };
  for (const field of fields) facts[field] = trail.config[field] ?? null;
  return { source: trail.configSource.operation, region: trail.configSource.region, facts };
}

/** What an observation said (picked fields), or the error that replaced it. */
export function observationEvidence<T>(
  observation: Observation<T>,
  pick: (value: T) => Record<string, unknown>,
): Evidence {
  if (observation.ok) {
    return {
      source: observation.source.operation,
      region: observation.source.region,
      facts: pick(observation.value),
    };
  }
  return failureEvidence(observation.failure);
}

export function failureEvidence(failure: CallFailure): Evidence {
  const error: NonNullable<Evidence['error']> = {
    kind: failure.kind,
    code: failure.code,
    message: failure.message,
  };
  if (failure.permission !== undefined) error.permission = failure.permission;
  return { source: failure.operation, region: failure.region, error };
}

/**
 * Why a fact is missing: the call failed (say how, and what would fix it), or the snapshot was collected
 * for other controls and never asked.
 */
export interface MissingFact {
  reason: string;
  permission?: string;
  evidence?: Evidence;
  /** Set when the fact was never asked for: the operation a new collection would call. */
  notCollected?: string;
  /** The failed call, when a call failed. */
  failure?: CallFailure;
}

export function missingFact<T>(
  observation: Observation<T> | undefined,
  operation: string,
): MissingFact | undefined {
  if (observation === undefined) {
    return {
      reason: `the snapshot does not include ${operation} (it was collected for other controls); collect again including this control`,
      notCollected: operation,
    };
  }
  if (observation.ok) return undefined;
  return missingFromFailure(observation.failure);
}

export function missingFromFailure(failure: CallFailure): MissingFact {
  const missing: MissingFact = {
    reason: explainFailure(failure),
    evidence: failureEvidence(failure),
    failure,
  };
  if (failure.permission !== undefined) missing.permission = failure.permission;
  return missing;
}

/**
 * Why facts are missing, in one sentence: the calls that failed, each said once, and the calls a snapshot
 * never made grouped together.
 */
export function describeMissing(missing: readonly MissingFact[]): string {
  const notCollected = [...new Set(missing.flatMap((m) => (m.notCollected ? [m.notCollected] : [])))];
  const failures = missing.flatMap((m) => (m.failure ? [m.failure] : []));
  const reasons = [
    ...(failures.length > 0 ? [explainFailuresByRegion(failures)] : []),
    ...new Set(missing.filter((m) => !m.notCollected && !m.failure).map((m) => m.reason)),
  ];
  if (notCollected.length > 0) {
    reasons.push(
      `the snapshot does not include ${notCollected.join(', ')} (it was collected for other controls); collect again including this control`,
    );
  }
  return reasons.join('; ');
}
