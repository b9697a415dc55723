import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AwsAccessOptions } from '../aws/clients.js';
import type { CollectPhase } from '../collect/index.js';
import type { Assessment } from '../judge/assess.js';
import type { ControlDefinition } from '../controls/types.js';
import type { AssessOptions } from '../evaluate/view.js';
import type { Framework } from '../frameworks/index.js';
import { bottomLine } from '../report/bottom-line.js';
import { FORMAT_SPECS, formatForFile, parseAudience, parseFormatList, render } from '../report/index.js';
import type { Audience, Format } from '../report/index.js';
import { safeJsonStringify } from '../core/escape.js';
import { failedJsonReport } from '../report/json.js';
import { reportOf } from '../report/model.js';
import type { Report } from '../report/model.js';
import type { FailOn } from '../report/outcome.js';
import { failingFindings, parseFailOn } from '../report/outcome.js';
import {
  applySuppressions,
  expiredMessage,
  readSuppressionFile,
  unmatchedMessage,
} from '../judge/suppressions.js';
import type { SuppressionFile } from '../judge/suppressions.js';
import type { Snapshot } from '../snapshot/schema.js';
import { CannotRunError, EXIT, UsageError } from '../util/errors.js';
import { ensureDirectory, writeFileAtomic } from '../util/files.js';
import { terminalSafe } from '../core/escape.js';
import type { CliIO } from './io.js';
import { parseOutputName } from './options.js';
import { parseTimeout, retrySettings } from './validate.js';

/** The start of the files --output-dir gets: trailcheck-123456789012-20261129T150405Z.html, … */
export const REPORT_FILE_PREFIX = 'trailcheck';

export interface ReportFlags {
  format?: string;
  output?: string;
  'output-dir'?: string;
  'output-name'?: string;
  audience?: string;
  'fail-on'?: string;
  ignore?: string;
}

/** Where each requested format goes: standard output, one file, or one file each in a directory. */
export interface OutputPlan {
  formats: Format[];
  /** Standard output (undefined) or the one --output file; with --output-dir, see `reportTargets`. */
  output: string | undefined;
  outputDir: string | undefined;
  /** --output-name: the fixed file stem in --output-dir, instead of one per account and time. */
  outputName: string | undefined;
}

export interface ReportTarget {
  format: Format;
  path: string | undefined;
}

export interface ReportSettings {
  plan: OutputPlan;
  audience: Audience;
  failOn: FailOn | undefined;
  suppressions: SuppressionFile | undefined;
  /** The day suppressions are judged on (YYYY-MM-DD): today, unless a stored scan is replayed as it was. */
  judgedOn?: string;
}

/**
 * --format wins; otherwise the output file's ending decides; otherwise text. Several formats need
 * --output-dir, since standard output and one file can hold only one report.
 */
export function planOutputs(flags: ReportFlags): OutputPlan {
  const { output } = flags;
  const outputDir = flags['output-dir'];
  if (output !== undefined && outputDir !== undefined) {
    throw new UsageError('--output writes one file and --output-dir one file per format; use one of them.');
  }
  const outputName = flags['output-name'];
  if (outputName !== undefined) {
    if (outputDir === undefined)
      throw new UsageError(
        '--output-name names the files of --output-dir; with --output, name the file itself.',
      );
    parseOutputName(outputName);
  }
  let formats: Format[];
  if (flags.format !== undefined) formats = parseFormatList(flags.format);
  else if (outputDir !== undefined)
    throw new UsageError(
      '--output-dir needs --format to say which reports to write, e.g. --format html,json.',
    );
  else formats = [(output !== undefined ? formatForFile(output) : undefined) ?? 'text'];
  if (formats.length > 1 && outputDir === undefined) {
    throw new UsageError(
      `${formats.length} formats need --output-dir DIR (one file each); standard output and --output take one.`,
    );
  }
  const [format] = formats;
  const named = output !== undefined ? formatForFile(output) : undefined;
  // A file named like one format but asked to hold another would mislead whoever opens it.
  if (format !== undefined && named !== undefined && named !== format) {
    throw new UsageError(
      `--format ${format} contradicts -o ${output}, whose ending is ${named}'s; drop --format or end the file in ${FORMAT_SPECS[format].extension}.`,
    );
  }
  return { formats, output, outputDir, outputName };
}

