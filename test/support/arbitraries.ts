/**
 * fast-check generators of snapshots: valid ones with every kind of evidence (facts, failures, absences,
 * odd values AWS never sends), and the operations that take evidence away or corrupt it. Everything
 * generated is checked against the real schema, so a property never rests on an impossible snapshot.
 */
import fc from 'fast-check';
import { FAILURE_KINDS } from '../../src/aws/errors.js';
import type { CallFailure } from '../../src/aws/errors.js';
import { iamActionFor } from '../../src/aws/permissions.js';
import { EVIDENCE_KINDS, SnapshotSchema } from '../../src/snapshot/schema.js';
import type {
  AdvancedEventSelector,
  BasicEventSelector,
  BucketRecord,
  EventSelectors,
  Observation,
  Snapshot,
  TrailRecord,
  TrailStatus,
} from '../../src/snapshot/schema.js';
import { ACCOUNT_ID } from './snapshot-builder.js';

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'] as const;
const OTHER_ACCOUNT = '999999999999';
const BUCKETS = ['logs-a', 'logs-b', 'shared-logs'];

/** Strings that try to break reports: pipes, newlines, markup, ANSI escapes, bidi overrides, length. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    'a|b',
    'line\nINJECTED-LINE',
    '<img src=x onerror=alert(1)>',
    '\u001b[31mred\u001b[0m',
    '\u202eevil',
    '`code` **bold** [link](http://x)',
    '=HYPERLINK("http://evil")',
    '',
    ' ',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constant('x'.repeat(1000)),
);

function failure(operation: string, region: string): fc.Arbitrary<CallFailure> {
  const [service = '', op = ''] = operation.split(':');
  return fc
    .record({
      kind: fc.constantFrom(...FAILURE_KINDS),
      code: fc.constantFrom('AccessDenied', 'Throttling', 'X'),
    })
    .map(({ kind, code }) => {
      const f: CallFailure = { operation, region, kind, code, message: `${code} (fuzz)` };
      const permission = iamActionFor(service, op);
      if (permission) f.permission = permission;
      return f;
    });
}

/** An observation of `value`: a fact, a failure, or (when allowed) absent. */
function observed<T>(
  value: fc.Arbitrary<T>,
  operation: string,
  region: string,
): fc.Arbitrary<Observation<T> | undefined> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: value.map((v): Observation<T> => ({ ok: true, value: v, source: { operation, region } })),
    },
    {
      weight: 1,
      arbitrary: failure(operation, region).map((f): Observation<T> => ({ ok: false, failure: f })),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const maybeBool = fc.option(fc.boolean(), { nil: undefined });

const basicSelector: fc.Arbitrary<BasicEventSelector> = fc
  .record(
    {
      ReadWriteType: fc.option(fc.constantFrom('All', 'ReadOnly', 'WriteOnly', 'all', 'Bogus'), {
        nil: undefined,
      }),
      IncludeManagementEvents: maybeBool,
      ExcludeManagementEventSources: fc.option(
        fc.array(fc.constantFrom('kms.amazonaws.com', ''), { maxLength: 2 }),
        {
          nil: undefined,
        },
      ),
    },
    { requiredKeys: [] },
  )
  .map((s) => JSON.parse(JSON.stringify(s)) as BasicEventSelector);

const fieldSelector = fc.record({
  Field: fc.constantFrom('eventCategory', 'readOnly', 'eventSource', 'eventName', 'resources.type', 'bogus'),
  Equals: fc.option(
    fc.array(fc.constantFrom('Management', 'Data', 'true', 'false', 'kms.amazonaws.com'), { maxLength: 2 }),
    {
      nil: undefined,
    },
  ),
  NotEquals: fc.option(fc.array(fc.constantFrom('kms.amazonaws.com', 'Management'), { maxLength: 1 }), {
    nil: undefined,
  }),
  StartsWith: fc.option(fc.array(fc.constantFrom('', 'kms', 'arn:'), { maxLength: 1 }), { nil: undefined }),
});

const advancedSelector: fc.Arbitrary<AdvancedEventSelector> = fc
  .record({
    Name: fc.option(hostileString, { nil: undefined }),
    FieldSelectors: fc.array(fieldSelector, { maxLength: 3 }),
  })
  .map((s) => JSON.parse(JSON.stringify(s)) as AdvancedEventSelector);

const eventSelectors: fc.Arbitrary<EventSelectors> = fc.oneof(
  fc.constant<EventSelectors>({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }),
  fc.array(basicSelector, { maxLength: 3 }).map((EventSelectors) => ({ EventSelectors })),
  fc.array(advancedSelector, { maxLength: 3 }).map((AdvancedEventSelectors) => ({ AdvancedEventSelectors })),
  fc.constant<EventSelectors>({}),
);

const trailStatus: fc.Arbitrary<TrailStatus> = fc
  .record(
    { IsLogging: maybeBool, LatestDeliveryError: fc.option(hostileString, { nil: undefined }) },
    { requiredKeys: [] },
  )
  .map((s) => JSON.parse(JSON.stringify(s)) as TrailStatus);

interface TrailDraft {
  name: string;
  owner: string;
  home: string;
  multiRegion: boolean | undefined;
  validation: boolean | undefined;
  kms: string | undefined;
  bucket: string | undefined;
}

const trailDraft: fc.Arbitrary<TrailDraft> = fc.record({
  name: fc.oneof(
    fc.constantFrom('Main', 'Audit', 'Org'),
    hostileString.filter((s) => s.length > 0 && s.length < 200),
  ),
  owner: fc.constantFrom(ACCOUNT_ID, ACCOUNT_ID, OTHER_ACCOUNT),
  home: fc.constantFrom(...REGIONS),
  multiRegion: maybeBool,
  validation: maybeBool,
  kms: fc.option(fc.oneof(fc.constant('arn:aws:kms:us-east-1:123456789012:key/k'), hostileString), {
    nil: undefined,
  }),
  bucket: fc.option(fc.constantFrom(...BUCKETS), { nil: undefined }),
});

function trailRecord(draft: TrailDraft, index: number): fc.Arbitrary<TrailRecord> {
  // The index keeps ARNs unique whatever names were drawn.
  const arn = `arn:aws:cloudtrail:${draft.home}:${draft.owner}:trail/t${index}-${encodeURIComponent(draft.name).slice(0, 100)}`;
  return fc
    .record({
      status: observed(trailStatus, 'cloudtrail:GetTrailStatus', draft.home),
      eventSelectors: observed(eventSelectors, 'cloudtrail:GetEventSelectors', draft.home),
      seenIn: fc.subarray([...REGIONS], { minLength: 1 }),
    })
    .map(({ status, eventSelectors: selectors, seenIn }) => {
      const config = JSON.parse(
        JSON.stringify({
          Name: draft.name,
          TrailARN: arn,
          HomeRegion: draft.home,
          S3BucketName: draft.bucket,
          IsMultiRegionTrail: draft.multiRegion,
          LogFileValidationEnabled: draft.validation,
          KmsKeyId: draft.kms,
        }),
      ) as TrailRecord['config'];
      const record: TrailRecord = {
        config,
        configSource: {
          operation: 'cloudtrail:DescribeTrails',
          region: (seenIn as string[]).includes(draft.home) ? draft.home : seenIn[0]!,
        },
        seenIn: [...seenIn].sort(),
      };
      if (status) record.status = status;
      if (selectors) record.eventSelectors = selectors;
      return record;
    });
}

function bucketRecord(name: string): fc.Arbitrary<BucketRecord> {
  return fc.constantFrom(...REGIONS).chain((region) =>
    fc
      .record({
        location: observed(fc.constant({ Region: region }), 's3:GetBucketLocation', 'us-east-1'),
        logging: observed(
          fc.oneof(
            fc.constant({}),
            fc
              .record({
                TargetBucket: fc.constantFrom(`${name}-access`, name),
                TargetPrefix: fc.constant('p/'),
              })
              .map((l) => ({
                LoggingEnabled: l,
              })),
            fc.constant({ LoggingEnabled: {} }),
          ),
          's3:GetBucketLogging',
          region,
        ),
      })
      .map(({ location, logging }) => {
        const record: BucketRecord = { Name: name };
        if (location) record.location = location;
        if (logging) record.logging = logging;
        return record;
      }),
  );
}

/** One value from each arbitrary, as an array. */
function allOf<T>(arbitraries: Array<fc.Arbitrary<T>>): fc.Arbitrary<T[]> {
  if (arbitraries.length === 0) return fc.constant<T[]>([]);
  return fc.tuple(...arbitraries).map((values) => [...values]);
}

/** Valid snapshots, evidence of every kind. */
export const snapshotArbitrary: fc.Arbitrary<Snapshot> = fc
  .record({
    regions: fc.subarray([...REGIONS], { minLength: 1 }),
    drafts: fc.array(trailDraft, { maxLength: 4 }),
    requested: fc.boolean(),
    discoveryOk: fc.boolean(),
    collected: fc.oneof(
      { weight: 4, arbitrary: fc.constant([...EVIDENCE_KINDS]) },
      { weight: 1, arbitrary: fc.subarray([...EVIDENCE_KINDS]) },
    ),
    failedListings: fc.subarray([...REGIONS]),
  })
  .chain(({ regions, drafts, requested, discoveryOk, collected, failedListings }) =>
    fc
      .record({
        trails: allOf(drafts.map((d, i) => trailRecord(d, i))),
        buckets: fc.subarray(BUCKETS).chain((names) => allOf(names.map((n) => bucketRecord(n)))),
        listingFailure: failure('cloudtrail:DescribeTrails', 'us-east-1'),
        regionFailure: failure('ec2:DescribeRegions', 'us-east-1'),
      })
      .map(({ trails, buckets, listingFailure, regionFailure }) => {
        const snapshot: Snapshot = {
          format: 'trailcheck-snapshot',
          version: 1,
          tool: { name: 'trailcheck', version: 'fuzz' },
          startedAt: '2026-11-24T10:00:00.000Z',
          finishedAt: '2026-11-24T10:00:01.000Z',
          account: { Account: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:user/fuzz`, Partition: 'aws' },
          scope: {
            controlRegion: 'us-east-1',
            requestedRegions: requested ? regions : null,
            regionDiscovery: discoveryOk
              ? {
                  ok: true,
                  value: { Enabled: [...REGIONS], NotEnabled: [] },
                  source: { operation: 'ec2:DescribeRegions', region: 'us-east-1' },
                }
              : { ok: false, failure: regionFailure },
            regions,
          },
          collected: [...collected].sort(),
          cloudtrail: {
            discovery: regions.map((region) =>
              failedListings.includes(region)
                ? { region, result: { ok: false as const, failure: { ...listingFailure, region } } }
                : {
                    region,
                    result: {
                      ok: true as const,
                      value: {
                        TrailARNs: trails
                          .filter((t) => t.seenIn.includes(region))
                          .map((t) => t.config.TrailARN),
                      },
                      source: { operation: 'cloudtrail:DescribeTrails', region },
                    },
                  },
            ),
            trails: [...trails].sort((a, b) => a.config.TrailARN.localeCompare(b.config.TrailARN)),
          },
          s3: { buckets: [...buckets].sort((a, b) => a.Name.localeCompare(b.Name)) },
          notes: [],
          stats: { durationMs: 1, apiCalls: [] },
        };
        return SnapshotSchema.parse(snapshot);
      }),
  );

/** Every observation slot of a snapshot, as a path to it, with its source when it succeeded. */
export interface Slot {
  describe: string;
  get: (s: Snapshot) => Observation<unknown> | undefined;
  set: (s: Snapshot, value: Observation<unknown> | undefined) => void;
}

function isObservation(value: unknown): value is Observation<unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    (record.ok === true && 'source' in record && 'value' in record) ||
    (record.ok === false && 'failure' in record)
  );
}

/**
 * Every observation anywhere in a snapshot (found by its shape, so evidence kinds added later are
 * included), as a path: get it, replace it, or remove it (undefined).
 */
export function observationSlots(snapshot: Snapshot): Slot[] {
  const slots: Slot[] = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    if (isObservation(node)) {
      const at = [...path];
      const parentOf = (s: Snapshot) => {
        let parent: unknown = s;
        for (const key of at.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
        return parent as Record<string | number, unknown>;
      };
      const last = at[at.length - 1]!;
      slots.push({
        describe: at.join('.'),
        get: (s) => parentOf(s)[last] as Observation<unknown> | undefined,
        set: (s, value) => {
          const parent = parentOf(s);
          if (value === undefined) delete parent[last];
          else parent[last] = value;
        },
      });
      return;
    }
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) walk(value, [...path, key]);
    }
  };
  walk(snapshot, []);
  return slots;
}

/**
 * DescribeTrails in `region` failed: the listing is a failure, and trails seen only there are gone (the
 * others keep the settings another Region's listing gave).
 */
export function failListing(snapshot: Snapshot, region: string, failureOf: CallFailure): void {
  const entry = snapshot.cloudtrail.discovery.find((d) => d.region === region);
  if (!entry) return;
  entry.result = { ok: false, failure: { ...failureOf, region } };
  snapshot.cloudtrail.trails = snapshot.cloudtrail.trails.flatMap((trail) => {
    const seenIn = trail.seenIn.filter((r) => r !== region);
    if (seenIn.length === 0) return [];
    const configSource =
      trail.configSource.region === region
        ? { ...trail.configSource, region: seenIn[0]! }
        : trail.configSource;
    return [{ ...trail, seenIn, configSource }];
  });
}

/** The successful (operation, region) sources a snapshot holds: the only facts a finding may cite. */
export function factSources(snapshot: Snapshot): Set<string> {
  const sources = new Set<string>();
  const add = (o: Observation<unknown> | undefined) => {
    if (o?.ok) sources.add(`${o.source.operation} ${o.source.region}`);
  };
  add(snapshot.scope.regionDiscovery);
  for (const d of snapshot.cloudtrail.discovery) add(d.result);
  for (const t of snapshot.cloudtrail.trails) {
    sources.add(`${t.configSource.operation} ${t.configSource.region}`);
    add(t.status);
    add(t.eventSelectors);
  }
  for (const b of snapshot.s3.buckets) {
    add(b.location);
    add(b.logging);
  }
  return sources;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
