import { join } from 'node:path';
import type { AwsAccessOptions } from '../aws/clients.js';
import type { CollectPhase } from '../collect/index.js';
import { assess } from '../evaluate/assess.js';
import type { Assessment } from '../evaluate/assess.js';
import type { ControlDefinition } from '../controls/types.js';
import type { AssessOptions } from '../evaluate/view.js';
import type { Framework } from '../frameworks/index.js';
import { bottomLine } from '../report/bottom-line.js';
import { FORMAT_SPECS, formatForFile, parseAudience, parseFormatList, render } from '../report/index.js';
import type { Audience, Format } from '../report/index.js';
import { safeJsonStringify } from '../report/escape.js';
import { failedJsonReport } from '../report/json.js';
import type { FailOn } from '../report/outcome.js';
import { failingFindings, parseFailOn } from '../report/outcome.js';
import { applySuppressions, expiredMessage, readSuppressionFile } from '../report/suppressions.js';
import type { SuppressionFile } from '../report/suppressions.js';
import type { Snapshot } from '../snapshot/schema.js';
import { CannotRunError, EXIT, UsageError } from '../util/errors.js';
import { ensureDirectory, writeFileAtomic } from '../util/files.js';
import { terminalSafe } from '../report/escape.js';
import type { CliIO } from './io.js';
import { parseOutputName } from './options.js';
import { parseTimeout, retrySettings } from './validate.js';

/** The stem of the files --output-dir gets: trailcheck-report.html, trailcheck-report.sarif, … */
export const REPORT_FILE_STEM = 'trailcheck-report';

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
  targets: Array<{ format: Format; path: string | undefined }>;
  outputDir: string | undefined;
}

export interface ReportSettings {
  plan: OutputPlan;
  audience: Audience;
  failOn: FailOn | undefined;
  suppressions: SuppressionFile | undefined;
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
  const stem = flags['output-name'] !== undefined ? parseOutputName(flags['output-name']) : REPORT_FILE_STEM;
  const targets = formats.map((format) => ({
    format,
    path: outputDir !== undefined ? join(outputDir, `${stem}${FORMAT_SPECS[format].extension}`) : output,
  }));
  return { formats, targets, outputDir };
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
 * Applies suppressions, renders every requested format and returns the exit code: 1 when an open finding
 * reaches the --fail-on threshold, 2 when a suppression has expired (after the reports are written, so
 * nothing is lost), else 0.
 */
export async function reportAssessment(
  io: CliIO,
  raw: Assessment,
  settings: ReportSettings,
): Promise<number> {
  let assessment = raw;
  let expired: string | undefined;
  if (settings.suppressions) {
    const outcome = applySuppressions(raw, settings.suppressions, todayUtc());
    assessment = outcome.assessment;
    if (outcome.expired.length > 0) expired = expiredMessage(settings.suppressions, outcome.expired);
  }
  const headline = bottomLine(assessment).headline.toLowerCase();
  const { plan } = settings;
  if (plan.outputDir !== undefined) await ensureDirectory(plan.outputDir);
  for (const { format, path } of plan.targets) {
    const options = { audience: settings.audience, color: path === undefined && useColor(io) };
    await emit(io, render(assessment, format, options), path, `the ${format} report (${headline})`);
  }
  if (expired !== undefined) {
    io.stderr(`trailcheck: ${expired}\n`);
    return EXIT.USAGE;
  }
  return failingFindings(assessment, settings.failOn).length > 0 ? EXIT.FINDINGS : EXIT.OK;
}

/** Assesses a snapshot with the chosen controls and reports it. */
export async function assessAndReport(
  io: CliIO,
  snapshot: Snapshot,
  selection: { controls: readonly ControlDefinition[]; framework: Framework | undefined },
  options: AssessOptions,
  settings: ReportSettings,
): Promise<number> {
  const assessment = assess(snapshot, selection.controls, { ...options, framework: selection.framework });
  return reportAssessment(io, assessment, settings);
}

const PHASE_TEXT: Record<CollectPhase, (detail: string) => string> = {
  identity: (region) => `Identifying the account (${region})`,
  regions: () => 'Listing the Regions enabled for the account',
  trails: (detail) => `Listing trails in ${detail}`,
  'trail-details': (detail) => `Reading the status, selectors and tags of ${detail}`,
  buckets: (detail) => `Reading the settings of ${detail}`,
  keys: (detail) => `Reading ${detail}`,
  lake: (detail) => `Listing CloudTrail Lake event data stores in ${detail}`,
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
export async function collectOrExplain(
  io: CliIO,
  run: () => Promise<Snapshot>,
  plan: OutputPlan,
): Promise<Snapshot> {
  const started = new Date();
  try {
    return await run();
  } catch (error) {
    const target = plan.targets.find((t) => t.format === 'json');
    if (error instanceof CannotRunError && target) {
      const doc = failedJsonReport(error.message, started, new Date());
      if (plan.outputDir !== undefined) await ensureDirectory(plan.outputDir);
      await emit(io, `${safeJsonStringify(doc)}\n`, target.path, 'the json report');
    }
    throw error;
  }
}
