import { parseArgs } from 'node:util';
import {
  diffReports,
  hasRegressions,
  parseDiffFormat,
  renderDiff,
  validateReportForDiff,
} from '../../report/diff.js';
import type { DiffFormat } from '../../report/diff.js';
import { parseJsonInput } from '../../snapshot/io.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { readUserFile } from '../../util/files.js';
import { DIFF_HELP } from '../help.js';
import type { CliIO } from '../io.js';
import { HELP_OPTION, OUTPUT_OPTIONS, parseErrorLine } from '../options.js';
import { emit } from '../output.js';

/** A JSON report is small; this bounds what a wrong file can cost. */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

async function readReport(path: string, which: string) {
  const label = `${which} report ${path}`;
  const text = await readUserFile(path, `${which} report`, MAX_REPORT_BYTES);
  return validateReportForDiff(parseJsonInput(text, label), label);
}

/** --format wins; otherwise the output file's ending; otherwise text. */
function diffFormat(format: string | undefined, output: string | undefined): DiffFormat {
  if (format !== undefined) return parseDiffFormat(format);
  const name = output?.toLowerCase() ?? '';
  if (name.endsWith('.md')) return 'markdown';
  if (name.endsWith('.json')) return 'json';
  return 'text';
}

/** The flags of 'trailcheck diff' (shell completion lists them too). */
export const DIFF_OPTIONS = { ...OUTPUT_OPTIONS, ...HELP_OPTION } as const;

/** Compares two JSON reports; exits 1 when something got worse (newly failing or newly unknown). */
export async function diffCommand(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: DIFF_OPTIONS,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw parseErrorLine('diff', error, { ...OUTPUT_OPTIONS, ...HELP_OPTION });
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${DIFF_HELP}\n`);
    return EXIT.OK;
  }
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') {
      throw new UsageError(`--${name} needs a value; run 'trailcheck diff --help'.`);
    }
  }
  if (positionals.length !== 2) {
    throw new UsageError(
      `'trailcheck diff' takes two JSON reports, OLD and NEW (got ${positionals.length}); run 'trailcheck diff --help'.`,
    );
  }
  const [oldPath = '', newPath = ''] = positionals;
  const format = diffFormat(values.format, values.output);
  const oldReport = await readReport(oldPath, 'old');
  const newReport = await readReport(newPath, 'new');
  const diff = diffReports(oldReport, newReport);
  await emit(io, renderDiff(diff, format), values.output, `the ${format} diff`);
  return hasRegressions(diff) ? EXIT.FINDINGS : EXIT.OK;
}
