import { UsageError } from '../../util/errors.js';
import type { ControlOption } from '../options.js';

/** --required-tags Owner,CostCenter: the tag keys every trail must carry; none given: any tag will do. */
export const requiredTagKeys: ControlOption<readonly string[]> = {
  key: 'requiredTagKeys',
  flag: 'required-tags',
  placeholder: 'K,K',
  help: ['tag keys every trail must carry (CloudTrail.9; default: any tag)'],
  kind: 'list',
  default: [],
  parse(value) {
    const keys = value
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== '');
    if (keys.length === 0)
      throw new UsageError(
        '--required-tags needs at least one tag key, e.g. --required-tags Owner,CostCenter.',
      );
    const bad = keys.find((k) => k.length > 128);
    if (bad !== undefined)
      throw new UsageError(
        `--required-tags: a tag key has at most 128 characters ('${bad.slice(0, 20)}…' is longer).`,
      );
    return keys;
  },
};

declare module '../options.js' {
  interface ControlOptionFlags {
    'required-tags': true;
  }
}
