import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Access logging on the log bucket',
  topic: 'access logging on the log bucket',
  checks:
    'Every S3 bucket that one of the account’s trails delivers to has server access logging enabled (GetBucketLogging returns LoggingEnabled), read in the bucket’s own Region. One finding per bucket. A bucket that logs into itself passes, as it does for Security Hub, but is pointed out.',
  whatItDoes:
    'S3 writes a record of every request made to the bucket that holds your CloudTrail logs – who read, changed or deleted a log file – into a separate bucket.',
  whyItMatters:
    'It keeps log-access records apart from the logs themselves, so nobody can read or wipe your audit trail without leaving a trace somewhere else.',
  whyFix: 'Adds an extra layer of accountability',
  action: 'turn on access logging for the log bucket',
  howToFix:
    "Create a separate, private bucket in the same account and Region to receive access logs, allow the S3 logging service (logging.s3.amazonaws.com) to write to it, then enable server access logging on the trail's bucket with that bucket as the target: in the S3 console, the trail's bucket, Properties, Server access logging, Edit, Enable; or 'aws s3api put-bucket-logging --bucket <trail-bucket> --bucket-logging-status <JSON naming the target bucket>'.",
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail bucket in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Your CloudTrail bucket ${code(names[0] as string)} records who reads or changes the logs it holds.`
          : rich`All ${countWord(names.length)} CloudTrail buckets (${nameList(names)}) record who reads or changes the logs they hold.`,
      someFail: (failed) =>
        failed.length === 1
          ? rich`Your CloudTrail bucket ${code(failed[0] as string)} isn’t set up to write access logs to another (separate) bucket.`
          : rich`Your CloudTrail buckets ${nameList(failed)} aren’t set up to write access logs to another (separate) bucket.`,
      unknown: (names) => rich`Access logging could not be read for ${nameList(names)}.`,
    }),
};
