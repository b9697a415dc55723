import { bucketName } from '../options.js';
import type { ControlOption } from '../options.js';

/**
 * --config-bucket NAME: the S3 bucket Config.1's fix names in a new delivery channel. Only the user knows
 * which bucket should hold the history, so without it the fix is the user's step, with the commands.
 */
export const configBucket: ControlOption<string | undefined> = {
  key: 'configBucket',
  flag: 'config-bucket',
  placeholder: 'NAME',
  help: [
    'S3 bucket Config.1’s fix delivers AWS Config’s history to (it must exist and let',
    'config.amazonaws.com write); without it AWS Config is your step',
  ],
  kind: 'text',
  default: undefined,
  parse: bucketName('config-bucket'),
};

declare module '../options.js' {
  interface ControlOptionFlags {
    'config-bucket': true;
  }
}
