import { AwsClientFactory, resolveControlRegion } from '../aws/clients.js';
import type { AwsAccessOptions } from '../aws/clients.js';
import { assertProfileExists } from '../aws/profiles.js';
import type { ControlDefinition, EvidenceNeed } from '../controls/types.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../snapshot/schema.js';
import type { EvidenceKind, Snapshot, TrailConfig } from '../snapshot/schema.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { accountOfArn, discoverTrails, readTrailDetails } from './cloudtrail.js';
import { getCallerIdentity } from './identity.js';
import { chooseRegions, discoverRegions } from './regions.js';
import { readBuckets } from './s3.js';

export type CollectPhase = 'identity' | 'regions' | 'trails' | 'trail-details' | 'buckets' | 'done';

export interface CollectOptions {
  access?: AwsAccessOptions;
  /** Regions to scan; null or undefined means every enabled Region. */
  regions?: string[] | null;
  /** Only the evidence these controls need is gathered. */
  controls: readonly ControlDefinition[];
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
    if (access.profile !== undefined) await assertProfileExists(access.profile);
    const controlRegion = await resolveControlRegion(access);
    progress('identity', controlRegion);
    const identity = await getCallerIdentity(factory, controlRegion, access.profile);
    const account = identity.Account;

    progress('regions', controlRegion);
    const requested = options.regions ?? null;
    const discovery = await discoverRegions(factory, controlRegion, identity.Partition);
    const scope = chooseRegions(discovery, requested, controlRegion, account);

    const needs = options.controls.flatMap((c) => c.needs);
    const kinds = new Set<EvidenceKind>(needs.map((n) => n.kind));
    kinds.add('cloudtrail.trails'); // every other piece of evidence hangs off the trail list

    progress('trails', `${scope.regions.length} Regions`);
    const { discovery: trailDiscovery, trails } = await discoverTrails(factory, scope.regions);

    const statusScope = trailScope(needs, 'cloudtrail.status');
    const selectorScope = trailScope(needs, 'cloudtrail.eventSelectors');
    progress('trail-details', `${trails.length} trails`);
    await readTrailDetails(factory, trails, {
      status: (t) => statusScope?.(t, account) ?? false,
      eventSelectors: (t) => selectorScope?.(t, account) ?? false,
    });

    let buckets: Snapshot['s3']['buckets'] = [];
    if (kinds.has('s3.bucketLogging')) {
      const requests = new Map<string, string>();
      for (const trail of trails) {
        const bucket = trail.config.S3BucketName;
        // Other accounts' trails (organization trails) are assessed in the account that owns them.
        if (bucket && accountOfArn(trail.config.TrailARN) === account && !requests.has(bucket)) {
          requests.set(bucket, trail.config.HomeRegion);
        }
      }
      progress('buckets', `${requests.size} buckets`);
      buckets = await readBuckets(
        factory,
        [...requests.entries()].map(([name, hintRegion]) => ({ name, hintRegion })),
        true,
      );
    }

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
      cloudtrail: { discovery: trailDiscovery, trails },
      s3: { buckets },
      notes: scope.notes,
      stats: { durationMs: Math.round(performance.now() - clock), apiCalls: factory.callLog.entries() },
    };
  } finally {
    factory.destroy();
  }
}
