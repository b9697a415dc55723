import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../util/errors.js';
import { closestMatch } from '../util/suggest.js';
import { validateFlagValues } from './validate.js';

import { parseRegionList } from '../collect/regions.js';
import { CONTROLS, CONTROL_OPTIONS, selectControls } from '../controls/index.js';
import type { ControlOption, ControlOptionFlag, OptionKind } from '../controls/options.js';
import { FRAMEWORKS, findFramework } from '../controls/frameworks.js';
import { AUDIENCES, FORMATS, parseAudience, parseFormatList } from '../report/index.js';
import { FAIL_ON_LEVELS, parseFailOn } from '../report/outcome.js';
import { parseTimeout } from './validate.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * How a setting may be written outside the command line. `list`: a comma-separated string, or in the
 * config file also a YAML list; `number`: a number (or its digits); `text`: a string.
 */
export type SettingKind = OptionKind;

/**
 * One option that can also come from the environment and the config file. Its flag is `--NAME`, its
 * environment variable `TRAILCHECK_NAME` (upper case, `-` as `_`), its config key NAME unless
 * `configKey` says otherwise; `help` is its line in the command help.
 */
export interface SettingDeclaration {
  type: 'string';
  short?: string;
  /** The value's name in the help: NAME, A,B, FILE. */
  placeholder: string;
  /** Its help text; further lines are separate strings, indented under the first. */
  help: readonly string[];
  kind: SettingKind;
  configKey?: string;
  /** A file or directory: relative to the config file when it comes from there. */
  path?: 'file' | 'dir';
  /** Only for live AWS access: --snapshot makes it moot, so a default from elsewhere is not applied. */
  liveOnly?: boolean;
  /** Throws the flag's own usage error for a bad value: checked before the value is used. */
  check?: (value: string) => unknown;
  /** The values shell completion offers. */
  values?: () => readonly string[];
}

/** --concurrency: accounts scanned at once in an organization run. */
export function parseConcurrency(value: string): number {
  const text = value.trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(
      `--concurrency takes a whole number from 1 to 64 (accounts scanned at once), not '${value}'.`,
    );
  return n;
}

const REPORT_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** --output-name: a plain name, so it cannot point the reports outside --output-dir. */
export function parseOutputName(value: string): string {
  const name = value.trim();
  if (!REPORT_FILE_NAME.test(name))
    throw new UsageError(
      `--output-name takes a plain file name without a folder, e.g. --output-name audit (not '${value}').`,
    );
  return name;
}

/** trailcheck's own settings that come before the controls' options in help and config-file keys. */
const BEFORE_CONTROL_OPTIONS = {
  profile: {
    type: 'string',
    placeholder: 'NAME',
    help: ['use a named profile from ~/.aws/config'],
    kind: 'text',
    liveOnly: true,
  },
  region: {
    type: 'string',
    placeholder: 'A,B',
    help: ['only these Regions (default: every enabled Region)'],
    kind: 'list',
    configKey: 'regions',
    liveOnly: true,
    check: parseRegionList,
  },
  timeout: {
    type: 'string',
    placeholder: 'SECONDS',
    help: [
      "the most time to wait for one Region's answers, retries included",
      '(default 120); what a Region that runs out could not answer is UNKNOWN',
    ],
    kind: 'number',
    liveOnly: true,
    check: parseTimeout,
  },
  controls: {
    type: 'string',
    short: 'c',
    placeholder: 'IDS',
    help: ["only these controls, e.g. CloudTrail.1,CloudTrail.4 ('all' for every control)"],
    kind: 'list',
    check: (value) => selectControls(value),
    values: () => ['all', ...CONTROLS.map((c) => c.id)],
  },
  framework: {
    type: 'string',
    placeholder: 'NAME',
    help: [
      "a framework's controls, with its numbering in the report:",
      'cis-1.2, cis-1.4, cis-3.0, cis-4.0, cis-5.0 or securityhub',
    ],
    kind: 'text',
    check: findFramework,
    values: () => FRAMEWORKS.map((f) => f.id),
  },
} as const satisfies Record<string, SettingDeclaration>;

