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
/** Bucket policies reach 20 KB and key policies 32 KB. */
const policyText = z.string().max(65_536);
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

export const InsightSelectorsSchema = z.strictObject({
  /** Empty when GetInsightSelectors answered InsightNotEnabledException. */
  InsightSelectors: list(z.strictObject({ InsightType: shortText.optional() }), 20),
});

export const TagSchema = z.strictObject({ Key: shortText, Value: shortText.optional() });
export const TagsSchema = z.strictObject({ TagsList: list(TagSchema, 200) });

export const TrailRecordSchema = z.strictObject({
  /** From DescribeTrails; `source` names the Region whose answer was kept. */
  config: TrailConfigSchema,
  configSource: SourceSchema,
  /** Scanned Regions whose DescribeTrails listed this trail (its home, or shadow copies elsewhere). */
  seenIn: list(shortText, 100),
  /** Read by ARN in the home Region; absent when the controls asked for did not need it. */
  status: observation(TrailStatusSchema).optional(),
  eventSelectors: observation(EventSelectorsSchema).optional(),
  insightSelectors: observation(InsightSelectorsSchema).optional(),
  tags: observation(TagsSchema).optional(),
});

export const TrailDiscoverySchema = z.strictObject({
  region: shortText,
  result: observation(z.strictObject({ TrailARNs: list(shortText) })),
});

/** A CloudTrail Lake event data store, as GetEventDataStore returns it (the fields trailcheck uses). */
export const EventDataStoreSchema = z.strictObject({
  EventDataStoreArn: shortText,
  Name: shortText.optional(),
  Status: shortText.optional(),
  KmsKeyId: shortText.optional(),
  MultiRegionEnabled: z.boolean().optional(),
  OrganizationEnabled: z.boolean().optional(),
  RetentionPeriod: z.number().int().nonnegative().optional(),
  TerminationProtectionEnabled: z.boolean().optional(),
  BillingMode: shortText.optional(),
});

export const EventDataStoreRecordSchema = z.strictObject({
  EventDataStoreArn: shortText,
  /** The store's Region (from its ARN), where GetEventDataStore was called. */
  Region: shortText,
  details: observation(EventDataStoreSchema),
});

