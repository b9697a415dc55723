/**
 * What an assessment means once the user's suppressions are taken into account: which findings are still
 * open, how each control reads, the exit-code threshold (--fail-on) and the score of the HTML report.
 */
import type { ControlStatus, Finding, Severity } from '../controls/types.js';
import { SEVERITIES } from '../controls/types.js';
import type { Assessment, ControlResult } from '../judge/assess.js';
import { UsageError } from '../util/errors.js';

export const SEVERITY_RANK: Record<Severity, number> = {
  informational: 0,
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

/** Most severe first. */
export const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].sort(
  (a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a],
);

export const FAIL_ON_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

export function parseFailOn(value: string): FailOn {
  const level = value.trim().toLowerCase();
  if (!(FAIL_ON_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`unknown --fail-on level '${value}'; choose one of: ${FAIL_ON_LEVELS.join(', ')}.`);
  }
  return level as FailOn;
}

/** A finding that did not pass and that no live suppression covers. */
export function isOpen(finding: Finding): boolean {
  return finding.status !== 'PASS' && !finding.suppressed;
}

/**
 * The findings that fail the run: open findings (FAIL, or UNKNOWN – an unknown is never a pass) at or
 * above the threshold. Without a threshold, every open finding counts.
 */
export function failingFindings(assessment: Assessment, failOn?: FailOn): Finding[] {
  const floor = failOn === undefined ? 0 : SEVERITY_RANK[failOn];
  return assessment.findings.filter((f) => isOpen(f) && SEVERITY_RANK[f.severity] >= floor);
}

/** How a control reads for people: its verdict, or SUPPRESSED when every finding that did not pass was accepted. */
export type DisplayStatus = ControlStatus | 'SUPPRESSED';

export function displayStatus(result: ControlResult): DisplayStatus {
  if (result.status === 'PASS' || result.status === 'NOT_APPLICABLE') return result.status;
  const open = result.findings.filter(isOpen);
  if (open.length === 0) return 'SUPPRESSED';
  return open.some((f) => f.status === 'FAIL') ? 'FAIL' : 'UNKNOWN';
}

export const SCORE_WEIGHTS: Record<Severity, number> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  informational: 0,
};

export interface Score {
  /** 0–100, or null when nothing could be scored. */
  value: number | null;
  /** Severity-weighted points earned and possible. */
  earned: number;
  possible: number;
}

/**
 * The score: the severity-weighted share of the controls assessed that passed (critical 4, high 3,
 * medium 2, low 1). An unknown counts as not passed; controls whose gaps were all accepted
 * (suppressed) are left out, as are controls with nothing to assess.
 */
export function score(assessment: Assessment): Score {
  let earned = 0;
  let possible = 0;
  for (const result of assessment.results) {
    const status = displayStatus(result);
    if (status === 'NOT_APPLICABLE' || status === 'SUPPRESSED') continue;
    const weight = SCORE_WEIGHTS[result.control.severity];
    possible += weight;
    if (status === 'PASS') earned += weight;
  }
  return { value: possible === 0 ? null : Math.round((100 * earned) / possible), earned, possible };
}

export interface Tally {
  PASS: number;
  FAIL: number;
  UNKNOWN: number;
  SUPPRESSED: number;
}

/** Finding counts where suppressed findings are counted apart from their verdict. */
export function tally(findings: readonly Finding[]): Tally {
  const counts: Tally = { PASS: 0, FAIL: 0, UNKNOWN: 0, SUPPRESSED: 0 };
  for (const finding of findings) {
    if (finding.suppressed) counts.SUPPRESSED += 1;
    else counts[finding.status] += 1;
  }
  return counts;
}
