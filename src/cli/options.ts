import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../util/errors.js';
import { validateFlagValues } from './validate.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const ACCESS_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
  timeout: { type: 'string' },
} as const satisfies OptionSpec;

export const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
} as const satisfies OptionSpec;

/** How the assessment is reported and judged: scan and demo. */
export const REPORT_OPTIONS = {
  ...OUTPUT_OPTIONS,
  'output-dir': { type: 'string' },
  'output-name': { type: 'string' },
  audience: { type: 'string' },
  'fail-on': { type: 'string' },
  ignore: { type: 'string' },
} as const satisfies OptionSpec;

export const SELECTION_OPTIONS = {
  controls: { type: 'string', short: 'c' },
} as const satisfies OptionSpec;

export const ASSESS_OPTIONS = {
  framework: { type: 'string' },
  'required-tags': { type: 'string' },
  'retention-days': { type: 'string' },
  'max-delivery-age': { type: 'string' },
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
    validateFlagValues(command, parsed.values);
    return parsed.values;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const e = error as ParseArgsError;
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /ambiguous/.test(e.message)) {
      const flag = /'(--?[\w-]+)'/.exec(e.message)?.[1] ?? 'the option';
      throw new UsageError(`${flag} needs a value; to give one that starts with '-', write ${flag}=VALUE.`);
    }
    // Node's messages run over several lines with advice for positional arguments: keep the first sentence.
    const message = (e.message.split('\n')[0] ?? e.message)
      .replace(/\. To specify a positional argument.*$/s, '')
      .replace(/\.$/, '');
    throw new UsageError(`${message}; run 'trailcheck ${command} --help'.`);
  }
}
