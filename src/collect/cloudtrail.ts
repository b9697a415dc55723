import {
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  ListEventDataStoresCommand,
  ListTagsCommand,
} from '@aws-sdk/client-cloudtrail';
import type { Trail } from '@aws-sdk/client-cloudtrail';
import type { AwsClientFactory } from '../aws/clients.js';
import type {
  EventDataStoreRecord,
  EventDataStores,
  EventSelectors,
  InsightSelectors,
  Observation,
  Tags,
  TrailConfig,
  TrailDiscovery,
  TrailRecord,
  TrailStatus,
} from '../snapshot/schema.js';
import { compact, isoTime, observe } from './observe.js';

// Every call below is started at once: the client factory bounds the calls in flight per endpoint
// (service and Region), so Regions and trails are read concurrently and no endpoint is flooded.

/** The Region of an ARN (arn:partition:service:REGION:account:resource). */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}

function toTrailConfig(trail: Trail, seenFrom: string): TrailConfig | undefined {
  if (!trail.TrailARN || !trail.Name) return undefined;
  return compact({
    Name: trail.Name,
    TrailARN: trail.TrailARN,
    HomeRegion: trail.HomeRegion || regionOfArn(trail.TrailARN) || seenFrom,
    // An empty string is how a setting reads once it was removed (UpdateTrail KmsKeyId ""): absent.
    S3BucketName: trail.S3BucketName || undefined,
    S3KeyPrefix: trail.S3KeyPrefix || undefined,
    SnsTopicARN: trail.SnsTopicARN || undefined,
    IncludeGlobalServiceEvents: trail.IncludeGlobalServiceEvents,
    IsMultiRegionTrail: trail.IsMultiRegionTrail,
    IsOrganizationTrail: trail.IsOrganizationTrail,
    LogFileValidationEnabled: trail.LogFileValidationEnabled,
    CloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn || undefined,
    CloudWatchLogsRoleArn: trail.CloudWatchLogsRoleArn || undefined,
    KmsKeyId: trail.KmsKeyId || undefined,
    HasCustomEventSelectors: trail.HasCustomEventSelectors,
    HasInsightSelectors: trail.HasInsightSelectors,
  });
}

export interface TrailDiscoveryResult {
  discovery: TrailDiscovery[];
  trails: TrailRecord[];
}

/**
 * Lists the trails visible from each scanned Region (own trails plus shadow copies of multi-Region and
 * organization trails) and merges them by ARN, so each trail is assessed exactly once. The copy returned
 * by the trail's home Region wins when both are seen.
 */
export async function discoverTrails(
  factory: AwsClientFactory,
  regions: string[],
): Promise<TrailDiscoveryResult> {
  const perRegion = await Promise.all(
    regions.map(async (region) => {
      const result = await observe('cloudtrail', 'DescribeTrails', region, async () => {
        const out = await factory
          .cloudTrail(region)
          .send(new DescribeTrailsCommand({ includeShadowTrails: true }));
        return out.trailList ?? [];
      });
      return { region, result };
    }),
  );

  const discovery: TrailDiscovery[] = [];
  const byArn = new Map<string, TrailRecord>();
  for (const { region, result } of perRegion) {
    if (!result.ok) {
      discovery.push({ region, result });
      continue;
    }
    const arns: string[] = [];
    for (const raw of result.value) {
      const config = toTrailConfig(raw, region);
      if (!config) continue;
      arns.push(config.TrailARN);
      const known = byArn.get(config.TrailARN);
      if (!known) {
        byArn.set(config.TrailARN, { config, configSource: result.source, seenIn: [region] });
        continue;
      }
      known.seenIn.push(region);
      if (region === config.HomeRegion) {
        known.config = config;
        known.configSource = result.source;
      }
    }
    discovery.push({
      region,
      result: { ok: true, value: { TrailARNs: arns.sort() }, source: result.source },
    });
  }
  const trails = [...byArn.values()].sort((a, b) => a.config.TrailARN.localeCompare(b.config.TrailARN));
  for (const trail of trails) trail.seenIn.sort();
  return { discovery, trails };
}

