import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../util/errors.js';
import { closestMatch } from '../util/suggest.js';
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

/**
 * `--retention-days -5`: a negative number is a value, never a flag, but parseArgs calls it ambiguous and
 * asks for `--retention-days=-5`. Joining them lets the value's own check refuse it in plain words.
 */
function joinNegativeValues(args: string[], options: OptionSpec): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (arg === '--') {
      joined.push(...args.slice(i));
      break;
    }
    const spec = arg.startsWith('--')
      ? options[arg.slice(2)]
      : Object.values(options).find((o) => o.short !== undefined && `-${o.short}` === arg);
    if (spec?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** "Unknown option '--contrls'" → the same, with the closest option this command has. */
function unknownOptionHint(message: string, options: OptionSpec): string {
  const flag = /'(--?[^'=]+)'/.exec(message)?.[1];
  if (flag === undefined || !flag.startsWith('--')) return '';
  const match = closestMatch(flag.slice(2), Object.keys(options));
  return match === undefined ? '' : `; did you mean --${match}?`;
}

/** Node's parse errors as one line: the first sentence, the closest option for an unknown one. */
export function parseErrorLine(command: string, error: unknown, options: OptionSpec): UsageError {
  const e = error as ParseArgsError;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /ambiguous/.test(e.message)) {
    const flag = /'(--?[\w-]+)'/.exec(e.message)?.[1] ?? 'the option';
    return new UsageError(`${flag} needs a value; to give one that starts with '-', write ${flag}=VALUE.`);
  }
  // Node's messages run over several lines with advice for positional arguments: keep the first sentence.
  const message = (e.message.split('\n')[0] ?? e.message)
    .replace(/\. To specify a positional argument.*$/s, '')
    .replace(/\.$/, '');
  const hint = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOptionHint(message, options) : '';
  const help = `trailcheck ${command} --help`;
  return new UsageError(hint ? `${message}${hint} Run '${help}'.` : `${message}; run '${help}'.`);
}

/** Like parseCommandArgs, for a command that takes words too (`explain CONTROL`). */
export function parseCommandLine<T extends OptionSpec>(command: string, args: string[], options: T) {
  try {
    const parsed = parseArgs({
      args: joinNegativeValues(args, options),
      options,
      strict: true,
      allowPositionals: true,
    });
    for (const [name, value] of Object.entries(parsed.values)) {
      if (typeof value === 'string' && value.trim() === '') {
        throw new UsageError(`--${name} needs a value; run 'trailcheck ${command} --help'.`);
      }
    }
    validateFlagValues(command, parsed.values);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw parseErrorLine(command, error, options);
  }
}

/** Strict parsing: an unknown flag, a missing value or a stray word is a usage error, said in one line. */
export function parseCommandArgs<T extends OptionSpec>(command: string, args: string[], options: T) {
  const parsed = parseCommandLine(command, args, options);
  if (parsed.positionals.length > 0) {
    throw new UsageError(
      `'trailcheck ${command}' takes no argument '${parsed.positionals[0]}'; run 'trailcheck ${command} --help'.`,
    );
  }
  return parsed.values;
}
