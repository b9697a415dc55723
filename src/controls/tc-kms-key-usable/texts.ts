import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Encryption key usable by CloudTrail',
  topic: 'encryption keys CloudTrail can use',
  checks:
    'For each trail the account owns that encrypts with KMS: the key exists (DescribeKey), is enabled, is customer managed, lives in the Region of the trail’s bucket, and its key policy (GetKeyPolicy) lets cloudtrail.amazonaws.com call kms:GenerateDataKey for this trail (evaluated with aws:SourceArn, aws:SourceAccount and the kms:EncryptionContext:aws:cloudtrail:arn of the trail). One finding per encrypted trail.',
  whatItDoes:
    'CloudTrail asks KMS for a data key to encrypt every log file; the key policy decides whether it may.',
  whyItMatters:
    'Security Hub passes any trail with a key ID, even if the key is disabled, deleted or does not let CloudTrail use it – and then no log file is written at all.',
  whyFix: 'Makes sure encryption does not silently stop the audit trail',
  action: 'fix the KMS keys the trails encrypt with',
  howToFix:
    'Use an enabled, customer managed, symmetric KMS key in the Region of the trail’s bucket, whose key policy allows cloudtrail.amazonaws.com kms:GenerateDataKey* with a condition on kms:EncryptionContext:aws:cloudtrail:arn (arn:aws:cloudtrail:*:<account>:trail/*) and aws:SourceArn; re-enable a disabled key with aws kms enable-key, cancel a pending deletion with aws kms cancel-key-deletion.',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`No trail encrypts its logs with a KMS key, so there is no key to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`The key of trail ${code(names[0] as string)} is enabled and lets CloudTrail encrypt its logs.`
          : rich`The keys of all ${countWord(names.length)} encrypted trails (${nameList(names)}) are usable by CloudTrail.`,
      someFail: (failed) =>
        rich`CloudTrail cannot use the KMS key of ${nameList(failed)}, so ${failed.length === 1 ? 'that trail delivers' : 'those trails deliver'} nothing.`,
      unknown: (names) => rich`The KMS key could not be checked for ${nameList(names)}.`,
    }),
};
