import { bucketName } from '../options.js';
import type { ControlOption } from '../options.js';

/**
 * --flow-log-bucket NAME: the S3 bucket EC2.6's fix delivers new flow logs to. Only the user knows which
 * bucket should hold them, so without it the fix is the user's step, with the command to run.
 */
export const flowLogBucket: ControlOption<string | undefined> = {
  key: 'flowLogBucket',
  flag: 'flow-log-bucket',
  placeholder: 'NAME',
  help: [
    'S3 bucket EC2.6’s fix delivers new VPC flow logs to (it must exist and let',
    'delivery.logs.amazonaws.com write); without it the flow logs are your step',
  ],
  kind: 'text',
  default: undefined,
  parse: bucketName('flow-log-bucket'),
};

declare module '../options.js' {
  interface ControlOptionFlags {
    'flow-log-bucket': true;
  }
}
