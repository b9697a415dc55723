import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Log bucket keeps the logs',
  topic: 'log files kept safe from deletion',
  checks:
    'Each bucket a trail delivers to protects its log files against deletion and overwrite – versioning enabled (GetBucketVersioning) or Object Lock enabled (GetObjectLockConfiguration) – and no enabled lifecycle rule that applies to the trail’s AWSLogs/ prefix deletes log files, or their deleted versions, before the minimum retention (365 days by default, --retention-days); an Object Lock default retention at least that long keeps deleted versions however soon a rule expires them. MFA delete is reported when S3 shows it. One finding per bucket.',
  whatItDoes:
    'Versioning keeps every deleted or overwritten log file recoverable; Object Lock makes log files impossible to delete until their retention ends; lifecycle rules decide when old logs go.',
  whyItMatters:
    'Attackers delete logs to hide what they did, and a careless lifecycle rule can do the same. Auditors usually expect a year of audit logs (PCI DSS asks for at least twelve months).',
  whyFix: 'Keeps the evidence even if someone deletes it',
  action: 'protect the log files from deletion for the retention period',
  howToFix:
    'Enable versioning on the log bucket (aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled) or, for new buckets, Object Lock; and make sure no lifecycle rule expires objects under AWSLogs/ (or their noncurrent versions) before your retention period.',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail bucket in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Log files in ${code(names[0] as string)} are protected from deletion and kept long enough.`
          : rich`Log files in all ${countWord(names.length)} buckets (${nameList(names)}) are protected and kept long enough.`,
      someFail: (failed) => rich`Log files in ${nameList(failed)} can be deleted or expire too early.`,
      unknown: (names) => rich`Log retention could not be read for ${nameList(names)}.`,
    }),
};
