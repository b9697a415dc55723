/**
 * Flag values, checked with zod before any command sees them: every value is bounded and free of control
 * characters (a value echoed in an error line must not be able to rewrite the terminal), and values with
 * a shape of their own (--timeout) are parsed here.
 */
import { z } from 'zod';
import { UsageError } from '../util/errors.js';
import { firstUnsafeCharacter, oneLine } from '../util/text.js';

/** Longer than any path, profile, Region list or control list a person types. */
export const MAX_FLAG_LENGTH = 4096;

export const FlagValueSchema = z
  .string()
  .max(MAX_FLAG_LENGTH, `is longer than ${MAX_FLAG_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const unsafe = firstUnsafeCharacter(value);
    if (unsafe) {
      ctx.addIssue({
        code: 'custom',
        message: `contains the control character ${unsafe.codePoint} at position ${unsafe.index + 1}`,
      });
    }
  });

/** Checks every string flag of a parsed command line; the first problem is a usage error. */
export function validateFlagValues(command: string, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string') continue;
    const result = FlagValueSchema.safeParse(value);
    if (!result.success) {
      const problem = result.error.issues[0]?.message ?? 'is not valid';
      throw new UsageError(`--${name} ${problem}; run 'trailcheck ${command} --help'.`);
    }
  }
}

export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 3600;

const TimeoutSchema = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number)
  .pipe(z.number().min(MIN_TIMEOUT_SECONDS).max(MAX_TIMEOUT_SECONDS));

/** `--timeout SECONDS` in milliseconds, or undefined when not given. */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const result = TimeoutSchema.safeParse(value);
  if (!result.success) {
    throw new UsageError(
      `--timeout needs a number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}, e.g. --timeout 120 (got '${oneLine(value, 40)}').`,
    );
  }
  return Math.round(result.data * 1000);
}

const RetryModeSchema = z.enum(['standard', 'adaptive']);
const MaxAttemptsSchema = z
  .string()
  .trim()
  .regex(/^\d+$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(10));

/**
 * The SDK's own retry settings from the environment (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS), checked: the
 * client factory sets retries explicitly, so it must be told what the user asked for.
 */
export function retrySettings(env: NodeJS.ProcessEnv): {
  retryMode?: 'standard' | 'adaptive';
  maxAttempts?: number;
} {
  const settings: { retryMode?: 'standard' | 'adaptive'; maxAttempts?: number } = {};
  const mode = env.AWS_RETRY_MODE;
  if (mode !== undefined && mode !== '') {
    const parsed = RetryModeSchema.safeParse(mode.trim().toLowerCase());
    if (!parsed.success) {
      throw new UsageError(`AWS_RETRY_MODE must be standard or adaptive (got '${oneLine(mode, 40)}').`);
    }
    settings.retryMode = parsed.data;
  }
  const attempts = env.AWS_MAX_ATTEMPTS;
  if (attempts !== undefined && attempts !== '') {
    const parsed = MaxAttemptsSchema.safeParse(attempts);
    if (!parsed.success) {
      throw new UsageError(
        `AWS_MAX_ATTEMPTS must be a whole number of attempts from 1 to 10 (got '${oneLine(attempts, 40)}').`,
      );
    }
    settings.maxAttempts = parsed.data;
  }
  return settings;
}