export const EventDataStoresSchema = z.strictObject({
  discovery: list(
    z.strictObject({
      region: shortText,
      result: observation(z.strictObject({ EventDataStoreArns: list(shortText) })),
    }),
    200,
  ),
  stores: list(EventDataStoreRecordSchema),
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

export const GrantSchema = z.strictObject({
  Grantee: z
    .strictObject({
      Type: shortText.optional(),
      ID: shortText.optional(),
      URI: shortText.optional(),
      DisplayName: shortText.optional(),
      EmailAddress: shortText.optional(),
    })
    .optional(),
  Permission: shortText.optional(),
});

export const BucketAclSchema = z.strictObject({
  Owner: z.strictObject({ ID: shortText.optional(), DisplayName: shortText.optional() }).optional(),
  Grants: list(GrantSchema, 1000),
});

/** GetBucketPolicy; no Policy when S3 answered NoSuchBucketPolicy. */
export const BucketPolicySchema = z.strictObject({ Policy: policyText.optional() });

/** GetPublicAccessBlock (bucket or account); Configured false for NoSuchPublicAccessBlockConfiguration. */
export const PublicAccessBlockSchema = z.strictObject({
  Configured: z.boolean(),
  BlockPublicAcls: z.boolean().optional(),
  IgnorePublicAcls: z.boolean().optional(),
  BlockPublicPolicy: z.boolean().optional(),
  RestrictPublicBuckets: z.boolean().optional(),
});

export const BucketPolicyStatusSchema = z.strictObject({ IsPublic: z.boolean().optional() });

export const BucketVersioningSchema = z.strictObject({
  Status: shortText.optional(),
  MFADelete: shortText.optional(),
});

/** GetObjectLockConfiguration; empty for ObjectLockConfigurationNotFoundError. */
export const ObjectLockSchema = z.strictObject({
  ObjectLockEnabled: shortText.optional(),
  Rule: z
    .strictObject({
      DefaultRetention: z
        .strictObject({
          Mode: shortText.optional(),
          Days: z.number().int().optional(),
          Years: z.number().int().optional(),
        })
        .optional(),
    })
    .optional(),
});

const LifecycleFilterBodySchema = z.strictObject({
  Prefix: shortText.optional(),
  Tag: TagSchema.optional(),
  Tags: list(TagSchema, 100).optional(),
  ObjectSizeGreaterThan: z.number().optional(),
  ObjectSizeLessThan: z.number().optional(),
});

export const LifecycleRuleSchema = z.strictObject({
  ID: shortText.optional(),
  Status: shortText.optional(),
  /** Legacy top-level prefix. */
  Prefix: shortText.optional(),
  Filter: LifecycleFilterBodySchema.extend({ And: LifecycleFilterBodySchema.optional() }).optional(),
  Expiration: z
    .strictObject({
      Days: z.number().int().optional(),
      Date: shortText.optional(),
      ExpiredObjectDeleteMarker: z.boolean().optional(),
    })
    .optional(),
  NoncurrentVersionExpiration: z
    .strictObject({
      NoncurrentDays: z.number().int().optional(),
      NewerNoncurrentVersions: z.number().int().optional(),
    })
    .optional(),
});

/** GetBucketLifecycleConfiguration; no rules for NoSuchLifecycleConfiguration. */
export const BucketLifecycleSchema = z.strictObject({ Rules: list(LifecycleRuleSchema, 1000) });

export const BucketRecordSchema = z.strictObject({
  Name: shortText,
  location: observation(BucketLocationSchema).optional(),
  logging: observation(BucketLoggingSchema).optional(),
  acl: observation(BucketAclSchema).optional(),
  policy: observation(BucketPolicySchema).optional(),
  publicAccessBlock: observation(PublicAccessBlockSchema).optional(),
  policyStatus: observation(BucketPolicyStatusSchema).optional(),
  versioning: observation(BucketVersioningSchema).optional(),
  objectLock: observation(ObjectLockSchema).optional(),
  lifecycle: observation(BucketLifecycleSchema).optional(),
});

// ---- KMS --------------------------------------------------------------------------------------------

export const KeyMetadataSchema = z.strictObject({
  KeyId: shortText.optional(),
  Arn: shortText.optional(),
  KeyState: shortText.optional(),
  Enabled: z.boolean().optional(),
  KeyManager: shortText.optional(),
  Origin: shortText.optional(),
  DeletionDate: shortText.optional(),
  /** SYMMETRIC_DEFAULT, RSA_2048, HMAC_256…: only symmetric encryption keys can rotate automatically. */
  KeySpec: shortText.optional(),
});

export const KmsKeyRecordSchema = z.strictObject({
  /** The key as a trail names it (ARN, alias ARN, alias or id). */
  KeyId: shortText,
  /** Where it was read: the Region in its ARN, else the trail's home Region. */
  Region: shortText,
  describe: observation(KeyMetadataSchema),
  /** GetKeyPolicy (policy name "default"), read by the key's id once DescribeKey resolved it. */
  policy: observation(z.strictObject({ Policy: policyText })).optional(),
});

// ---- The CloudWatch monitoring chain (CIS Monitoring) ------------------------------------------------

/** One metric transformation of a filter: the metric it writes (DescribeMetricFilters' own names). */
export const MetricTransformationSchema = z.strictObject({
  metricName: shortText,
  metricNamespace: shortText,
  /** Dimension name → the log field it takes its value from (`$.field`). */
  dimensions: z.record(shortText, shortText).optional(),
});

export const MetricFilterSchema = z.strictObject({
  filterName: shortText,
  /** The pattern as written; AWS caps it at 1,024 characters. */
  filterPattern: text,
  metricTransformations: list(MetricTransformationSchema, 100),
});

/** A log group a trail delivers to, with its metric filters, read in the group's Region. */
export const LogGroupRecordSchema = z.strictObject({
  /** As the trail names it (CloudWatchLogsLogGroupArn, usually ending in `:*`). */
  LogGroupArn: shortText,
  logGroupName: shortText,
  Region: shortText,
  metricFilters: observation(z.strictObject({ MetricFilters: list(MetricFilterSchema) })),
});

/** A metric alarm (DescribeAlarms), the fields that tie it to a metric and to whom it alerts. */
export const MetricAlarmSchema = z.strictObject({
  AlarmName: shortText,
  AlarmArn: shortText.optional(),
  MetricName: shortText.optional(),
  Namespace: shortText.optional(),
  Dimensions: list(z.strictObject({ Name: shortText, Value: shortText }), 30).optional(),
  ActionsEnabled: z.boolean().optional(),
  AlarmActions: list(shortText, 50).optional(),
});

/**
 * The metric alarms of one Region that watch a metric some collected filter writes (DescribeAlarms,
 * paginated: one listing per Region instead of one call per metric; alarms on other metrics are left out).
 */
export const AlarmListingSchema = z.strictObject({
  region: shortText,
  /**
   * Whose alarms these are when not the snapshot's own account: the management account's, beside a
   * member's evidence, for the log group of an organization trail (judged with --org).
   */
  account: shortText.optional(),
  result: observation(z.strictObject({ MetricAlarms: list(MetricAlarmSchema) })),
});

/** The subscriptions of an SNS topic an alarm notifies (ListSubscriptionsByTopic, paginated). */
export const TopicRecordSchema = z.strictObject({
  TopicArn: shortText,
  Region: shortText,
  subscriptions: observation(
    z.strictObject({
      Subscriptions: list(
        // The endpoint (an e-mail address, a URL) is not kept: who is alerted is not evidence trailcheck needs.
        z.strictObject({ SubscriptionArn: shortText, Protocol: shortText.optional() }),
      ),
    }),
  ),
});

export const MonitoringSchema = z.strictObject({
  logGroups: list(LogGroupRecordSchema, 1000),
  alarms: list(AlarmListingSchema, 200),
  topics: list(TopicRecordSchema),
});

// ---- Account-wide logging posture: KMS key rotation, AWS Config, VPC flow logs -----------------------

/** A key of the account (ListKeys), described, and its rotation read when it is one that can rotate. */
export const RotationKeyRecordSchema = z.strictObject({
  KeyArn: shortText,
  Region: shortText,
  describe: observation(KeyMetadataSchema),
  /** GetKeyRotationStatus; read only for enabled customer managed symmetric keys. */
  rotation: observation(
    z.strictObject({
      KeyRotationEnabled: z.boolean(),
      RotationPeriodInDays: z.number().int().nonnegative().optional(),
    }),
  ).optional(),
});

/**
 * ListKeys per scanned Region (paginated); `Unread` counts the keys past the per-Region bound, which
 * were listed but not described, so their verdict is unknown rather than silently absent.
 */
export const KeyRotationSchema = z.strictObject({
  listings: list(
    z.strictObject({
      region: shortText,
      result: observation(
        z.strictObject({ KeyCount: z.number().int().nonnegative(), Unread: z.number().int().nonnegative() }),
      ),
    }),
    200,
  ),
  keys: list(RotationKeyRecordSchema, 200_000),
});

/** DescribeConfigurationRecorders: a recorder and what it records (AWS Config's own field names). */
export const ConfigRecorderSchema = z.strictObject({
  name: shortText,
  roleARN: shortText.optional(),
  recordingGroup: z
    .strictObject({
      allSupported: z.boolean().optional(),
      includeGlobalResourceTypes: z.boolean().optional(),
      resourceTypes: list(shortText, 1000).optional(),
      exclusionByResourceTypes: z
        .strictObject({ resourceTypes: list(shortText, 1000).optional() })
        .optional(),
      recordingStrategy: z.strictObject({ useOnly: shortText.optional() }).optional(),
    })
    .optional(),
});

export const ConfigRecorderStatusSchema = z.strictObject({
  name: shortText,
  recording: z.boolean().optional(),
  lastStatus: shortText.optional(),
  lastErrorCode: shortText.optional(),
  lastErrorMessage: text.optional(),
});

export const DeliveryChannelSchema = z.strictObject({
  name: shortText,
  s3BucketName: shortText.optional(),
  s3KeyPrefix: shortText.optional(),
  snsTopicARN: shortText.optional(),
});

/** AWS Config in one scanned Region: its recorders, their status and its delivery channels. */
export const ConfigRegionSchema = z.strictObject({
  region: shortText,
  recorders: observation(z.strictObject({ ConfigurationRecorders: list(ConfigRecorderSchema, 100) })),
  statuses: observation(
    z.strictObject({ ConfigurationRecordersStatus: list(ConfigRecorderStatusSchema, 100) }),
  ),
  channels: observation(z.strictObject({ DeliveryChannels: list(DeliveryChannelSchema, 100) })),
});

export const FlowLogSchema = z.strictObject({
  FlowLogId: shortText,
  ResourceId: shortText.optional(),
  TrafficType: shortText.optional(),
  FlowLogStatus: shortText.optional(),
  DeliverLogsStatus: shortText.optional(),
  LogDestinationType: shortText.optional(),
  LogDestination: shortText.optional(),
  LogGroupName: shortText.optional(),
});

/** One scanned Region's VPCs (DescribeVpcs) and flow logs (DescribeFlowLogs, one listing for all VPCs). */
export const FlowLogRegionSchema = z.strictObject({
  region: shortText,
  vpcs: observation(
    z.strictObject({
      Vpcs: list(
        z.strictObject({
          VpcId: shortText,
          IsDefault: z.boolean().optional(),
          CidrBlock: shortText.optional(),
        }),
        50_000,
      ),
    }),
  ),
  flowLogs: observation(z.strictObject({ FlowLogs: list(FlowLogSchema, 50_000) })),
});

// ---- The snapshot -----------------------------------------------------------------------------------

/** Pieces of evidence a control can need; collect gathers only what the chosen controls need. */
export const EVIDENCE_KINDS = [
  'cloudtrail.trails',
  'cloudtrail.status',
  'cloudtrail.eventSelectors',
  'cloudtrail.insightSelectors',
  'cloudtrail.tags',
  'cloudtrail.eventDataStores',
  's3.bucketLocation',
  's3.bucketLogging',
  's3.bucketAcl',
  's3.bucketPolicy',
  's3.bucketPublicAccessBlock',
  's3.bucketPolicyStatus',
  's3.accountPublicAccessBlock',
  's3.bucketVersioning',
  's3.bucketObjectLock',
  's3.bucketLifecycle',
  'kms.keys',
  'logs.metricFilters',
  'cloudwatch.alarms',
  'sns.subscriptions',
  'kms.keyRotation',
  'config.recorders',
  'ec2.flowLogs',
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
    eventDataStores: EventDataStoresSchema.optional(),
  }),
  s3: z.strictObject({
    buckets: list(BucketRecordSchema),
    accountPublicAccessBlock: observation(PublicAccessBlockSchema).optional(),
  }),
  kms: z.strictObject({ keys: list(KmsKeyRecordSchema) }).optional(),
  /** Absent in snapshots collected for no monitoring control (and in those written before it existed). */
  monitoring: MonitoringSchema.optional(),
  /** The account's keys and their rotation (KMS.4); absent unless that control was chosen. */
  keyRotation: KeyRotationSchema.optional(),
  /** AWS Config per scanned Region (Config.1); absent unless that control was chosen. */
  config: z.strictObject({ regions: list(ConfigRegionSchema, 200) }).optional(),
  /** VPCs and their flow logs per scanned Region (EC2.6); absent unless that control was chosen. */
  flowLogs: z.strictObject({ regions: list(FlowLogRegionSchema, 200) }).optional(),
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
export type BucketAcl = z.infer<typeof BucketAclSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type BucketPolicy = z.infer<typeof BucketPolicySchema>;
export type PublicAccessBlock = z.infer<typeof PublicAccessBlockSchema>;
export type BucketPolicyStatus = z.infer<typeof BucketPolicyStatusSchema>;
export type BucketVersioning = z.infer<typeof BucketVersioningSchema>;
export type ObjectLock = z.infer<typeof ObjectLockSchema>;
export type BucketLifecycle = z.infer<typeof BucketLifecycleSchema>;
export type LifecycleRule = z.infer<typeof LifecycleRuleSchema>;
export type InsightSelectors = z.infer<typeof InsightSelectorsSchema>;
export type Tags = z.infer<typeof TagsSchema>;
export type EventDataStore = z.infer<typeof EventDataStoreSchema>;
export type EventDataStoreRecord = z.infer<typeof EventDataStoreRecordSchema>;
export type EventDataStores = z.infer<typeof EventDataStoresSchema>;
export type KeyMetadata = z.infer<typeof KeyMetadataSchema>;
export type KmsKeyRecord = z.infer<typeof KmsKeyRecordSchema>;
export type MetricFilter = z.infer<typeof MetricFilterSchema>;
export type LogGroupRecord = z.infer<typeof LogGroupRecordSchema>;
export type MetricAlarm = z.infer<typeof MetricAlarmSchema>;
export type AlarmListing = z.infer<typeof AlarmListingSchema>;
export type TopicRecord = z.infer<typeof TopicRecordSchema>;
export type Monitoring = z.infer<typeof MonitoringSchema>;
export type RotationKeyRecord = z.infer<typeof RotationKeyRecordSchema>;
export type KeyRotation = z.infer<typeof KeyRotationSchema>;
export type ConfigRecorder = z.infer<typeof ConfigRecorderSchema>;
export type ConfigRecorderStatus = z.infer<typeof ConfigRecorderStatusSchema>;
export type DeliveryChannel = z.infer<typeof DeliveryChannelSchema>;
export type ConfigRegion = z.infer<typeof ConfigRegionSchema>;
export type FlowLog = z.infer<typeof FlowLogSchema>;
export type FlowLogRegion = z.infer<typeof FlowLogRegionSchema>;
export type EvidenceKind = z.infer<typeof EvidenceKindSchema>;
export type Snapshot = z.infer<typeof SnapshotSchema>;
