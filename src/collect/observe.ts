import { describeFailure } from '../aws/errors.js';
import type { Observation } from '../snapshot/schema.js';

/**
 * Runs one API call and records its outcome as evidence: the value and where it came from, or the
 * failure and the permission that would have allowed it. Collectors never throw for a failed call;
 * the controls decide what a missing fact means (UNKNOWN, never PASS).
 */
export async function observe<T>(
  service: string,
  operation: string,
  region: string,
  call: () => Promise<T>,
  absent?: Absence<T>,
): Promise<Observation<T>> {
  const source = { operation: `${service}:${operation}`, region };
  try {
    const value = await call();
    return { ok: true, value, source };
  } catch (error) {
    const failure = describeFailure(error, service, operation, region);
    if (absent?.codes.includes(failure.code)) return { ok: true, value: absent.value, source };
    return { ok: false, failure };
  }
}

/**
 * Some APIs answer "there is none" with an error (NoSuchBucketPolicy, InsightNotEnabledException…).
 * That is a fact, not a failure: these codes become the given value.
 */
export interface Absence<T> {
  codes: readonly string[];
  value: T;
}

/** Drops `undefined` and `null` fields so snapshots stay small and compare cleanly. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined && field !== null) out[key] = field;
  }
  return out as T;
}

/** SDK Date fields become ISO strings in the snapshot. */
export function isoTime(value: Date | string | number | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
