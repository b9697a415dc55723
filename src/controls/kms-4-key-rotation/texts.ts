import { code, countWord, nameList, rich } from '../../core/rich.js';
import { perResourceMeaning } from '../shared.js';
import type { ControlTexts } from '../types.js';

export const texts: ControlTexts = {
  name: 'KMS key rotation',
  topic: 'rotation of customer managed KMS keys',
  checks:
    'In each scanned Region, every key ListKeys returns is described (DescribeKey); for each enabled, customer managed, symmetric (SYMMETRIC_DEFAULT) key whose material KMS made, GetKeyRotationStatus must say KeyRotationEnabled. Disabled keys, keys pending deletion, AWS managed keys (AWS rotates them), asymmetric and HMAC keys, and keys with imported material or in a custom key store cannot rotate automatically and are not judged, as Security Hub does. One finding per judged key; a Region whose keys could not be listed is UNKNOWN.',
  whatItDoes:
    'Automatic rotation gives a key new key material every year and keeps the old material, so data encrypted before stays readable.',
  whyItMatters:
    'A key that never rotates encrypts years of data with the same material: if that material leaks, everything it ever protected is exposed.',
  whyFix: 'Limits what one leaked key could expose',
  action: 'turn on rotation of the customer managed KMS keys',
  howToFix:
    'Turn on automatic rotation for each enabled customer managed symmetric key: aws kms enable-key-rotation --region <region> --key-id <key-id> (or in the KMS console, the key’s Key rotation tab). Rotation keeps every earlier key material, so nothing encrypted before becomes unreadable.',
  meaning: (outcome) =>
    perResourceMeaning(outcome, {
      none: rich`No enabled customer managed symmetric KMS key was found, so there is no rotation to check.`,
      allPass: (names) =>
        names.length === 1
          ? rich`KMS key ${code(names[0] as string)} rotates its key material every year.`
          : rich`All ${countWord(names.length)} customer managed KMS keys rotate their key material.`,
      someFail: (failed) =>
        rich`${failed.length === 1 ? 'KMS key' : 'KMS keys'} ${nameList(failed)} never ${failed.length === 1 ? 'rotates its' : 'rotate their'} key material.`,
      unknown: (names) => rich`Key rotation could not be checked for ${nameList(names)}.`,
    }),
};
