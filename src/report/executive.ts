/**
 * The executive summary, one screen: the score, what is wrong in a few plain sentences (no control ids,
 * no severity table), and the next steps as plain numbered actions. Text, Markdown and HTML render the
 * same three parts, so the three stay the same length and say the same thing.
 */
import type { Report } from './model.js';
import { bottomLine, listPhrase } from './bottom-line.js';
import { SEVERITY_RANK, isOpen, score } from './outcome.js';
import type { ControlResult } from '../judge/assess.js';
import { capitalize, countWord, plain, plural } from '../core/rich.js';

export interface ExecutiveSummary {
  /** 0–100, or null when nothing could be scored. */
  score: number | null;
  /** Three to six plain sentences. */
  sentences: string[];
  /** Plain actions, most severe first; empty when nothing is left to do. */
  steps: string[];
}

/** At most this many steps: the rest is one closing step pointing at the full report. */
const MAX_STEPS = 5;

const bySeverity = (a: ControlResult, b: ControlResult) =>
  SEVERITY_RANK[b.control.severity] - SEVERITY_RANK[a.control.severity];

export function executiveSummary(report: Report): ExecutiveSummary {
  const line = bottomLine(report);
  const value = score(report).value;
  const failed = [...line.failed].sort(bySeverity);
  const unknown = [...line.unknown].sort(bySeverity);
  const sentences: string[] = [`${line.headline}.`];
  if (line.strengths) sentences.push(`${capitalize(line.strengths)}.`);
  if (failed.length > 0) {
    sentences.push(`Not in place yet: ${listPhrase(failed.map((r) => r.control.texts.topic))}.`);
    const worst = failed[0];
    if (worst && SEVERITY_RANK[worst.control.severity] >= SEVERITY_RANK.high)
      sentences.push(`The most pressing gap: ${worst.control.texts.whyItMatters}`);
  }
  if (unknown.length > 0) {
    const n = unknown.length;
    sentences.push(
      `${capitalize(countWord(n))} ${plural(n, 'check')} could not be assessed (${listPhrase(unknown.map((r) => r.control.texts.topic))}); treat ${n === 1 ? 'it' : 'them'} as not passed until trailcheck can see ${n === 1 ? 'it' : 'them'}.`,
    );
  }
  if (line.suppressed.length > 0) {
    const n = line.suppressed.length;
    sentences.push(
      `${capitalize(countWord(n))} ${plural(n, 'gap is an accepted risk', 'gaps are accepted risks')}, left out of the score until the suppression expires.`,
    );
  }
  if (failed.length === 0 && unknown.length === 0 && line.assessed.length > 0)
    sentences.push('Nothing needs to be done now.');
  if (sentences.length < 3) sentences.push(line.closing);

  const actions = [
    ...failed.map((r) => capitalize(r.control.texts.action)),
    // What settles an unknown depends on its cause (a permission, a retry): its own next step says it.
    ...new Set(
      unknown.flatMap((r) =>
        r.findings.flatMap((f) =>
          isOpen(f) && f.status === 'UNKNOWN' && f.remediation
            ? [plain(f.remediation.summary).replace(/\.$/, '')]
            : [],
        ),
      ),
    ),
  ];
  const steps =
    actions.length <= MAX_STEPS
      ? actions
      : [
          ...actions.slice(0, MAX_STEPS - 1),
          `Then the ${countWord(actions.length - MAX_STEPS + 1)} remaining ${plural(actions.length - MAX_STEPS + 1, 'item')}, listed in the full report (--audience engineer)`,
        ];
  return { score: value, sentences: sentences.slice(0, 6), steps: steps.map((s) => capitalize(`${s}.`)) };
}