export async function readTrailStatus(
  factory: AwsClientFactory,
  trail: TrailConfig,
): Promise<Observation<TrailStatus>> {
  // By ARN, in the home Region: the only form that works for shadow and organization trails.
  const region = trail.HomeRegion;
  return observe('cloudtrail', 'GetTrailStatus', region, async () => {
    const out = await factory.cloudTrail(region).send(new GetTrailStatusCommand({ Name: trail.TrailARN }));
    return compact({
      IsLogging: out.IsLogging,
      LatestDeliveryError: out.LatestDeliveryError || undefined,
      LatestNotificationError: out.LatestNotificationError || undefined,
      LatestDeliveryTime: isoTime(out.LatestDeliveryTime),
      LatestNotificationTime: isoTime(out.LatestNotificationTime),
      StartLoggingTime: isoTime(out.StartLoggingTime),
      StopLoggingTime: isoTime(out.StopLoggingTime),
      LatestCloudWatchLogsDeliveryError: out.LatestCloudWatchLogsDeliveryError || undefined,
      LatestCloudWatchLogsDeliveryTime: isoTime(out.LatestCloudWatchLogsDeliveryTime),
      LatestDigestDeliveryTime: isoTime(out.LatestDigestDeliveryTime),
      LatestDigestDeliveryError: out.LatestDigestDeliveryError || undefined,
    });
  });
}

export async function readEventSelectors(
  factory: AwsClientFactory,
  trail: TrailConfig,
): Promise<Observation<EventSelectors>> {
  const region = trail.HomeRegion;
  return observe('cloudtrail', 'GetEventSelectors', region, async () => {
    const out = await factory
      .cloudTrail(region)
      .send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN }));
    const selectors: EventSelectors = {};
    if (out.EventSelectors) {
      selectors.EventSelectors = out.EventSelectors.map((s) =>
        compact({
          ReadWriteType: s.ReadWriteType,
          IncludeManagementEvents: s.IncludeManagementEvents,
          DataResources: s.DataResources?.map((d) => compact({ Type: d.Type, Values: d.Values })),
          ExcludeManagementEventSources: s.ExcludeManagementEventSources,
        }),
      );
    }
    if (out.AdvancedEventSelectors) {
      selectors.AdvancedEventSelectors = out.AdvancedEventSelectors.map((s) =>
        compact({
          Name: s.Name,
          FieldSelectors: (s.FieldSelectors ?? []).map((f) =>
            compact({
              Field: f.Field ?? '',
              Equals: f.Equals,
              StartsWith: f.StartsWith,
              EndsWith: f.EndsWith,
              NotEquals: f.NotEquals,
              NotStartsWith: f.NotStartsWith,
              NotEndsWith: f.NotEndsWith,
            }),
          ),
        }),
      );
    }
    return selectors;
  });
}

export async function readInsightSelectors(
  factory: AwsClientFactory,
  trail: TrailConfig,
): Promise<Observation<InsightSelectors>> {
  const region = trail.HomeRegion;
  return observe(
    'cloudtrail',
    'GetInsightSelectors',
    region,
    async () => {
      const out = await factory
        .cloudTrail(region)
        .send(new GetInsightSelectorsCommand({ TrailName: trail.TrailARN }));
      return {
        InsightSelectors: (out.InsightSelectors ?? []).map((i) => compact({ InsightType: i.InsightType })),
      };
    },
    // AWS answers a trail without Insights with this exception: a fact, not a failure.
    { codes: ['InsightNotEnabledException'], value: { InsightSelectors: [] } },
  );
}

/** ListTags takes at most 20 ARNs per call, and only for trails homed in the Region it is called in. */
const TAG_BATCH = 20;

/**
 * Reads the tags of the given trails with as few calls as AWS allows: one per home Region and batch of
 * twenty. A failed call leaves each trail of its batch with that failure as evidence.
 */
