import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'Lake stores encrypted with your key',
  topic: 'CloudTrail Lake encryption with your own key',
  checks:
    'Every CloudTrail Lake event data store (ListEventDataStores in each scanned Region, then GetEventDataStore in the store’s Region) is encrypted with a customer managed KMS key (KmsKeyId is set). One finding per event data store; none when the account has no store.',
  whatItDoes:
    'CloudTrail Lake keeps events in an event data store you can query with SQL; a customer managed key encrypts it under a key you control, not one AWS owns.',
  whyItMatters:
    'With your own key you decide who may read the stored events, can audit every use of the key, and can revoke access by disabling it.',
  whyFix: 'Puts access to stored events under a key you control',
  action: 'encrypt the CloudTrail Lake event data stores with your own KMS key',
  howToFix:
    'The key of an event data store can be set but not removed or changed back: aws cloudtrail update-event-data-store --event-data-store <arn> --kms-key-id <key-arn>, with a key policy that lets cloudtrail.amazonaws.com use the key. Stores created from now on: pass --kms-key-id to create-event-data-store.',
  meaning: (outcome) => {
    // A failed listing is an account-level finding: its own message says where and why.
    const listing = outcome.findings.find((f) => f.status === 'UNKNOWN' && f.resource.type === 'AwsAccount');
    if (listing && !outcome.findings.some((f) => f.status === 'FAIL')) return listing.message;
    return perResourceMeaning(outcome, {
      none: rich`The account has no CloudTrail Lake event data store.`,
      allPass: (names) =>
        names.length === 1
          ? rich`Event data store ${code(names[0] as string)} is encrypted with your own KMS key.`
          : rich`All ${countWord(names.length)} event data stores (${nameList(names)}) are encrypted with your own KMS keys.`,
      someFail: (failed) =>
        rich`Event data store ${nameList(failed)} ${failed.length === 1 ? 'is' : 'are'} encrypted with a key AWS owns, not one you control.`,
      unknown: (names) => rich`Event data stores could not be read for ${nameList(names)}.`,
    });
  },
};
