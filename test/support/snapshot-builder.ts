/**
 * Hand-built snapshots for unit tests of controls and renderers. Every snapshot built here is validated
 * against the real schema, so a test cannot pass on evidence trailcheck could never have collected.
 */
import type { CallFailure } from '../../src/aws/errors.js';
import { iamActionFor } from '../../src/aws/permissions.js';
import { SnapshotSchema } from '../../src/snapshot/schema.js';
import { EVIDENCE_KINDS } from '../../src/snapshot/schema.js';
import type {
  BucketRecord,
  EventDataStores,
  EventSelectors,
  EvidenceKind,
  InsightSelectors,
  KmsKeyRecord,
  Monitoring,
  Observation,
  PublicAccessBlock,
  Snapshot,
  Tags,
  TrailConfig,
  TrailRecord,
  TrailStatus,
} from '../../src/snapshot/schema.js';

export const ACCOUNT_ID = '123456789012';
export const ALL_KINDS: EvidenceKind[] = [...EVIDENCE_KINDS];

export function ok<T>(value: T, operation: string, region = 'us-east-1'): Observation<T> {
  return { ok: true, value, source: { operation, region } };
}

export function failed<T>(
  operation: string,
  kind: CallFailure['kind'],
  code: string,
  region = 'us-east-1',
): Observation<T> {
  const [service = '', op = ''] = operation.split(':');
  const failure: CallFailure = { operation, region, kind, code, message: `${code} (test)` };
  const permission = iamActionFor(service, op);
  if (permission) failure.permission = permission;
  return { ok: false, failure };
}

export function denied<T>(operation: string, region = 'us-east-1'): Observation<T> {
  return failed<T>(operation, 'access-denied', 'AccessDenied', region);
}

export interface TrailInput extends Partial<TrailConfig> {
  Name: string;
  /** Account owning the trail (default: the scanned account). */
  owner?: string;
  status?: Observation<TrailStatus> | null;
  selectors?: Observation<EventSelectors> | null;
  /** Default: not read (absent). */
  insights?: Observation<InsightSelectors>;
  /** Default: not read (absent). */
  tags?: Observation<Tags>;
  seenIn?: string[];
}

export const ALL_MANAGEMENT: EventSelectors = {
  EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
};

/** A trail record; by default multi-Region, logging, all management events, in us-east-1. */
export function trail(input: TrailInput): TrailRecord {
  const { owner = ACCOUNT_ID, status, selectors, insights, tags, seenIn, ...fields } = input;
  const region = fields.HomeRegion ?? 'us-east-1';
  const config: TrailConfig = {
    TrailARN: `arn:aws:cloudtrail:${region}:${owner}:trail/${input.Name}`,
    HomeRegion: region,
    S3BucketName: `${input.Name.toLowerCase()}-bucket`,
    IsMultiRegionTrail: true,
    IsOrganizationTrail: false,
    IncludeGlobalServiceEvents: true,
    LogFileValidationEnabled: true,
    ...fields,
  };
  const record: TrailRecord = {
    config,
    configSource: { operation: 'cloudtrail:DescribeTrails', region },
    seenIn: seenIn ?? [region],
  };
  const statusObservation =
    status === undefined ? ok<TrailStatus>({ IsLogging: true }, 'cloudtrail:GetTrailStatus', region) : status;
  if (statusObservation !== null) record.status = statusObservation;
  const selectorObservation =
    selectors === undefined ? ok(ALL_MANAGEMENT, 'cloudtrail:GetEventSelectors', region) : selectors;
  if (selectorObservation !== null) record.eventSelectors = selectorObservation;
  if (insights) record.insightSelectors = insights;
  if (tags) record.tags = tags;
  return record;
}

/** A bucket record with its location and any other evidence given. */
export function bucketWith(
  name: string,
  fields: Omit<Partial<BucketRecord>, 'Name'> = {},
  region = 'us-east-1',
): BucketRecord {
  return {
    Name: name,
    location: ok(
      { Region: region, ...(region === 'us-east-1' ? {} : { LocationConstraint: region }) },
      's3:GetBucketLocation',
      region,
    ),
    ...fields,
  };
}

