/**
 * Suppression files (`--ignore FILE`): findings a team has accepted, each with a reason and an expiry
 * date. A suppressed finding keeps its verdict (PASS/FAIL/UNKNOWN) and gains a `suppressed` marker, so
 * every report still shows it; it just no longer fails the run. An expired entry stops applying, so an
 * accepted risk cannot quietly become permanent.
 *
 * An entry is a pattern over a finding's identity (findingIdentity): its control, its resource (id, name
 * or "*") and, when the entry names one, its Region. An entry without a Region matches the resource in
 * every Region, as entries did before they could name one. The account is not part of an entry: a file
 * is written for the account it is used with.
 *
 * The file is YAML (JSON is YAML too), so every error can name its line and column.
 */
import { LineCounter, isNode, parseDocument } from 'yaml';
import { z } from 'zod';
import { CONTROLS, findControl } from '../controls/index.js';
import type { Finding, SuppressionMark } from '../controls/types.js';
import type { Assessment } from './assess.js';
import { issuePath } from '../snapshot/io.js';
import { UsageError } from '../util/errors.js';
import { readUserFile } from '../util/files.js';
import { oneLine } from '../util/text.js';

/** A suppression file is a short hand-written list; anything larger is the wrong file. */
export const MAX_SUPPRESSION_BYTES = 1024 * 1024;

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const EntrySchema = z.strictObject({
  control: z
    .string()
    .trim()
    .min(1, 'give the control id, e.g. CloudTrail.7')
    .refine((id) => findControl(id) !== undefined, {
      error: (issue) =>
        `unknown control '${String(issue.input)}'; known controls: ${CONTROLS.map((c) => c.id).join(', ')}`,
    }),
  resource: z
    .string()
    .trim()
    .min(1, 'give the resource ARN or name, or "*" for every resource of the control'),
  /** Only the finding in this Region (e.g. CloudTrail.3 for one Region); absent: every Region. */
  region: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected a Region code like eu-west-1')
    .optional(),
  reason: z.string().trim().min(1, 'say why the finding is accepted'),
  expires: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date like 2026-12-31', abort: true })
    .refine(isRealDate, 'not a real calendar date'),
});

export const SuppressionFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  suppressions: z.array(EntrySchema),
});

export type SuppressionEntry = z.infer<typeof EntrySchema>;

export interface SuppressionFile {
  /** How errors and markers name the file. */
  label: string;
  entries: SuppressionEntry[];
}

function position(counter: LineCounter, offset: number): string {
  const { line, col } = counter.linePos(offset);
  return `line ${line}, column ${col}`;
}

/** Parses and validates a suppression file; every problem is one line naming the file and the place. */
export function parseSuppressions(text: string, label: string): SuppressionFile {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const message = syntax.message.split('\n')[0]?.replace(/\.$/, '') ?? 'syntax error';
    throw new UsageError(
      `${label} is not valid YAML or JSON: ${message} (${position(counter, syntax.pos[0])}).`,
    );
  }
  let data: unknown;
  try {
    // The YAML library refuses alias bombs ("billion laughs") and the like with an exception of its own.
    data = doc.toJS();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${label} cannot be read as YAML or JSON: ${oneLine(reason, 200)}.`);
  }
  if (data === null || data === undefined) {
    throw new UsageError(
      `${label} is empty; it needs a "suppressions:" list (see 'trailcheck scan --help').`,
    );
  }
  const parsed = SuppressionFileSchema.safeParse(data);
  if (!parsed.success) {
    // A misspelt key explains a missing one, so it is reported first.
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const issue = issues[0];
    if (!issue) throw new UsageError(`${label} is malformed.`);
    const message =
      issue.code === 'invalid_type' && / received undefined$/.test(issue.message)
        ? `'${String(issue.path[issue.path.length - 1])}' is missing`
        : issue.message;
    // Point at the deepest node that exists: for a missing key, its parent mapping.
    let where = '';
    for (let depth = issue.path.length; depth >= 0; depth--) {
      const node: unknown = doc.getIn(issue.path.slice(0, depth) as Array<string | number>, true);
      if (isNode(node) && node.range) {
        where = ` (${position(counter, node.range[0])})`;
        break;
      }
    }
    const more =
      parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem(s))` : '';
    throw new UsageError(`${label} is malformed at ${issuePath(issue.path)}${where}: ${message}${more}.`);
  }
  return { label, entries: parsed.data.suppressions };
}

export async function readSuppressionFile(path: string): Promise<SuppressionFile> {
  const text = await readUserFile(path, 'suppression file', MAX_SUPPRESSION_BYTES);
  return parseSuppressions(text, `suppression file ${path}`);
}

export interface NumberedSuppression {
  entry: SuppressionEntry;
  /** 1-based, as people count entries. */
  number: number;
}

