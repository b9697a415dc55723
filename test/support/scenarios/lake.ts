/**
 * CloudTrail Lake for scenarios: moto does not implement it (its answer is an HTML 500), so the fault
 * proxy answers ListEventDataStores and GetEventDataStore from this list, in the SDK's JSON protocol.
 */
import { ACCOUNT } from '../aws.js';
import type { FaultRule } from '../fault-proxy.js';

export interface LakeStore {
  region: string;
  name: string;
  kmsKeyId?: string;
}

const JSON_1_1 = 'application/x-amz-json-1.1';

function arnOf(store: LakeStore): string {
  return `arn:aws:cloudtrail:${store.region}:${ACCOUNT}:eventdatastore/${store.name}`;
}

/** Proxy rules that answer for Lake in the given Regions: the stores listed, none elsewhere. */
export function lakeRules(stores: readonly LakeStore[], regions: readonly string[]): FaultRule[] {
  const rules: FaultRule[] = regions.map((region) => ({
    service: 'cloudtrail',
    operation: 'ListEventDataStores',
    region,
    fault: {
      kind: 'status',
      status: 200,
      contentType: JSON_1_1,
      body: JSON.stringify({
        EventDataStores: stores
          .filter((s) => s.region === region)
          .map((s) => ({ EventDataStoreArn: arnOf(s), Name: s.name })),
      }),
    },
  }));
  for (const store of stores) {
    rules.push({
      service: 'cloudtrail',
      operation: 'GetEventDataStore',
      region: store.region,
      fault: {
        kind: 'status',
        status: 200,
        contentType: JSON_1_1,
        body: JSON.stringify({
          EventDataStoreArn: arnOf(store),
          Name: store.name,
          Status: 'ENABLED',
          MultiRegionEnabled: true,
          ...(store.kmsKeyId ? { KmsKeyId: store.kmsKeyId } : {}),
        }),
      },
    });
  }
  return rules;
}
