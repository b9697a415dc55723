import type { ControlStatus, Finding } from '../core/finding.js';

/** A control fails if any resource fails; else it is unknown if any resource could not be assessed. */
export function aggregateStatus(findings: readonly Finding[]): ControlStatus {
  if (findings.length === 0) return 'NOT_APPLICABLE';
  if (findings.some((f) => f.status === 'FAIL')) return 'FAIL';
  if (findings.some((f) => f.status === 'UNKNOWN')) return 'UNKNOWN';
  return 'PASS';
}
