/** The accounts the benchmark seeds: how many Regions, and how many trails each Region sees. */

export interface BenchSize {
  /** Short name, used on the command line (`--sizes S,M`). */
  name: string;
  /** How many Regions hold trails and are scanned; `all` is every enabled Region moto lists. */
  regions: number | 'all';
  /**
   * Trails each Region sees, counting the one multi-Region trail (as AWS's quota of five trails per Region
   * does): the multi-Region trail plus `trailsPerRegion - 1` trails homed in each Region.
   */
  trailsPerRegion: number;
}

export const SIZES: readonly BenchSize[] = [
  { name: 'S', regions: 2, trailsPerRegion: 2 },
  { name: 'M', regions: 8, trailsPerRegion: 3 },
  { name: 'L', regions: 'all', trailsPerRegion: 5 },
];

/** The Regions first chosen, so that a small account still spans two continents. */
const FIRST_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1'];

/** The Regions of a size, from the enabled Regions the emulator lists: us-east-1 first, then a fixed order. */
export function regionsOf(size: BenchSize, enabled: readonly string[]): string[] {
  const ordered = [
    ...FIRST_REGIONS.filter((r) => enabled.includes(r)),
    ...[...enabled].filter((r) => !FIRST_REGIONS.includes(r)).sort(),
  ];
  if (size.regions === 'all') return ordered;
  if (size.regions > ordered.length)
    throw new Error(`size ${size.name} needs ${size.regions} Regions; the emulator lists ${ordered.length}`);
  return ordered.slice(0, size.regions);
}

export function trailCount(size: BenchSize, regionCount: number): number {
  return 1 + regionCount * (size.trailsPerRegion - 1);
}

export function describeSize(size: BenchSize, regionCount: number): string {
  return `${size.name}: ${regionCount} Regions × ${size.trailsPerRegion} trails (${trailCount(size, regionCount)} trails)`;
}

/** Parses `--sizes S,M` against the known sizes. */
export function parseSizes(value: string | undefined): BenchSize[] {
  if (value === undefined || value === '') return [...SIZES];
  return value.split(',').map((name) => {
    const size = SIZES.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
    if (!size) throw new Error(`unknown size '${name}'; known sizes: ${SIZES.map((s) => s.name).join(', ')}`);
    return size;
  });
}