export async function readTrailTags(factory: AwsClientFactory, trails: TrailRecord[]): Promise<void> {
  const byRegion = new Map<string, TrailRecord[]>();
  for (const trail of trails) {
    const group = byRegion.get(trail.config.HomeRegion) ?? [];
    group.push(trail);
    byRegion.set(trail.config.HomeRegion, group);
  }
  const batches: Array<{ region: string; trails: TrailRecord[] }> = [];
  for (const [region, group] of byRegion) {
    for (let i = 0; i < group.length; i += TAG_BATCH)
      batches.push({ region, trails: group.slice(i, i + TAG_BATCH) });
  }
  await Promise.all(
    batches.map(async ({ region, trails: batch }) => {
      const result = await observe('cloudtrail', 'ListTags', region, async () => {
        const out = await factory
          .cloudTrail(region)
          .send(new ListTagsCommand({ ResourceIdList: batch.map((t) => t.config.TrailARN) }));
        return out.ResourceTagList ?? [];
      });
      for (const trail of batch) {
        if (!result.ok) {
          trail.tags = result;
          continue;
        }
        const entry = result.value.find((r) => r.ResourceId === trail.config.TrailARN);
        const tags: Tags = {
          TagsList: (entry?.TagsList ?? []).flatMap((t) =>
            t.Key !== undefined ? [compact({ Key: t.Key, Value: t.Value })] : [],
          ),
        };
        trail.tags = { ok: true, value: tags, source: result.source };
      }
    }),
  );
}

/**
 * Lists CloudTrail Lake event data stores in each scanned Region, then reads each store once, in its own
 * Region, by ARN (ListEventDataStores no longer returns the KMS key).
 */
export async function readEventDataStores(
  factory: AwsClientFactory,
  regions: string[],
): Promise<EventDataStores> {
  const discovery = await Promise.all(
    regions.map(async (region) => {
      const result = await observe('cloudtrail', 'ListEventDataStores', region, async () => {
        const arns: string[] = [];
        let token: string | undefined;
        do {
          const out = await factory
            .cloudTrail(region)
            .send(new ListEventDataStoresCommand(token !== undefined ? { NextToken: token } : {}));
          for (const store of out.EventDataStores ?? [])
            if (store.EventDataStoreArn) arns.push(store.EventDataStoreArn);
          token = out.NextToken;
        } while (token);
        return { EventDataStoreArns: arns.sort() };
      });
      return { region, result };
    }),
  );
  const arns = [
    ...new Set(discovery.flatMap((d) => (d.result.ok ? d.result.value.EventDataStoreArns : []))),
  ].sort();
  const stores = await Promise.all(
    arns.map(async (arn): Promise<EventDataStoreRecord> => {
      const region = regionOfArn(arn);
      const details = await observe('cloudtrail', 'GetEventDataStore', region, async () => {
        const out = await factory
          .cloudTrail(region)
          .send(new GetEventDataStoreCommand({ EventDataStore: arn }));
        return compact({
          EventDataStoreArn: out.EventDataStoreArn ?? arn,
          Name: out.Name,
          Status: out.Status,
          KmsKeyId: out.KmsKeyId,
          MultiRegionEnabled: out.MultiRegionEnabled,
          OrganizationEnabled: out.OrganizationEnabled,
          RetentionPeriod: out.RetentionPeriod,
          TerminationProtectionEnabled: out.TerminationProtectionEnabled,
          BillingMode: out.BillingMode,
        });
      });
      return { EventDataStoreArn: arn, Region: region, details };
    }),
  );
  return { discovery, stores };
}

export interface TrailDetailRequest {
  status: (trail: TrailConfig) => boolean;
  eventSelectors: (trail: TrailConfig) => boolean;
  insightSelectors: (trail: TrailConfig) => boolean;
}

/** Reads status and selectors for the trails that need them, concurrently, each in its home Region. */
export async function readTrailDetails(
  factory: AwsClientFactory,
  trails: TrailRecord[],
  want: TrailDetailRequest,
): Promise<void> {
  const jobs: Array<() => Promise<void>> = [];
  for (const trail of trails) {
    if (want.status(trail.config)) {
      jobs.push(async () => {
        trail.status = await readTrailStatus(factory, trail.config);
      });
    }
    if (want.eventSelectors(trail.config)) {
      jobs.push(async () => {
        trail.eventSelectors = await readEventSelectors(factory, trail.config);
      });
    }
    if (want.insightSelectors(trail.config)) {
      jobs.push(async () => {
        trail.insightSelectors = await readInsightSelectors(factory, trail.config);
      });
    }
  }
  await Promise.all(jobs.map((job) => job()));
}
