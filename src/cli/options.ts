import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../util/errors.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const ACCESS_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
} as const satisfies OptionSpec;

export const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
} as const satisfies OptionSpec;

/** How the assessment is reported and judged: scan and demo. */
export const REPORT_OPTIONS = {
  ...OUTPUT_OPTIONS,
  'output-dir': { type: 'string' },
  audience: { type: 'string' },
  'fail-on': { type: 'string' },
  ignore: { type: 'string' },
} as const satisfies OptionSpec;

export const SELECTION_OPTIONS = {
  controls: { type: 'string', short: 'c' },
} as const satisfies OptionSpec;

export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpec;

interface ParseArgsError {
  code?: string;
  message: string;
}

/** Strict parsing: an unknown flag, a missing value or a stray word is a usage error, said in one line. */
export function parseCommandArgs<T extends OptionSpec>(command: string, args: string[], options: T) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (parsed.positionals.length > 0) {
      throw new UsageError(
        `'trailcheck ${command}' takes no argument '${parsed.positionals[0]}'; run 'trailcheck ${command} --help'.`,
      );
    }
    for (const [name, value] of Object.entries(parsed.values)) {
      if (typeof value === 'string' && value.trim() === '') {
        throw new UsageError(`--${name} needs a value; run 'trailcheck ${command} --help'.`);
      }
    }
    return parsed.values;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const e = error as ParseArgsError;
    const message = e.message.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '');
    throw new UsageError(`${message}; run 'trailcheck ${command} --help'.`);
  }
}
