import { AwsClientFactory, resolveControlRegion } from '../aws/clients.js';
import type { AwsAccessOptions } from '../aws/clients.js';
import { assertProfileExists, profileInUse } from '../aws/profiles.js';
import type { EvidenceNeed } from '../snapshot/needs.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../snapshot/schema.js';
import type { EvidenceKind, Snapshot, TrailConfig } from '../snapshot/schema.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { accountOfArn } from '../core/arn.js';
import { discoverTrails, readEventDataStores, readTrailDetails, readTrailTags } from './cloudtrail.js';
import { getCallerIdentity } from './identity.js';
import { chooseRegions, listRegions, regionsOfPartition } from './regions.js';
import { readKmsKeys } from './kms.js';
import { readKeyRotation } from './kms-rotation.js';
import { readConfigService } from './config-service.js';
import { readFlowLogs } from './flow-logs.js';
import { readMonitoring } from './monitoring.js';
import { readAccountPublicAccessBlock, readBuckets } from './s3.js';

export type CollectPhase =
  | 'identity'
  | 'regions'
  | 'trails'
  | 'trail-details'
  | 'buckets'
  | 'keys'
  | 'lake'
  | 'monitoring'
  | 'posture'
  | 'done';

export interface CollectOptions {
  access?: AwsAccessOptions;
  /** Regions to scan; null or undefined means every enabled Region. */
  regions?: string[] | null;
  /** Only the evidence these controls need is gathered. */
  controls: ReadonlyArray<{ needs: readonly EvidenceNeed[] }>;
  onProgress?: (phase: CollectPhase, detail: string) => void;
  /** Injected clock, for reproducible snapshots in tests. */
  now?: () => Date;
}

type TrailPredicate = (trail: TrailConfig, account: string) => boolean;

/** Union of the controls' needs for one kind: undefined if nobody needs it, else which trails. */
function trailScope(needs: readonly EvidenceNeed[], kind: EvidenceKind): TrailPredicate | undefined {
  const relevant = needs.filter((n) => n.kind === kind);
  if (relevant.length === 0) return undefined;
  if (relevant.some((n) => n.trails === undefined)) return () => true;
  return (trail, account) => relevant.some((n) => (n.trails as TrailPredicate)(trail, account));
}

/**
 * Gathers the evidence the chosen controls need, from every scanned Region, into a snapshot. Failed calls
 * are recorded in the snapshot; only a failure to identify the account (or a bad Region list) ends it.
 */
