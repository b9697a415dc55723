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
): Promise<Observation<T>> {
  try {
    const value = await call();
    return { ok: true, value, source: { operation: `${service}:${operation}`, region } };
  } catch (error) {
    return { ok: false, failure: describeFailure(error, service, operation, region) };
  }
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
