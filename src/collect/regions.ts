import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { AwsClientFactory } from '../aws/clients.js';
import { explainFailure } from '../aws/errors.js';
import type { Observation } from '../snapshot/schema.js';
import { UsageError } from '../util/errors.js';
import { observe } from './observe.js';

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Which partition a Region belongs to, from its name. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

export interface RegionList {
  Enabled: string[];
  NotEnabled: string[];
}

export interface RegionScope {
  discovery: Observation<RegionList>;
  regions: string[];
  notes: string[];
}

/** Parses a `--region a,b` value: trimmed, de-duplicated, each a plausible Region name. */
export function parseRegionList(value: string): string[] {
  const regions = [
    ...new Set(
      value
        .split(',')
        .map((r) => r.trim().toLowerCase())
        .filter((r) => r !== ''),
    ),
  ];
  if (regions.length === 0)
    throw new UsageError('--region needs at least one Region name, e.g. --region us-east-1.');
  for (const region of regions) {
    if (!REGION_NAME.test(region)) {
      throw new UsageError(`'${region}' is not an AWS Region name (expected something like eu-west-1).`);
    }
  }
  return regions;
}

/** One Region as DescribeRegions lists it. */
export interface ListedRegion {
  RegionName: string;
  OptInStatus?: string;
}

/**
 * Every Region DescribeRegions knows, opted in or not. It needs no identity, so the scan asks it at the
 * same time as STS and narrows it to the account's partition once the identity is known.
 */
export async function listRegions(
  factory: AwsClientFactory,
  controlRegion: string,
): Promise<Observation<ListedRegion[]>> {
  return observe('ec2', 'DescribeRegions', controlRegion, async () => {
    const out = await factory.ec2(controlRegion).send(new DescribeRegionsCommand({ AllRegions: true }));
    return (out.Regions ?? []).flatMap((r) =>
      r.RegionName
        ? [{ RegionName: r.RegionName, ...(r.OptInStatus ? { OptInStatus: r.OptInStatus } : {}) }]
        : [],
    );
  });
}

/** The enabled and not enabled Regions of one partition (DescribeRegions lists the others as not opted in). */
export function regionsOfPartition(
  listing: Observation<ListedRegion[]>,
  partition: string,
): Observation<RegionList> {
  if (!listing.ok) return listing;
  const enabled: string[] = [];
  const notEnabled: string[] = [];
  for (const region of listing.value) {
    const name = region.RegionName;
    if (partitionOfRegion(name) !== partition) continue;
    (region.OptInStatus === 'not-opted-in' ? notEnabled : enabled).push(name);
  }
  return { ...listing, value: { Enabled: enabled.sort(), NotEnabled: notEnabled.sort() } };
}

/** The enabled Regions of the account's partition. */
export async function discoverRegions(
  factory: AwsClientFactory,
  controlRegion: string,
  partition: string,
): Promise<Observation<RegionList>> {
  return regionsOfPartition(await listRegions(factory, controlRegion), partition);
}

/**
 * Decides which Regions to scan. A Region the user names must exist and be enabled: a typo or a Region
 * that is switched off is a usage error, not something to scan silently.
 */
export function chooseRegions(
  discovery: Observation<RegionList>,
  requested: string[] | null,
  controlRegion: string,
  account: string,
): RegionScope {
  const notes: string[] = [];
  if (!discovery.ok) {
    const why = explainFailure(discovery.failure);
    if (requested) {
      notes.push(
        `Could not check which Regions are enabled (${why}); scanned the Regions given with --region as they are.`,
      );
      return { discovery, regions: requested, notes };
    }
    notes.push(
      `Could not list the account's enabled Regions (${why}), so only ${controlRegion} was scanned. Grant ec2:DescribeRegions or name the Regions with --region.`,
    );
    return { discovery, regions: [controlRegion], notes };
  }
  const { Enabled, NotEnabled } = discovery.value;
  if (!requested) return { discovery, regions: [...Enabled], notes };
  for (const region of requested) {
    if (NotEnabled.includes(region)) {
      throw new UsageError(
        `Region ${region} is not enabled for account ${account}; enable it under Account settings or leave it out of --region.`,
      );
    }
    if (!Enabled.includes(region)) {
      throw new UsageError(
        `Region ${region} does not exist in this account's partition; known Regions: ${Enabled.join(', ')}.`,
      );
    }
  }
  return { discovery, regions: [...requested].sort(), notes };
}
