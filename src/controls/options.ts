/**
 * A control's own settings (CloudTrail.9's required tag keys, TC.BucketRetention's retention period…),
 * declared in the control's folder. The CLI derives each one's flag, environment variable, config-file
 * key, help line and completion from the declaration, and `explain` lists them with the control.
 */
import type { SnapshotView } from '../evaluate/view.js';
import { UsageError } from '../util/errors.js';

/**
 * How the value may be written outside the command line. `list`: a comma-separated string, or in the
 * config file also a YAML list; `number`: a number (or its digits); `text`: a string.
 */
export type OptionKind = 'text' | 'list' | 'number';

/**
 * The flags of the controls' options, so the CLI knows each by name when it compiles: the file that
 * declares an option adds its flag here, next to the declaration (see cloudtrail-9-tags/options.ts):
 *   declare module '../options.js' { interface ControlOptionFlags { 'required-tags': true } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ControlOptionFlags {}

export type ControlOptionFlag = Extract<keyof ControlOptionFlags, string>;

export interface ControlOption<T> {
  /** Where the parsed value sits in AssessOptions; unique across controls (a test checks). */
  key: string;
  /**
   * The flag's name without `--`. Its environment variable is TRAILCHECK_ and the name in upper case
   * (`-` as `_`), its config-file key the name itself unless `configKey` says otherwise.
   */
  flag: ControlOptionFlag;
  configKey?: string;
  /** The value's name in the help: N, K,K. */
  placeholder: string;
  /** Its help text, naming the control and the default; further lines are indented under the first. */
  help: readonly string[];
  kind: OptionKind;
  /** The value as given (flag, environment or file) → the value the control judges with; a bad one throws the flag's UsageError. */
  parse: (value: string) => T;
  /** What the control judges with when the option is not given. */
  default: T;
}

/** The value a control judges with: the one given for this assessment, else the option's default. */
export function optionValue<T>(view: SnapshotView, option: ControlOption<T>): T {
  const given = view.options[option.key];
  return given === undefined ? option.default : (given as T);
}

/** A parse function for a whole number from 1 to `max`, with the flag's own message for anything else. */
export function positiveInteger(flag: string, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1 || number > max) {
      throw new UsageError(`--${flag} takes a whole number from 1 to ${max}, not '${value}'.`);
    }
    return number;
  };
}

/** S3's rules for a bucket name: 3–63 lower-case letters, digits, dots and dashes, a letter or digit at each end. */
const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A parse function for an S3 bucket name, with the flag's own message for anything else. */
export function bucketName(flag: string): (value: string) => string {
  return (value) => {
    const name = value.trim();
    if (!BUCKET_NAME.test(name))
      throw new UsageError(
        `--${flag} takes the name of an S3 bucket such as audit-logs-123456789012, not '${value}'.`,
      );
    return name;
  };
}