/** trailcheck's own settings that come after the controls' options. */
const AFTER_CONTROL_OPTIONS = {
  format: {
    type: 'string',
    short: 'f',
    placeholder: 'F[,F]',
    help: [
      'text (default), markdown, html, json, sarif, asff, ocsf, csv, junit;',
      'several at once with --output-dir, e.g. --format html,json',
    ],
    kind: 'list',
    check: parseFormatList,
    values: () => FORMATS,
  },
  'output-dir': {
    type: 'string',
    placeholder: 'DIR',
    help: [
      'write one file per format into DIR (created if missing), named by account',
      'and UTC time: trailcheck-123456789012-20261129T150405Z.html, …',
    ],
    kind: 'text',
    path: 'dir',
  },
  'output-name': {
    type: 'string',
    placeholder: 'NAME',
    help: ['with --output-dir: name the files NAME.html, NAME.json, … instead'],
    kind: 'text',
    check: parseOutputName,
  },
  audience: {
    type: 'string',
    placeholder: 'WHO',
    help: [
      'executive (short and plain) or engineer (default: adds the evidence',
      'and the AWS CLI commands); for text, markdown and html',
    ],
    kind: 'text',
    check: parseAudience,
    values: () => AUDIENCES,
  },
  'fail-on': {
    type: 'string',
    placeholder: 'LEVEL',
    help: [
      'exit 1 only for findings at or above low, medium, high or critical',
      '(default: any finding that failed or could not be assessed)',
    ],
    kind: 'text',
    check: parseFailOn,
    values: () => FAIL_ON_LEVELS,
  },
  ignore: {
    type: 'string',
    placeholder: 'FILE',
    help: ['a suppression file (YAML or JSON) of accepted findings'],
    kind: 'text',
    path: 'file',
  },
  ou: {
    type: 'string',
    placeholder: 'IDS',
    help: ['with --org: only accounts in these units (ou-… or r-…) and units below'],
    kind: 'list',
    liveOnly: true,
  },
  accounts: {
    type: 'string',
    placeholder: 'IDS',
    help: ['with --org: only these accounts (12-digit ids, comma-separated)'],
    kind: 'list',
    liveOnly: true,
  },
  'exclude-accounts': {
    type: 'string',
    placeholder: 'IDS',
    help: ['with --org: never these accounts'],
    kind: 'list',
    liveOnly: true,
  },
  'role-name': {
    type: 'string',
    placeholder: 'NAME',
    help: [
      'with --org: the role assumed in each member account (default',
      'OrganizationAccountAccessRole; a read-only role is safer: iam-policy --for org)',
    ],
    kind: 'text',
    liveOnly: true,
  },
  'external-id': {
    type: 'string',
    placeholder: 'ID',
    help: ["with --org: the external id the members' role trust policy asks for"],
    kind: 'text',
    liveOnly: true,
  },
  concurrency: {
    type: 'string',
    placeholder: 'N',
    help: ['with --org: accounts scanned at once (default 8, at most 64)'],
    kind: 'number',
    liveOnly: true,
    check: parseConcurrency,
  },
} as const satisfies Record<string, SettingDeclaration>;

/** A setting trailcheck itself has (not a control's): its name is checked when a command lists it. */
export type OwnSettingName = keyof typeof BEFORE_CONTROL_OPTIONS | keyof typeof AFTER_CONTROL_OPTIONS;

/** Any setting's name: trailcheck's own, or a control option's flag. */
export type SettingName = OwnSettingName | ControlOptionFlag;

/** A control's option as a setting: its flag, environment variable and config key come from its declaration. */
function settingOfOption(option: ControlOption<unknown>): SettingDeclaration {
  return {
    type: 'string',
    placeholder: option.placeholder,
    help: option.help,
    kind: option.kind,
    ...(option.configKey !== undefined ? { configKey: option.configKey } : {}),
    check: (value) => option.parse(value),
  };
}

