/**
 * Errors that end a run with one plain line for the user and a given exit code. Anything else that
 * escapes is a bug in trailcheck and is reported as such.
 */
export const EXIT = {
  OK: 0,
  FINDINGS: 1,
  USAGE: 2,
  CANNOT_RUN: 3,
  /** `fix --apply` stopped by SIGINT or SIGTERM (after rolling back): 128 + SIGINT, as shells report it. */
  INTERRUPTED: 130,
} as const;

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Bad flags, unknown control ids, unreadable or malformed input files: exit 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
    this.name = 'UsageError';
  }
}

/** The assessment itself could not run (no credentials, AWS unreachable): exit 3. */
export class CannotRunError extends UserError {
  constructor(message: string) {
    super(message, EXIT.CANNOT_RUN);
    this.name = 'CannotRunError';
  }
}
