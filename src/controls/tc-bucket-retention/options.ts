import { positiveInteger } from '../options.js';
import type { ControlOption } from '../options.js';

/** --retention-days N: how long log files must be kept, in days; 36,500 (a century) bounds a typo. */
export const minimumRetentionDays: ControlOption<number> = {
  key: 'minimumRetentionDays',
  flag: 'retention-days',
  placeholder: 'N',
  help: ['how long log files must be kept (TC.BucketRetention; default 365)'],
  kind: 'number',
  default: 365,
  parse: positiveInteger('retention-days', 36_500),
};

declare module '../options.js' {
  interface ControlOptionFlags {
    'retention-days': true;
  }
}
