/**
 * The evidence snapshot: everything `collect` learned from AWS, as JSON that can be saved and replayed.
 * The zod schemas are the single definition: TypeScript types are inferred from them, and a snapshot read
 * from disk is validated against them before any control sees it.
 *
 * Shapes that come straight from an AWS API keep AWS's own field names (PascalCase), so an auditor can
 * match a piece of evidence to the API documentation word for word.
 */
import { z } from 'zod';
import { FAILURE_KINDS } from '../aws/errors.js';
import type { CallFailure } from '../aws/errors.js';

export type { CallFailure };

export const SNAPSHOT_FORMAT = 'trailcheck-snapshot';
export const SNAPSHOT_VERSION = 1;

// Bounds keep a hostile file from making trailcheck allocate or print without limit.
const text = z.string().max(4096);
const shortText = z.string().max(1024);
const list = <T extends z.ZodType>(item: T, max = 10_000) => z.array(item).max(max);

export const CallFailureSchema = z.strictObject({
  operation: shortText,
  region: shortText,
  kind: z.enum(FAILURE_KINDS),
  code: shortText,
  message: text,
  httpStatus: z.number().int().min(0).max(999).optional(),
  permission: shortText.optional(),
});

export const SourceSchema = z.strictObject({
  /** `service:Operation` that produced the value. */
  operation: shortText,
  region: shortText,
});

/** What one API call told us, or why it could not. */
export function observation<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value, source: SourceSchema }),
    z.strictObject({ ok: z.literal(false), failure: CallFailureSchema }),
  ]);
}

export type Observation<T> = { ok: true; value: T; source: Source } | { ok: false; failure: CallFailure };

// ---- CloudTrail -------------------------------------------------------------------------------------

/** A trail as DescribeTrails returns it (the fields trailcheck uses). */
export const TrailConfigSchema = z.strictObject({
  Name: shortText,
  TrailARN: shortText,
  HomeRegion: shortText,
  S3BucketName: shortText.optional(),
  S3KeyPrefix: shortText.optional(),
  SnsTopicARN: shortText.optional(),
  IncludeGlobalServiceEvents: z.boolean().optional(),
  IsMultiRegionTrail: z.boolean().optional(),
  IsOrganizationTrail: z.boolean().optional(),
  LogFileValidationEnabled: z.boolean().optional(),
  CloudWatchLogsLogGroupArn: shortText.optional(),
  CloudWatchLogsRoleArn: shortText.optional(),
  KmsKeyId: shortText.optional(),
  HasCustomEventSelectors: z.boolean().optional(),
  HasInsightSelectors: z.boolean().optional(),
});

/** GetTrailStatus, with times as ISO-8601 strings. */
export const TrailStatusSchema = z.strictObject({
  IsLogging: z.boolean().optional(),
  LatestDeliveryError: text.optional(),
  LatestNotificationError: text.optional(),
  LatestDeliveryTime: shortText.optional(),
  LatestNotificationTime: shortText.optional(),
  StartLoggingTime: shortText.optional(),
  StopLoggingTime: shortText.optional(),
  LatestCloudWatchLogsDeliveryError: text.optional(),
  LatestCloudWatchLogsDeliveryTime: shortText.optional(),
  LatestDigestDeliveryTime: shortText.optional(),
  LatestDigestDeliveryError: text.optional(),
});

export const DataResourceSchema = z.strictObject({
  Type: shortText.optional(),
  Values: list(text, 1000).optional(),
});

export const BasicEventSelectorSchema = z.strictObject({
  ReadWriteType: shortText.optional(),
  IncludeManagementEvents: z.boolean().optional(),
  DataResources: list(DataResourceSchema, 1000).optional(),
  ExcludeManagementEventSources: list(shortText, 100).optional(),
});

export const FieldSelectorSchema = z.strictObject({
  Field: shortText,
  Equals: list(text, 1000).optional(),
  StartsWith: list(text, 1000).optional(),
  EndsWith: list(text, 1000).optional(),
  NotEquals: list(text, 1000).optional(),
  NotStartsWith: list(text, 1000).optional(),
  NotEndsWith: list(text, 1000).optional(),
});

export const AdvancedEventSelectorSchema = z.strictObject({
  Name: shortText.optional(),
  FieldSelectors: list(FieldSelectorSchema, 100),
});