/** The flags of the controls' options, in the order of their controls. */
export const CONTROL_OPTION_FLAGS: readonly ControlOptionFlag[] = CONTROL_OPTIONS.map((o) => o.flag);

/**
 * The single list of options settable by flag, environment and config file: trailcheck's own, with the
 * controls' options (declared in the controls' folders) after --framework.
 */
export const SETTINGS = {
  ...BEFORE_CONTROL_OPTIONS,
  ...(Object.fromEntries(CONTROL_OPTIONS.map((option) => [option.flag, settingOfOption(option)])) as Record<
    ControlOptionFlag,
    SettingDeclaration
  >),
  ...AFTER_CONTROL_OPTIONS,
} satisfies Record<SettingName, SettingDeclaration>;

type StringFlag = { readonly type: 'string' };

type FlagOf<D> = D extends { short: infer S extends string }
  ? { readonly type: 'string'; readonly short: S }
  : { readonly type: 'string' };

/** Which parseArgs option objects stand for a setting: only those get defaults from elsewhere. */
export const SETTING_OF_FLAG = new WeakMap<object, SettingName>();

type OwnSettings = typeof BEFORE_CONTROL_OPTIONS & typeof AFTER_CONTROL_OPTIONS;

/** The parseArgs options of some settings; the same objects every time, so a command can spread them. */
function flagsOf<K extends OwnSettingName>(...names: K[]): { [N in K]: FlagOf<OwnSettings[N]> } {
  const flags: Record<string, { type: 'string'; short?: string }> = {};
  for (const name of names) flags[name] = FLAG_OF[name];
  return flags as { [N in K]: FlagOf<OwnSettings[N]> };
}

const FLAG_OF = Object.fromEntries(
  Object.entries(SETTINGS).map(([name, setting]) => {
    const flag: { type: 'string'; short?: string } = { type: 'string' };
    if ('short' in setting) flag.short = setting.short;
    SETTING_OF_FLAG.set(flag, name as SettingName);
    return [name, flag];
  }),
) as Record<SettingName, { type: 'string'; short?: string }>;

/** The environment variable of a setting: TRAILCHECK_OUTPUT_DIR for --output-dir. */
export function envVarOf(name: SettingName): string {
  return `TRAILCHECK_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** The config-file key of a setting. */
export function configKeyOf(name: SettingName): string {
  const setting: SettingDeclaration = SETTINGS[name];
  return setting.configKey ?? name;
}

export const ACCESS_OPTIONS = flagsOf('profile', 'region', 'timeout');

/** The settings of organization runs (`--org`), in the order help lists them. */
export const ORGANIZATION_SETTINGS = [
  'ou',
  'accounts',
  'exclude-accounts',
  'role-name',
  'external-id',
  'concurrency',
] as const satisfies readonly OwnSettingName[];

/** Organization runs (`--org`): scan and collect. */
export const ORGANIZATION_OPTIONS = {
  org: { type: 'boolean' },
  ...flagsOf(...ORGANIZATION_SETTINGS),
} as const satisfies OptionSpec;

export const OUTPUT_OPTIONS = {
  ...flagsOf('format'),
  output: { type: 'string', short: 'o' },
} as const satisfies OptionSpec;

/** How the assessment is reported and judged: scan and demo. */
export const REPORT_OPTIONS = {
  ...OUTPUT_OPTIONS,
  ...flagsOf('output-dir', 'output-name', 'audience', 'fail-on', 'ignore'),
} as const satisfies OptionSpec;

export const SELECTION_OPTIONS = flagsOf('controls');

/** --framework and the controls' own options: the judgement settings of scan, demo, plan and fix. */
export const ASSESS_OPTIONS = {
  ...flagsOf('framework'),
  ...(Object.fromEntries(CONTROL_OPTION_FLAGS.map((flag) => [flag, FLAG_OF[flag]])) as Record<
    ControlOptionFlag,
    StringFlag
  >),
};

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
