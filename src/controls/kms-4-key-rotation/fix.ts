import { code, rich } from '../../core/rich.js';
import { apiCall } from '../../fixes/builders.js';
import type { FixProposal } from '../types.js';

/** KMS.4's fix: automatic rotation on, in the key's Region (by its id: the key is this account's). */
export function enableKeyRotation(keyId: string, keyArn: string, region: string): FixProposal {
  return {
    summary: rich`Turn on automatic rotation of KMS key ${code(keyArn)} (yearly; old key material stays, so nothing encrypted before becomes unreadable).`,
    calls: [apiCall('kms', 'EnableKeyRotation', region, { KeyId: keyId })],
    console: [
      `Open the KMS console in ${region}, choose Customer managed keys, then the key ${keyId}.`,
      'On the Key rotation tab, select Automatically rotate this KMS key every year, then Save.',
    ],
  };
}
