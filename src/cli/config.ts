/**
 * Defaults for the usual flags from TRAILCHECK_* environment variables and a config file
 * (trailcheck.config.yaml). A flag wins over the environment, the environment over the file, the file
 * over trailcheck's own default. Every name comes from the option table (SETTINGS in options.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../util/errors.js';
import { readUserFile } from '../util/files.js';
import { oneLine } from '../util/text.js';
import type { CliIO } from './io.js';
import { SETTINGS, SETTING_OF_FLAG, configKeyOf, envVarOf, parseCommandArgs } from './options.js';
import type { OptionSpec, SettingDeclaration, SettingKind, SettingName } from './options.js';
import { FlagValueSchema } from './validate.js';

export const CONFIG_FILE_NAME = 'trailcheck.config.yaml';
export const CONFIG_ENV_VAR = 'TRAILCHECK_CONFIG';
/** A config file is a few lines; this bounds what pointing --config at the wrong file costs. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export const CONFIG_OPTION = { config: { type: 'string' } } as const satisfies OptionSpec;

const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

const KIND_SCHEMA: Record<SettingKind, z.ZodType<string>> = {
  text: z.string().trim().min(1),
  list: z.union([
    z.string().trim().min(1),
    z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .transform((items) => items.map(String).join(',')),
  ]),
  number: z.union([
    z.number().transform(String),
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/),
  ]),
};

const KIND_TEXT: Record<SettingKind, string> = {
  text: 'a non-empty string',
  list: 'a list of strings (or one comma-separated string)',
  number: 'a number',
};

const ConfigSchema = z
  .object(
    Object.fromEntries(SETTING_NAMES.map((name) => [configKeyOf(name), KIND_SCHEMA[SETTINGS[name].kind]])),
  )
  .partial()
  .strict();

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${oneLine(JSON.stringify(value), 40)}`;
}

/** Checks one value from the environment or the file the way its flag is checked; `where` names it. */
function checkValue(name: SettingName, value: string, where: string): void {
  const safe = FlagValueSchema.safeParse(value);
  if (!safe.success) throw new UsageError(`${where} ${safe.error.issues[0]?.message ?? 'is not valid'}.`);
  const setting: SettingDeclaration = SETTINGS[name];
  try {
    setting.check?.(value);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${where}: ${error.message}`);
    throw error;
  }
}

export interface LoadedConfig {
  /** As the user would recognise it: the path given, or trailcheck.config.yaml. */
  label: string;
  values: Partial<Record<SettingName, string>>;
}

/** Reads and checks a config file; every problem is one line naming the file and the key. */
export function parseConfig(text: string, label: string, baseDir: string): LoadedConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = counter.linePos(syntax.pos[0]);
    const message = syntax.message.split('\n')[0]?.replace(/\.$/, '') ?? 'syntax error';
    throw new UsageError(`config file ${label} is not valid YAML: ${message} (line ${line}, column ${col}).`);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`config file ${label} cannot be read as YAML: ${oneLine(reason, 200)}.`);
  }
  if (data === null || data === undefined) return { label, values: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(
      `config file ${label} must be a mapping of settings, e.g. "regions: [eu-west-1]" (it is ${describe(data)}).`,
    );
  }
  const keys = SETTING_NAMES.map(configKeyOf);
  const parsed = ConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      throw new UsageError(
        `config file ${label}: unknown key '${oneLine(String(issue.keys[0]), 60)}'; the keys are ${keys.join(', ')}.`,
      );
    }
    const key = String(issue?.path[0] ?? '');
    const name = SETTING_NAMES.find((n) => configKeyOf(n) === key);
    const given = (data as Record<string, unknown>)[key];
    // A number in quotes, or out of range: the flag's own check says what is allowed.
    if (name && (typeof given === 'string' || typeof given === 'number'))
      checkValue(name, String(given), `config file ${label}: '${key}'`);
    throw new UsageError(
      `config file ${label}: '${key}' must be ${name ? KIND_TEXT[SETTINGS[name].kind] : 'valid'} (it is ${describe(given)}).`,
    );
  }
  const values: Partial<Record<SettingName, string>> = {};
  const byKey = parsed.data as Record<string, string | undefined>;
  for (const name of SETTING_NAMES) {
    const value = byKey[configKeyOf(name)];
    if (value === undefined) continue;
    checkValue(name, value, `config file ${label}: '${configKeyOf(name)}'`);
    const setting: SettingDeclaration = SETTINGS[name];
    // A path in the file means the same wherever trailcheck is run from.
    values[name] = setting.path ? resolve(baseDir, value) : value;
  }
  return { label, values };
}

/** --config FILE, else TRAILCHECK_CONFIG, else trailcheck.config.yaml in the current directory if there. */
export async function loadConfig(flagPath: string | undefined, io: CliIO): Promise<LoadedConfig | undefined> {
  const envPath = io.env[CONFIG_ENV_VAR];
  const given = flagPath ?? (envPath !== undefined && envPath.trim() !== '' ? envPath : undefined);
  if (given === undefined && !existsSync(CONFIG_FILE_NAME)) return undefined;
  const label = given ?? CONFIG_FILE_NAME;
  const path = resolve(label);
  const text = await readUserFile(path, 'config file', MAX_CONFIG_BYTES);
  return parseConfig(text, label, dirname(path));
}

/**
 * Parses a command line like parseCommandArgs, and fills each setting the command takes and the line
 * leaves out from its environment variable, else from the config file. Also takes --config FILE.
 */
export async function parseCommandLine<T extends OptionSpec>(
  command: string,
  args: string[],
  options: T,
  io: CliIO,
) {
  const values = parseCommandArgs(command, args, { ...options, ...CONFIG_OPTION });
  const filled = values as Record<string, unknown>;
  if (filled.help === true) return values;
  const config = await loadConfig(filled.config as string | undefined, io);
  for (const [flag, option] of Object.entries(options)) {
    const name = SETTING_OF_FLAG.get(option);
    if (name === undefined || filled[flag] !== undefined) continue;
    const setting: SettingDeclaration = SETTINGS[name];
    if (setting.liveOnly && filled.snapshot !== undefined) continue;
    const envVar = envVarOf(name);
    const fromEnv = io.env[envVar];
    if (fromEnv !== undefined && fromEnv.trim() !== '') {
      checkValue(name, fromEnv, envVar);
      filled[flag] = fromEnv;
    } else if (config?.values[name] !== undefined) {
      filled[flag] = config.values[name];
    }
  }
  return values;
}
