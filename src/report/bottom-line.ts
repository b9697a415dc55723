import { causeOfFailure } from '../aws/errors.js';
import type { UnknownCause } from '../aws/errors.js';
import type { Assessment, ControlResult } from '../judge/assess.js';
import { PRETTY_SUCCESS } from '../judge/assess.js';
import { displayStatus } from './outcome.js';
import { capitalize, countWord, plural } from '../core/rich.js';

/** The counts and phrases every human-readable report ends with. */
export interface BottomLine {
  assessed: ControlResult[];
  passed: ControlResult[];
  failed: ControlResult[];
  unknown: ControlResult[];
  notApplicable: ControlResult[];
  /** Controls whose gaps were all accepted in a suppression file. */
  suppressed: ControlResult[];
  /** "Two of the four checks passed". */
  headline: string;
  /** "you're on the right track with multi-Region coverage and encryption". */
  strengths: string | undefined;
  /** "enable log file validation and turn on access logging". */
  attention: string | undefined;
  closing: string;
  prettyResult: string;
}

export function listPhrase(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Why the checks that could not be assessed were not: from their findings' causes, or failed calls. */
function causesOf(results: readonly ControlResult[]): Set<UnknownCause> {
  const causes = new Set<UnknownCause>();
  for (const finding of results.flatMap((r) => r.findings)) {
    if (finding.status !== 'UNKNOWN') continue;
    const own =
      finding.remediation?.causes ??
      finding.evidence.flatMap((e) => (e.error ? [causeOfFailure(e.error.kind)] : []));
    for (const cause of own.length > 0 ? own : (['other'] as const)) causes.add(cause);
  }
  return causes;
}

/**
 * What the closing says about checks that could not be assessed: what happened (`context`) and what to do
 * before running again (`steps`). Permissions are named only for a denial, where the next steps above
 * name them; a call AWS did not answer needs no more than another run.
 */
function unknownAdvice(causes: ReadonlySet<UnknownCause>): { context: string[]; steps: string[] } {
  const context: string[] = [];
  const steps: string[] = [];
  if (causes.has('no-answer'))
    context.push('AWS did not answer some calls (a throttle, a server error or a timeout)');
  if (causes.has('resource-gone')) context.push('something was deleted or renamed during the scan');
  if (causes.has('denied')) steps.push('grant the permissions named above');
  if (causes.has('region-disabled'))
    steps.push('enable the Regions named above or leave them out with --region');
  if (causes.has('credentials')) steps.push('renew the scanning credentials');
  if (causes.has('unsupported')) steps.push('point trailcheck at AWS itself');
  if (causes.has('not-collected')) steps.push('collect the evidence again with these checks included');
  if (causes.has('other')) steps.push('resolve the errors named above');
  return { context, steps };
}

export function bottomLine(assessment: Assessment): BottomLine {
  // Suppressed findings keep their verdict, but a control whose gaps were all accepted needs no action.
  const by = (status: string) => assessment.results.filter((r) => displayStatus(r) === status);
  const passed = by('PASS');
  const failed = by('FAIL');
  const unknown = by('UNKNOWN');
  const suppressed = by('SUPPRESSED');
  const notApplicable = by('NOT_APPLICABLE');
  const assessed = assessment.results.filter((r) => r.status !== 'NOT_APPLICABLE');
  const headline =
    assessed.length === 0
      ? 'No check could be assessed'
      : assessed.length === 1
        ? `The check ${passed.length === 1 ? 'passed' : 'did not pass'}`
        : // Counted over every check the report lists, so the number matches the rows shown.
          `${capitalize(countWord(passed.length))} of the ${countWord(assessment.results.length)} checks passed`;
  const strengths =
    passed.length > 0
      ? `you’re on the right track with ${listPhrase(passed.map((r) => r.control.texts.topic))}`
      : undefined;
  const attention = failed.length > 0 ? listPhrase(failed.map((r) => r.control.texts.action)) : undefined;

  let closing: string;
  if (assessed.length === 0) {
    closing = 'Nothing could be assessed: the account has no trail for these checks to look at.';
  } else if (failed.length === 0 && unknown.length === 0 && suppressed.length === 0) {
    closing =
      'Your CloudTrail setup meets every control assessed here, which gives you solid evidence for any future investigation.';
  } else if (failed.length === 0 && unknown.length === 0) {
    closing = `Every gap left is an accepted risk (${listPhrase(suppressed.map((r) => r.control.texts.topic))}); review ${suppressed.length === 1 ? 'it' : 'them'} before the suppression expires.`;
  } else {
    const parts: string[] = [];
    if (failed.length > 0) {
      parts.push(
        `Once ${failed.length === 1 ? 'that item is' : `those ${countWord(failed.length)} items are`} addressed, your CloudTrail setup will meet ${unknown.length > 0 ? 'the controls trailcheck could assess' : 'the key CIS security controls checked here'} and give you stronger evidence for any future investigation.`,
      );
    }
    if (unknown.length > 0) {
      const { context, steps } = unknownAdvice(causesOf(unknown));
      parts.push(
        `${capitalize(countWord(unknown.length))} ${plural(unknown.length, 'check')} could not be assessed (${listPhrase(unknown.map((r) => r.control.texts.topic))})${context.length > 0 ? `: ${listPhrase(context)}` : ''}; ${listPhrase([...steps, 'run trailcheck again'])} – until then, treat ${unknown.length === 1 ? 'it' : 'them'} as not passed.`,
      );
    }
    closing = parts.join(' ');
  }
  return {
    assessed,
    passed,
    failed,
    unknown,
    notApplicable,
    suppressed,
    headline,
    strengths,
    attention,
    closing,
    prettyResult: PRETTY_SUCCESS,
  };
}