export type ExpiredSuppression = NumberedSuppression;

export interface SuppressionOutcome {
  assessment: Assessment;
  expired: ExpiredSuppression[];
  /**
   * Live entries of an assessed control that matched no finding that failed or could not be assessed:
   * stale (the gap closed, the resource is gone) or misspelt. Worth a line, not an error.
   */
  unmatched: NumberedSuppression[];
}

function matches(entry: SuppressionEntry, finding: Finding): boolean {
  if (entry.control.toLowerCase() !== finding.control.toLowerCase()) return false;
  if (entry.region !== undefined && entry.region !== finding.resource.region) return false;
  return (
    entry.resource === '*' ||
    entry.resource === finding.resource.id ||
    entry.resource === finding.resource.name
  );
}

/** How messages name an entry: "entry 2 (CloudTrail.7 on my-bucket in eu-west-1)". */
function describeEntry({ entry, number }: NumberedSuppression): string {
  const where = entry.region !== undefined ? ` in ${entry.region}` : '';
  return `entry ${number} (${entry.control} on ${entry.resource}${where})`;
}

/** The entries of a file that are past their expiry day, and those that still hold, numbered from 1. */
function splitByExpiry(
  file: SuppressionFile,
  today: string,
): { live: Array<{ entry: SuppressionEntry; number: number }>; expired: ExpiredSuppression[] } {
  const expired: ExpiredSuppression[] = [];
  const live: Array<{ entry: SuppressionEntry; number: number }> = [];
  file.entries.forEach((entry, index) => {
    if (entry.expires < today) expired.push({ entry, number: index + 1 });
    else live.push({ entry, number: index + 1 });
  });
  return { live, expired };
}

/**
 * A matcher for the live entries of a file: the mark a finding gets, or undefined (a passing finding needs
 * no exception). Also the expired entries, which no longer apply. Pure: `today` (YYYY-MM-DD, UTC).
 */
export function suppressionMatcher(
  file: SuppressionFile,
  today: string,
): { markOf: (finding: Finding) => SuppressionMark | undefined; expired: ExpiredSuppression[] } {
  const { live, expired } = splitByExpiry(file, today);
  const markOf = (finding: Finding): SuppressionMark | undefined => {
    if (finding.status === 'PASS') return undefined;
    const hit = live.find(({ entry }) => matches(entry, finding));
    return hit
      ? { reason: hit.entry.reason, expires: hit.entry.expires, source: `${file.label}, entry ${hit.number}` }
      : undefined;
  };
  return { markOf, expired };
}

/**
 * Marks the findings a live entry covers (only findings that did not pass: a passing one needs no
 * exception). Pure: `today` (YYYY-MM-DD, UTC) is passed in. An entry is live through its expiry day.
 */
export function applySuppressions(
  assessment: Assessment,
  file: SuppressionFile,
  today: string,
): SuppressionOutcome {
  const { markOf, expired } = suppressionMatcher(file, today);
  const replaced = new Map<Finding, Finding>();
  for (const finding of assessment.findings) {
    const mark = markOf(finding);
    if (mark) replaced.set(finding, { ...finding, suppressed: mark });
  }
  const swap = (f: Finding) => replaced.get(f) ?? f;
  // An entry of a control this run did not assess could not match anything: that says nothing of it.
  const assessed = new Set(assessment.results.map((r) => r.control.id.toLowerCase()));
  const open = assessment.findings.filter((f) => f.status !== 'PASS');
  const unmatched = splitByExpiry(file, today).live.filter(
    ({ entry }) =>
      assessed.has(entry.control.toLowerCase()) && !open.some((finding) => matches(entry, finding)),
  );
  return {
    assessment: {
      ...assessment,
      results: assessment.results.map((r) => ({ ...r, findings: r.findings.map(swap) })),
      findings: assessment.findings.map(swap),
      judged: assessment.judged.map(swap),
    },
    expired,
    unmatched,
  };
}

/** One line for the user per entry that matched nothing: which entry, and what it may mean. */
export function unmatchedMessage(file: SuppressionFile, entry: NumberedSuppression): string {
  return `${file.label}: ${describeEntry(entry)} matches no finding that failed or could not be assessed; if the gap is closed or the resource gone, remove the entry, else check its spelling.`;
}

/** One line for the user: which entries expired, and what to do. */
export function expiredMessage(file: SuppressionFile, expired: readonly ExpiredSuppression[]): string {
  const list = expired.map((e) => `${describeEntry(e)} expired on ${e.entry.expires}`).join('; ');
  const noun = expired.length === 1 ? 'a suppression has' : `${expired.length} suppressions have`;
  return `${file.label}: ${noun} expired: ${list}. The findings are reported unsuppressed; fix them, or renew or remove the ${expired.length === 1 ? 'entry' : 'entries'}.`;
}