/** GetEventSelectors: AWS returns one form or the other. */
export const EventSelectorsSchema = z.strictObject({
  EventSelectors: list(BasicEventSelectorSchema, 100).optional(),
  AdvancedEventSelectors: list(AdvancedEventSelectorSchema, 100).optional(),
});

export const TrailRecordSchema = z.strictObject({
  /** From DescribeTrails; `source` names the Region whose answer was kept. */
  config: TrailConfigSchema,
  configSource: SourceSchema,
  /** Scanned Regions whose DescribeTrails listed this trail (its home, or shadow copies elsewhere). */
  seenIn: list(shortText, 100),
  /** Read by ARN in the home Region; absent when the controls asked for did not need it. */
  status: observation(TrailStatusSchema).optional(),
  eventSelectors: observation(EventSelectorsSchema).optional(),
});

export const TrailDiscoverySchema = z.strictObject({
  region: shortText,
  result: observation(z.strictObject({ TrailARNs: list(shortText) })),
});

// ---- S3 ---------------------------------------------------------------------------------------------

export const BucketLocationSchema = z.strictObject({
  /** As GetBucketLocation returns it (empty for us-east-1). */
  LocationConstraint: shortText.optional(),
  /** The Region it means. */
  Region: shortText,
});

export const BucketLoggingSchema = z.strictObject({
  LoggingEnabled: z
    .strictObject({
      TargetBucket: shortText.optional(),
      TargetPrefix: shortText.optional(),
    })
    .optional(),
});

export const BucketRecordSchema = z.strictObject({
  Name: shortText,
  location: observation(BucketLocationSchema).optional(),
  logging: observation(BucketLoggingSchema).optional(),
});

// ---- The snapshot -----------------------------------------------------------------------------------

/** Pieces of evidence a control can need; collect gathers only what the chosen controls need. */
export const EVIDENCE_KINDS = [
  'cloudtrail.trails',
  'cloudtrail.status',
  'cloudtrail.eventSelectors',
  's3.bucketLogging',
] as const;
export const EvidenceKindSchema = z.enum(EVIDENCE_KINDS);

export const CallCountSchema = z.strictObject({
  operation: shortText,
  region: shortText,
  calls: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
});

export const RegionDiscoverySchema = z.strictObject({
  Enabled: list(shortText, 200),
  NotEnabled: list(shortText, 200),
});

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');

export const SnapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  tool: z.strictObject({ name: shortText, version: shortText }),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  account: z.strictObject({
    Account: accountId,
    Arn: shortText,
    Partition: shortText,
  }),
  scope: z.strictObject({
    /** Region used for identity and Region discovery. */
    controlRegion: shortText,
    /** Regions the user asked for, or null for "every enabled Region". */
    requestedRegions: list(shortText, 200).nullable(),
    regionDiscovery: observation(RegionDiscoverySchema),
    /** Regions actually scanned. */
    regions: list(shortText, 200),
  }),
  collected: list(EvidenceKindSchema, 100),
  cloudtrail: z.strictObject({
    discovery: list(TrailDiscoverySchema, 200),
    trails: list(TrailRecordSchema),
  }),
  s3: z.strictObject({
    buckets: list(BucketRecordSchema),
  }),
  /** Things the user should know about how complete the collection was. */
  notes: list(text, 1000),
  stats: z.strictObject({
    durationMs: z.number().nonnegative(),
    apiCalls: list(CallCountSchema),
  }),
});

export type Source = z.infer<typeof SourceSchema>;
export type TrailConfig = z.infer<typeof TrailConfigSchema>;
export type TrailStatus = z.infer<typeof TrailStatusSchema>;
export type BasicEventSelector = z.infer<typeof BasicEventSelectorSchema>;
export type AdvancedEventSelector = z.infer<typeof AdvancedEventSelectorSchema>;
export type FieldSelector = z.infer<typeof FieldSelectorSchema>;
export type EventSelectors = z.infer<typeof EventSelectorsSchema>;
export type TrailRecord = z.infer<typeof TrailRecordSchema>;
export type TrailDiscovery = z.infer<typeof TrailDiscoverySchema>;
export type BucketLocation = z.infer<typeof BucketLocationSchema>;
export type BucketLogging = z.infer<typeof BucketLoggingSchema>;
export type BucketRecord = z.infer<typeof BucketRecordSchema>;
export type EvidenceKind = z.infer<typeof EvidenceKindSchema>;
export type Snapshot = z.infer<typeof SnapshotSchema>;
