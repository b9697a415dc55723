import { missingFact } from './evidence.js';
import type { MissingFact } from './evidence.js';
import type { SnapshotView } from './view.js';
import type { TrailRecord } from '../snapshot/schema.js';

export interface CoveringTrail {
  trail: TrailRecord;
  /** Multi-Region trails cover every Region; a single-Region trail covers its home Region only. */
  via: 'multi-region' | 'home-region';
  /** true or false when known; why not, when GetTrailStatus could not be read. */
  logging: boolean | MissingFact;
}

export interface RegionCoverage {
  region: string;
  /** Whether this Region's trail listing succeeded (a single-Region trail homed here is visible only then). */
  listed: boolean;
  trails: CoveringTrail[];
}

/**
 * Whether a trail is logging: true or false as GetTrailStatus said, or why that is unknown (the call
 * failed, was never made, or answered without IsLogging).
 */
export function loggingOf(trail: TrailRecord): boolean | MissingFact {
  const missing = missingFact(trail.status, 'cloudtrail:GetTrailStatus');
  if (missing) return missing;
  const isLogging = trail.status?.ok ? trail.status.value.IsLogging : undefined;
  if (isLogging === undefined)
    return { reason: `GetTrailStatus did not say whether trail ${trail.config.Name} is logging` };
  return isLogging;
}

/** For every scanned Region: the trails that cover it (own, multi-Region, organization) and whether they log. */
export function regionCoverage(view: SnapshotView): RegionCoverage[] {
  const listedRegions = new Set(view.discoveredRegions);
  return view.snapshot.scope.regions.map((region) => ({
    region,
    listed: listedRegions.has(region),
    trails: view.trails
      .filter((t) => t.config.IsMultiRegionTrail === true || t.config.HomeRegion === region)
      .map((trail) => ({
        trail,
        via: trail.config.IsMultiRegionTrail === true ? ('multi-region' as const) : ('home-region' as const),
        logging: loggingOf(trail),
      })),
  }));
}
