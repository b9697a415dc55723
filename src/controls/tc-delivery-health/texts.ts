import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Logs actually delivered',
  topic: 'logs that are actually delivered',
  checks:
    'For each trail the account owns, GetTrailStatus shows it logging, with no LatestDeliveryError (S3), no LatestDigestDeliveryError (when log file validation is on) and no LatestCloudWatchLogsDeliveryError (when CloudWatch Logs is set up), and a last log-file delivery (or digest delivery) no older than 24 hours before the scan (--max-delivery-age). One finding per trail.',
  whatItDoes:
    'A trail can be configured perfectly and still deliver nothing: the bucket policy changed, the KMS key was disabled, the bucket was deleted. CloudTrail reports these failures in the trail status.',
  whyItMatters:
    'Every other check assumes the logs arrive. When delivery fails, the audit trail silently stops – exactly what an attacker who changes a bucket policy wants.',
  whyFix: 'Confirms the audit trail is really being written',
  action: 'fix the failing log delivery',
  howToFix:
    'Read the error in the trail status (aws cloudtrail get-trail-status --name <trail-arn>): AccessDenied usually means the bucket policy or the KMS key policy no longer lets CloudTrail write; NoSuchBucket means the bucket is gone; a stopped trail needs aws cloudtrail start-logging. trailcheck’s bucket-policy and KMS-key checks name the exact fix.',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Trail ${code(names[0] as string)} is delivering its logs without errors.`
          : rich`All ${countWord(names.length)} trails (${nameList(names)}) are delivering their logs without errors.`,
      someFail: (failed) =>
        rich`${nameList(failed)} ${failed.length === 1 ? 'is' : 'are'} not delivering logs as it should.`,
      unknown: (names) => rich`Delivery status could not be read for ${nameList(names)}.`,
    }),
};
