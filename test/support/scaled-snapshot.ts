/**
 * An account of N failing trails (the every-fix trail and bucket, N times over four Regions), for tests
 * that pin how planning and reporting grow with the account.
 */
import type { Snapshot } from '../../src/snapshot/schema.js';
import { SnapshotSchema } from '../../src/snapshot/schema.js';
import { everyFixSnapshot } from './plan-snapshots.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];

export function scaledSnapshot(trails: number): Snapshot {
  const base = everyFixSnapshot();
  const [trail] = base.cloudtrail.trails;
  const [bucket] = base.s3.buckets;
  if (!trail || !bucket) throw new Error('the every-fix snapshot has a trail and a bucket');
  const out = structuredClone(base);
  out.scope.regions = [...REGIONS];
  out.scope.regionDiscovery = {
    ...base.scope.regionDiscovery,
    value: { Enabled: [...REGIONS], NotEnabled: [] },
  } as Snapshot['scope']['regionDiscovery'];
  out.cloudtrail.trails = [];
  out.s3.buckets = [];
  for (let i = 0; i < trails; i++) {
    const region = REGIONS[i % REGIONS.length] as string;
    const name = `Audit${String(i).padStart(3, '0')}`;
    const bucketName = `audit-logs-${String(i).padStart(3, '0')}`;
    const t = JSON.parse(
      JSON.stringify(trail)
        .replaceAll('trail/Audit"', `trail/${name}"`)
        .replaceAll('"Audit"', `"${name}"`)
        .replaceAll('audit-logs', bucketName)
        .replaceAll('us-east-1', region),
    ) as typeof trail;
    const b = JSON.parse(
      JSON.stringify(bucket)
        .replaceAll('audit-logs', bucketName)
        .replaceAll('trail/Audit', `trail/${name}`)
        .replaceAll(':us-east-1:', `:${region}:`),
    ) as typeof bucket;
    out.cloudtrail.trails.push(t);
    out.s3.buckets.push(b);
  }
  out.cloudtrail.trails.sort((a, b) => a.config.TrailARN.localeCompare(b.config.TrailARN));
  out.cloudtrail.discovery = REGIONS.map((region) => ({
    region,
    result: {
      ok: true as const,
      value: {
        TrailARNs: out.cloudtrail.trails
          .filter((t) => t.config.IsMultiRegionTrail === true || t.config.HomeRegion === region)
          .map((t) => t.config.TrailARN),
      },
      source: { operation: 'cloudtrail:DescribeTrails', region },
    },
  }));
  out.cloudtrail.eventDataStores = {
    discovery: REGIONS.map((region) => ({
      region,
      result: {
        ok: true as const,
        value: { EventDataStoreArns: [] },
        source: { operation: 'cloudtrail:ListEventDataStores', region },
      },
    })),
    stores: [],
  };
  return SnapshotSchema.parse(out);
}
