import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Access logs kept in another bucket',
  topic: 'access logs kept apart from the trail logs',
  checks:
    'For each trail bucket with server access logging on (GetBucketLogging), the target bucket is a different bucket. Security Hub CloudTrail.7 passes a bucket that logs into itself; this check does not. One finding per bucket whose access logging is on.',
  whatItDoes:
    'S3 access logs of the trail bucket go to a second bucket, separate from the logs they describe.',
  whyItMatters:
    'Access logs written into the same bucket can be wiped together with the trail logs by the same person, and each access log write creates more access logs in a loop.',
  whyFix: 'Keeps the record of who touched the logs out of reach of whoever touches them',
  action: 'send the log bucket’s access logs to a separate bucket',
  howToFix:
    'Create a separate, private bucket in the same account and Region, allow logging.s3.amazonaws.com to write to it, and set it as the access-log target: aws s3api put-bucket-logging --bucket <trail-bucket> --bucket-logging-status with TargetBucket set to the new bucket.',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`No trail bucket has access logging on, so there is no target to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Access logs of ${code(names[0] as string)} go to a separate bucket.`
          : rich`Access logs of all ${countWord(names.length)} trail buckets (${nameList(names)}) go to separate buckets.`,
      someFail: (failed) =>
        rich`${nameList(failed)} ${failed.length === 1 ? 'writes its' : 'write their'} access logs into ${failed.length === 1 ? 'itself' : 'themselves'}.`,
      unknown: (names) => rich`The access-log target could not be read for ${nameList(names)}.`,
    }),
};