/** 2026-11-29T15:04:05.123Z → 20261129T150405Z: sortable, and safe in any file system. */
function fileTimestamp(time: Date): string {
  return time
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The file each format goes to. In --output-dir the files are named by account and UTC time, so a run
 * never replaces the reports of an earlier one (a second run within the same second gets -2, -3, …);
 * --output-name gives a fixed stem instead, which the user chose to overwrite.
 */
export async function reportTargets(
  plan: OutputPlan,
  account: string | undefined,
  time: Date = new Date(),
): Promise<ReportTarget[]> {
  const { outputDir } = plan;
  if (outputDir === undefined) return plan.formats.map((format) => ({ format, path: plan.output }));
  const pathsFor = (stem: string) =>
    plan.formats.map((format) => ({
      format,
      path: join(outputDir, `${stem}${FORMAT_SPECS[format].extension}`),
    }));
  if (plan.outputName !== undefined) return pathsFor(plan.outputName);
  const base = [REPORT_FILE_PREFIX, account, fileTimestamp(time)].filter((p) => p !== undefined).join('-');
  for (let n = 1; n < 100; n++) {
    const targets = pathsFor(n === 1 ? base : `${base}-${n}`);
    const taken = await Promise.all(targets.map((t) => exists(t.path)));
    if (!taken.includes(true)) return targets;
  }
  throw new UsageError(`${outputDir} already holds 99 reports named ${base}; give --output-name STEM.`);
}

/** Parses every reporting flag (and reads the suppression file) before any AWS call is made. */
export async function reportSettings(flags: ReportFlags): Promise<ReportSettings> {
  const plan = planOutputs(flags);
  const audience = flags.audience !== undefined ? parseAudience(flags.audience) : 'engineer';
  const failOn = flags['fail-on'] !== undefined ? parseFailOn(flags['fail-on']) : undefined;
  const suppressions = flags.ignore !== undefined ? await readSuppressionFile(flags.ignore) : undefined;
  return { plan, audience, failOn, suppressions };
}

/** Writes to stdout, or atomically to a file with one line on stderr saying so. */
export async function emit(
  io: CliIO,
  content: string,
  output: string | undefined,
  what: string,
): Promise<void> {
  if (output === undefined) {
    io.stdout(content);
    return;
  }
  await writeFileAtomic(output, content);
  io.stderr(`trailcheck: wrote ${what} to ${output}\n`);
}

export function accessOptions(values: { profile?: string; timeout?: string }, io: CliIO): AwsAccessOptions {
  const access: AwsAccessOptions = { env: io.env, ...retrySettings(io.env) };
  if (values.profile !== undefined) access.profile = values.profile;
  const timeoutMs = parseTimeout(values.timeout);
  if (timeoutMs !== undefined) access.regionTimeoutMs = timeoutMs;
  return access;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM is dumb. */
export function useColor(io: CliIO): boolean {
  const noColor = io.env.NO_COLOR;
  return io.stdoutIsTTY === true && (noColor === undefined || noColor === '') && io.env.TERM !== 'dumb';
}

/** Today's date, YYYY-MM-DD in UTC: suppressions hold through their expiry day. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Judges the snapshot, applies the suppressions, plans once for what is left, renders every requested
 * format and returns the exit code: 1 when an open finding reaches the --fail-on threshold, 2 when a
 * suppression has expired (after the reports are written, so nothing is lost), else 0.
 */
export async function assessAndReport(
  io: CliIO,
  snapshot: Snapshot,
  selection: { controls: readonly ControlDefinition[]; framework: Framework | undefined },
  options: AssessOptions,
  settings: ReportSettings,
): Promise<number> {
  const acceptance = suppressionsOf(settings);
  const assessment = reportOf(
    snapshot,
    selection.controls,
    { ...options, framework: selection.framework },
    acceptance.accept,
  );
  await writeReports(io, assessment, settings, assessment.account.id);
  return finishRun(io, assessment, settings, acceptance);
}

/** The suppressions of a run: how to mark an assessment, and what they had to say once it is done. */
export interface Acceptance {
  accept: ((raw: Assessment) => Assessment) | undefined;
  unmatched: string[];
  expired: () => string | undefined;
}

export function suppressionsOf(settings: ReportSettings): Acceptance {
  let expired: string | undefined;
  // An organization run marks each account in turn: an entry is unmatched only if no account matched it.
  let calls = 0;
  const misses = new Map<string, number>();
  const suppressions = settings.suppressions;
  return {
    accept: suppressions
      ? (raw: Assessment): Assessment => {
          calls += 1;
          const outcome = applySuppressions(raw, suppressions, settings.judgedOn ?? todayUtc());
          if (outcome.expired.length > 0) expired = expiredMessage(suppressions, outcome.expired);
          for (const entry of outcome.unmatched) {
            const line = unmatchedMessage(suppressions, entry);
            misses.set(line, (misses.get(line) ?? 0) + 1);
          }
          return outcome.assessment;
        }
      : undefined,
    get unmatched() {
      return [...misses.entries()].filter(([, n]) => n === calls).map(([line]) => line);
    },
    expired: () => expired,
  };
}

/** Renders every requested format of a report to its target (`name`: the account or organization). */
export async function writeReports(
  io: CliIO,
  report: Report,
  settings: ReportSettings,
  name: string,
): Promise<void> {
  const headline = bottomLine(report).headline.toLowerCase();
  const { plan } = settings;
  if (plan.outputDir !== undefined) await ensureDirectory(plan.outputDir);
  for (const { format, path } of await reportTargets(plan, name)) {
    const options = { audience: settings.audience, color: path === undefined && useColor(io) };
    await emit(io, render(report, format, options), path, `the ${format} report (${headline})`);
  }
}

/** The exit code of a run once its reports are written, after saying what the suppressions left over. */
export function finishRun(
  io: CliIO,
  report: Report,
  settings: ReportSettings,
  acceptance: Acceptance,
): number {
  for (const line of acceptance.unmatched) io.stderr(`trailcheck: ${line}\n`);
  const expired = acceptance.expired();
  if (expired !== undefined) {
    io.stderr(`trailcheck: ${expired}\n`);
    return EXIT.USAGE;
  }
  return failingFindings(report, settings.failOn).length > 0 ? EXIT.FINDINGS : EXIT.OK;
}

const PHASE_TEXT: Record<CollectPhase, (detail: string) => string> = {
  identity: (region) => `Identifying the account (${region})`,
  regions: () => 'Listing the Regions enabled for the account',
  trails: (detail) => `Listing trails in ${detail}`,
  'trail-details': (detail) => `Reading the status, selectors and tags of ${detail}`,
  buckets: (detail) => `Reading the settings of ${detail}`,
  keys: (detail) => `Reading ${detail}`,
  lake: (detail) => `Listing CloudTrail Lake event data stores in ${detail}`,
  monitoring: () => 'Reading the metric filters, alarms and SNS topics that watch the trails',
  posture: (detail) => `Reading ${detail} in every scanned Region`,
  done: () => '',
};

/**
 * A one-line progress display on standard error while evidence is collected, only when standard error
 * is a terminal (a log file or CI gets no control characters). Returns the hook and a function that
 * clears the line.
 */
export function progressDisplay(io: CliIO): {
  onProgress: ((phase: CollectPhase, detail: string) => void) | undefined;
  clear: () => void;
} {
  if (io.stderrIsTTY !== true) return { onProgress: undefined, clear: () => undefined };
  let shown = false;
  const started = Date.now();
  const clear = () => {
    if (shown) io.stderr('\r\x1b[2K');
    shown = false;
  };
  return {
    onProgress: (phase, detail) => {
      const text = PHASE_TEXT[phase](terminalSafe(detail));
      if (text === '') {
        clear();
        return;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      io.stderr(`\r\x1b[2Ktrailcheck: ${text}… (${seconds}s)`);
      shown = true;
    },
    clear,
  };
}

/**
 * Runs a collection, turning "could not run" into a JSON document too when JSON was asked for, so a
 * machine reading the output still gets integer_result 2 and the reason.
 */
export async function collectOrExplain<T = Snapshot>(
  io: CliIO,
  run: () => Promise<T>,
  plan: OutputPlan,
): Promise<T> {
  const started = new Date();
  try {
    return await run();
  } catch (error) {
    if (error instanceof CannotRunError && plan.formats.includes('json')) {
      const doc = failedJsonReport(error.message, started, new Date());
      if (plan.outputDir !== undefined) await ensureDirectory(plan.outputDir);
      // No account was identified: the file is named by time alone.
      const target = (await reportTargets(plan, undefined)).find((t) => t.format === 'json') as ReportTarget;
      await emit(io, `${safeJsonStringify(doc)}\n`, target.path, 'the json report');
    }
    throw error;
  }
}