export function blockAll(operation = 's3:GetPublicAccessBlock'): Observation<PublicAccessBlock> {
  return ok(
    {
      Configured: true,
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
    operation,
  );
}

export function noBlock(operation = 's3:GetPublicAccessBlock'): Observation<PublicAccessBlock> {
  return ok({ Configured: false }, operation);
}

export function bucket(
  name: string,
  logging: BucketRecord['logging'] | null,
  region = 'us-east-1',
): BucketRecord {
  const record: BucketRecord = {
    Name: name,
    location: ok(
      { Region: region, ...(region === 'us-east-1' ? {} : { LocationConstraint: region }) },
      's3:GetBucketLocation',
      region,
    ),
  };
  if (logging !== null && logging !== undefined) record.logging = logging;
  return record;
}

export function loggingOn(target: string, region = 'us-east-1'): BucketRecord['logging'] {
  return ok(
    { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'logs/' } },
    's3:GetBucketLogging',
    region,
  );
}

export function loggingOff(region = 'us-east-1'): BucketRecord['logging'] {
  return ok({}, 's3:GetBucketLogging', region);
}

export interface SnapshotInput {
  trails?: TrailRecord[];
  buckets?: BucketRecord[];
  regions?: string[];
  collected?: EvidenceKind[];
  /** Regions whose DescribeTrails failed. */
  failedDiscovery?: Record<string, Observation<{ TrailARNs: string[] }>>;
  accountPublicAccessBlock?: Observation<PublicAccessBlock>;
  kmsKeys?: KmsKeyRecord[];
  eventDataStores?: EventDataStores;
  /** The CloudWatch chain (metric filters, alarms, topics): see monitoring-fixtures.ts. */
  monitoring?: Monitoring;
  /** KMS.4's listing of every key, Config.1's recorders, EC2.6's VPCs and flow logs. */
  keyRotation?: Snapshot['keyRotation'];
  config?: Snapshot['config'];
  flowLogs?: Snapshot['flowLogs'];
  /** Default 2026-11-24T10:00:01.000Z: when the evidence was collected. */
  finishedAt?: string;
}

export function snapshot(input: SnapshotInput = {}): Snapshot {
  const regions = input.regions ?? ['us-east-1', 'eu-west-1'];
  const trails = input.trails ?? [];
  const discovery = regions.map((region) => ({
    region,
    result:
      input.failedDiscovery?.[region] ??
      ok(
        {
          TrailARNs: trails
            .filter((t) => t.config.IsMultiRegionTrail || t.config.HomeRegion === region)
            .map((t) => t.config.TrailARN),
        },
        'cloudtrail:DescribeTrails',
        region,
      ),
  }));
  const built: Snapshot = {
    format: 'trailcheck-snapshot',
    version: 1,
    tool: { name: 'trailcheck', version: 'test' },
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: input.finishedAt ?? '2026-11-24T10:00:01.000Z',
    account: { Account: ACCOUNT_ID, Arn: `arn:aws:iam::${ACCOUNT_ID}:user/auditor`, Partition: 'aws' },
    scope: {
      controlRegion: 'us-east-1',
      requestedRegions: null,
      regionDiscovery: ok({ Enabled: regions, NotEnabled: [] }, 'ec2:DescribeRegions'),
      regions,
    },
    collected: input.collected ?? ALL_KINDS,
    cloudtrail: {
      discovery,
      trails,
      ...(input.eventDataStores ? { eventDataStores: input.eventDataStores } : {}),
    },
    s3: {
      buckets: input.buckets ?? [],
      ...(input.accountPublicAccessBlock ? { accountPublicAccessBlock: input.accountPublicAccessBlock } : {}),
    },
    ...(input.kmsKeys ? { kms: { keys: input.kmsKeys } } : {}),
    ...(input.monitoring ? { monitoring: input.monitoring } : {}),
    ...(input.keyRotation ? { keyRotation: input.keyRotation } : {}),
    ...(input.config ? { config: input.config } : {}),
    ...(input.flowLogs ? { flowLogs: input.flowLogs } : {}),
    notes: [],
    stats: { durationMs: 1000, apiCalls: [] },
  };
  return SnapshotSchema.parse(built);
}
