import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import type { AwsClientFactory } from '../aws/clients.js';
import type { KeyMetadata, KmsKeyRecord, Observation } from '../snapshot/schema.js';
import { compact, isoTime, observe } from './observe.js';

export interface KeyRequest {
  /** As the trail names it. */
  keyId: string;
  /** The trail's home Region, used when the key id carries no Region. */
  fallbackRegion: string;
}

/** A key ARN or alias ARN carries its Region; a bare id or alias lives in the caller's Region. */
export function regionOfKey(keyId: string, fallbackRegion: string): string {
  return keyId.startsWith('arn:') ? (keyId.split(':')[3] ?? fallbackRegion) : fallbackRegion;
}

/**
 * DescribeKey, as both KMS readers record it. `withSpec`: also the key spec, which KMS.4 needs to tell
 * symmetric keys (the trails' keys are judged without it).
 */
export function describeKey(
  factory: AwsClientFactory,
  region: string,
  keyId: string,
  withSpec = false,
): Promise<Observation<KeyMetadata>> {
  return observe('kms', 'DescribeKey', region, async () => {
    const meta = (await factory.kms(region).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    return compact({
      KeyId: meta?.KeyId,
      Arn: meta?.Arn,
      KeyState: meta?.KeyState,
      Enabled: meta?.Enabled,
      KeyManager: meta?.KeyManager,
      Origin: meta?.Origin,
      DeletionDate: isoTime(meta?.DeletionDate),
      KeySpec: withSpec ? (meta?.KeySpec ?? meta?.CustomerMasterKeySpec) : undefined,
    });
  });
}

/** Describes each key trails use and reads its key policy, in the key's own Region. */
export async function readKmsKeys(
  factory: AwsClientFactory,
  requests: KeyRequest[],
): Promise<KmsKeyRecord[]> {
  // All keys at once: the client factory bounds the calls in flight per KMS Region.
  const records = await Promise.all(
    requests.map(async ({ keyId, fallbackRegion }) => {
      const region = regionOfKey(keyId, fallbackRegion);
      const describe = await describeKey(factory, region, keyId);
      const record: KmsKeyRecord = { KeyId: keyId, Region: region, describe };
      const resolved = describe.ok ? (describe.value.Arn ?? describe.value.KeyId) : undefined;
      if (resolved !== undefined) {
        record.policy = await observe('kms', 'GetKeyPolicy', region, async () => {
          const out = await factory
            .kms(region)
            .send(new GetKeyPolicyCommand({ KeyId: resolved, PolicyName: 'default' }));
          return { Policy: out.Policy ?? '' };
        });
      }
      return record;
    }),
  );
  return records.sort((a, b) => a.KeyId.localeCompare(b.KeyId));
}
