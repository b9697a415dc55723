import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Bucket policy scoped to your trails',
  topic: 'a bucket policy scoped to your trails',
  checks:
    'The policy of each bucket a trail delivers to lets CloudTrail write that trail’s log files (evaluated as CloudTrail’s request: s3:PutObject under AWSLogs/<account>/ with aws:SourceArn, aws:SourceAccount and the bucket-owner-full-control ACL), and every statement that lets cloudtrail.amazonaws.com write is limited by a fixed aws:SourceArn or aws:SourceAccount. One finding per bucket.',
  whatItDoes:
    'The bucket policy names which trails may write into the bucket; conditions on aws:SourceArn or aws:SourceAccount make that “only my trails”, not “any trail of any AWS account”.',
  whyItMatters:
    'Without the condition, anyone can point a trail of their own at your bucket and fill it with forged or endless log files – the “confused deputy” problem. And a policy that does not let your trail write means no logs at all.',
  whyFix: 'Stops other accounts from writing forged logs into your bucket',
  action: 'limit CloudTrail writes to your own trails in the bucket policy',
  howToFix:
    'Give every bucket-policy statement that allows cloudtrail.amazonaws.com to s3:PutObject (and s3:GetBucketAcl) a condition such as "StringEquals": {"aws:SourceArn": "<trail-arn>"} or {"aws:SourceAccount": "<account-id>"}, then aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json.',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail bucket in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Only your own trails may write into ${code(names[0] as string)}.`
          : rich`Only your own trails may write into the ${countWord(names.length)} log buckets (${nameList(names)}).`,
      someFail: (failed) =>
        rich`The policy of ${nameList(failed)} does not limit CloudTrail writes to your own trails, or does not let them write.`,
      unknown: (names) => rich`The bucket policy could not be assessed for ${nameList(names)}.`,
    }),
};