export async function collect(options: CollectOptions): Promise<Snapshot> {
  const now = options.now ?? (() => new Date());
  const progress = options.onProgress ?? (() => undefined);
  const access = options.access ?? {};
  const started = now();
  const clock = performance.now();
  const factory = new AwsClientFactory(access);
  try {
    const profile = profileInUse(access.profile, access.env ?? process.env);
    if (profile !== undefined) await assertProfileExists(profile);
    const controlRegion = await resolveControlRegion(access);
    progress('identity', controlRegion);
    // Round trips, not calls, make a scan slow: every call starts as soon as what it needs is known, and
    // the client factory bounds the calls in flight per endpoint. The Region list needs no identity.
    const listing = listRegions(factory, controlRegion);
    const identity = await getCallerIdentity(factory, controlRegion, profile).catch(
      async (error: unknown) => {
        await listing;
        throw error;
      },
    );
    const account = identity.Account;

    progress('regions', controlRegion);
    const requested = options.regions ?? null;
    const discovery = regionsOfPartition(await listing, identity.Partition);
    const scope = chooseRegions(discovery, requested, controlRegion, account);

    const needs = options.controls.flatMap((c) => c.needs);
    const kinds = new Set<EvidenceKind>(needs.map((n) => n.kind));
    kinds.add('cloudtrail.trails'); // every other piece of evidence hangs off the trail list

    progress('trails', `${scope.regions.length} Regions`);
    const { discovery: trailDiscovery, trails } = await discoverTrails(factory, scope.regions);

    const statusScope = trailScope(needs, 'cloudtrail.status');
    const selectorScope = trailScope(needs, 'cloudtrail.eventSelectors');
    const insightScope = trailScope(needs, 'cloudtrail.insightSelectors');
    const tagScope = trailScope(needs, 'cloudtrail.tags');
    const owned = trails.filter((t) => accountOfArn(t.config.TrailARN) === account);
    progress('trail-details', `${trails.length} trails`);

    // Trail details, buckets, keys, Lake and the account's Block Public Access settings are read at the same
    // time. Lake and Block Public Access need no trail list, but start only now: a Region's time limit runs
    // while any of its calls is in flight, and a slow one there must not use it up while the scan waits for
    // another Region's trail list.
    const s3: Snapshot['s3'] = { buckets: [] };
    const lake = kinds.has('cloudtrail.eventDataStores');
    const bucketKinds = [...kinds].filter((k) => k.startsWith('s3.') && k !== 's3.accountPublicAccessBlock');
    const monitoringKinds = ['logs.metricFilters', 'cloudwatch.alarms', 'sns.subscriptions'] as const;
    // Config, flow logs and key rotation hang off no trail: each is read only when its control was chosen.
    // Started here and awaited after the trail reads, so both run at once (their calls record failures, never throw).
    const posture = Promise.all([
      kinds.has('kms.keyRotation')
        ? (progress('posture', 'KMS keys'), readKeyRotation(factory, scope.regions))
        : undefined,
      kinds.has('config.recorders')
        ? (progress('posture', 'AWS Config'), readConfigService(factory, scope.regions))
        : undefined,
      kinds.has('ec2.flowLogs')
        ? (progress('posture', 'VPC flow logs'), readFlowLogs(factory, scope.regions))
        : undefined,
    ]);
    const [, , buckets, accountBlock, keys, eventDataStores, monitoring] = await Promise.all([
      readTrailDetails(factory, trails, {
        status: (t) => statusScope?.(t, account) ?? false,
        eventSelectors: (t) => selectorScope?.(t, account) ?? false,
        insightSelectors: (t) => insightScope?.(t, account) ?? false,
      }),
      tagScope
        ? readTrailTags(
            factory,
            trails.filter((t) => tagScope(t.config, account)),
          )
        : Promise.resolve(),
      (async () => {
        if (bucketKinds.length === 0) return [];
        // Other accounts' trails (organization trails) are assessed in the account that owns them.
        const requests = new Map<string, string>();
        for (const trail of owned) {
          const bucket = trail.config.S3BucketName;
          if (bucket && !requests.has(bucket)) requests.set(bucket, trail.config.HomeRegion);
        }
        progress('buckets', `${requests.size} buckets`);
        return readBuckets(
          factory,
          [...requests.entries()].map(([name, hintRegion]) => ({ name, hintRegion })),
          kinds,
          account,
        );
      })(),
      kinds.has('s3.accountPublicAccessBlock')
        ? readAccountPublicAccessBlock(factory, account, controlRegion)
        : Promise.resolve(undefined),
      (async () => {
        if (!kinds.has('kms.keys')) return undefined;
        const requests = new Map<string, string>();
        for (const trail of owned) {
          const key = trail.config.KmsKeyId;
          if (key && !requests.has(key)) requests.set(key, trail.config.HomeRegion);
        }
        progress('keys', `${requests.size} KMS keys`);
        return readKmsKeys(
          factory,
          [...requests.entries()].map(([keyId, fallbackRegion]) => ({ keyId, fallbackRegion })),
        );
      })(),
      lake
        ? (progress('lake', `${scope.regions.length} Regions`), readEventDataStores(factory, scope.regions))
        : Promise.resolve(undefined),
      monitoringKinds.some((k) => kinds.has(k))
        ? (progress('monitoring', ''), readMonitoring(factory, trails, account, kinds))
        : Promise.resolve(undefined),
    ]);
    const [keyRotation, configService, flowLogs] = await posture;
    s3.buckets = buckets;
    if (accountBlock) s3.accountPublicAccessBlock = accountBlock;

    const finished = now();
    progress('done', `${factory.callLog.totalCalls()} API calls`);
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      account: identity,
      scope: {
        controlRegion,
        requestedRegions: requested,
        regionDiscovery: discovery,
        regions: scope.regions,
      },
      collected: [...kinds].sort(),
      cloudtrail: { discovery: trailDiscovery, trails, ...(eventDataStores ? { eventDataStores } : {}) },
      s3,
      ...(keys ? { kms: { keys } } : {}),
      ...(monitoring ? { monitoring } : {}),
      ...(keyRotation ? { keyRotation } : {}),
      ...(configService ? { config: configService } : {}),
      ...(flowLogs ? { flowLogs } : {}),
      notes: scope.notes,
      stats: { durationMs: Math.round(performance.now() - clock), apiCalls: factory.callLog.entries() },
    };
  } finally {
    factory.destroy();
  }
}
