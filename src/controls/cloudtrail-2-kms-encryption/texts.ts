import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'SSE-KMS encryption',
  topic: 'encryption with your own KMS key',
  checks:
    'Every trail the account owns encrypts its log files with an AWS KMS key (KmsKeyId is set in DescribeTrails). Default S3 encryption (SSE-S3) does not count. One finding per trail, assessed in its home Region.',
  whatItDoes:
    'CloudTrail encrypts each log file with a KMS key you control, so reading the logs needs both S3 access and permission to use that key.',
  whyItMatters:
    'It protects your audit data from being read by anyone who shouldn’t see it, even someone who can read the bucket, and every use of the key is itself logged.',
  whyFix: 'Keeps audit data readable only by people you allow',
  action: 'encrypt the trail logs with a KMS key of yours',
  howToFix:
    "Encrypt each trail's log files with a customer managed KMS key in the Region of the trail's bucket, whose key policy lets cloudtrail.amazonaws.com call kms:GenerateDataKey* for your trails. In the console: Trails, the trail, Edit, Log file SSE-KMS encryption, Enabled. From the CLI: 'aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn>'.",
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`There is no trail in this account to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Trail ${code(names[0] as string)} encrypts its log files with your own KMS key – the audit data is protected at rest.`
          : rich`All ${countWord(names.length)} trails (${nameList(names)}) encrypt their log files with your own KMS keys.`,
      someFail: (failed, passed) =>
        passed.length === 0
          ? rich`${nameList(failed)} ${failed.length === 1 ? 'stores its' : 'store their'} log files without a KMS key of yours, so anyone who can read the bucket can read them.`
          : rich`${nameList(failed)} ${failed.length === 1 ? 'stores its' : 'store their'} log files without a KMS key of yours; ${nameList(passed)} ${passed.length === 1 ? 'uses one' : 'use one'}.`,
      unknown: (names) => rich`Encryption could not be read for ${nameList(names)}.`,
    }),
};
