/**
 * KMS.4's evidence: every key of each scanned Region (ListKeys, paginated), described, and the rotation
 * status of those that can rotate automatically. Two calls per key is what the KMS API allows (it has no
 * batch read); the factory bounds the calls in flight per Region, and a Region's keys past
 * MAX_KEYS_PER_REGION are counted, not read, so a huge account costs bounded time and still says what it
 * did not check.
 */
import { GetKeyRotationStatusCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import type { AwsClientFactory } from '../aws/clients.js';
import type { KeyMetadata, KeyRotation, RotationKeyRecord } from '../snapshot/schema.js';
import { compact, observe } from './observe.js';
import { describeKey } from './kms.js';
import { allPages } from './pages.js';

export const MAX_KEYS_PER_REGION = 2_500;

/**
 * Whether KMS can rotate the key automatically, so KMS.4 judges it: enabled, customer managed, symmetric,
 * with key material KMS made (imported material and custom key stores cannot rotate automatically).
 */
export function rotatable(meta: KeyMetadata): boolean {
  return (
    meta.KeyManager === 'CUSTOMER' &&
    meta.KeySpec === 'SYMMETRIC_DEFAULT' &&
    meta.KeyState === 'Enabled' &&
    (meta.Origin === undefined || meta.Origin === 'AWS_KMS')
  );
}

async function readKey(
  factory: AwsClientFactory,
  region: string,
  KeyArn: string,
): Promise<RotationKeyRecord> {
  const describe = await describeKey(factory, region, KeyArn, true);
  const record: RotationKeyRecord = { KeyArn, Region: region, describe };
  if (describe.ok && rotatable(describe.value)) {
    record.rotation = await observe('kms', 'GetKeyRotationStatus', region, async () => {
      const out = await factory.kms(region).send(new GetKeyRotationStatusCommand({ KeyId: KeyArn }));
      return compact({
        KeyRotationEnabled: out.KeyRotationEnabled === true,
        RotationPeriodInDays: out.RotationPeriodInDays,
      });
    });
  }
  return record;
}

export async function readKeyRotation(
  factory: AwsClientFactory,
  regions: readonly string[],
): Promise<KeyRotation> {
  const perRegion = await Promise.all(
    regions.map(async (region) => {
      let arns: string[] = [];
      const result = await observe('kms', 'ListKeys', region, async () => {
        const keys = await allPages(async (marker) => {
          const out = await factory
            .kms(region)
            .send(new ListKeysCommand({ Limit: 1000, ...(marker ? { Marker: marker } : {}) }));
          return { items: out.Keys ?? [], next: out.Truncated ? out.NextMarker : undefined };
        });
        arns = [...new Set(keys.flatMap((k) => (k.KeyArn ? [k.KeyArn] : [])))].sort();
        return { KeyCount: arns.length, Unread: Math.max(0, arns.length - MAX_KEYS_PER_REGION) };
      });
      const keys = await Promise.all(
        arns.slice(0, MAX_KEYS_PER_REGION).map((arn) => readKey(factory, region, arn)),
      );
      return { listing: { region, result }, keys };
    }),
  );
  return {
    listings: perRegion.map((r) => r.listing).sort((a, b) => a.region.localeCompare(b.region)),
    keys: perRegion.flatMap((r) => r.keys).sort((a, b) => a.KeyArn.localeCompare(b.KeyArn)),
  };
}
