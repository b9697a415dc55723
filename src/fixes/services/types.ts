/**
 * What trailcheck knows about each AWS write operation it may send, in one place per operation: its
 * effect on the evidence snapshot, its undo, the resources it creates and the document it replaces, the
 * names it claims, the IAM action it needs, and its part in the Terraform and CloudFormation forms. Each
 * AWS service's operations are in a module of their own (cloudtrail.ts, s3.ts…); registry.ts looks them up.
 */
import type { BucketRecord, Snapshot, TrailRecord } from '../../snapshot/schema.js';
import type { ApiCall } from '../../core/api-call.js';
import type { Mutation } from './draft.js';

export interface Undo {
  /**
   * revert: calls that put back how it was; remove: calls that remove what this run created; none:
   * nothing to do (it was so already, or it belongs to something removed or kept as a whole); keep: left
   * in place on purpose, with `manual` saying how to remove it by hand.
   */
  kind: 'revert' | 'remove' | 'none' | 'keep';
  calls: ApiCall[];
  manual?: ApiCall[];
  /** False when the revert cannot restore exactly how it was (versioning can only be suspended). */
  exact: boolean;
  /** One plain sentence. */
  note: string;
}

/** Resources created earlier in the same plan: `bucket:NAME`, `trail:REGION:NAME`, `role:NAME`, `key:OUTPUT`. */
export type Created = Pick<ReadonlySet<string>, 'has'>;

/** Why there is no undo: the before-state was not read. */
export class NoUndo {
  constructor(readonly reason: string) {}
}

export const revert = (calls: ApiCall[], note: string, exact = true): Undo => ({
  kind: 'revert',
  calls,
  exact,
  note,
});
export const none = (note: string): Undo => ({ kind: 'none', calls: [], exact: true, note });

/** A name a fix would create, which `trailcheck fix` checks is free before it plans (probe.ts). */
export interface NameRequest {
  kind: 'bucket' | 'role' | 'alias' | 'logGroup' | 'alarm' | 'topic';
  name: string;
  region: string;
}

// ---- What a set of plan steps leaves behind, for Terraform and CloudFormation (targets.ts) ----------

export type BucketAspect = 'pab' | 'policy' | 'acl' | 'logging' | 'versioning' | 'encryption';

export interface BucketTarget {
  name: string;
  region: string;
  created: boolean;
  aspects: Set<BucketAspect>;
  before: BucketRecord | undefined;
  after: BucketRecord | undefined;
}

export interface TrailTarget {
  name: string;
  region: string;
  created: boolean;
  before: TrailRecord | undefined;
  after: TrailRecord | undefined;
}

export interface KeyTarget {
  output: string;
  region: string;
  description: string;
  policy: string;
  rotation: boolean;
  alias?: string;
}

export interface RoleTarget {
  name: string;
  trust: string;
  description: string;
  policies: Array<{ name: string; document: string }>;
}

export interface MetricFilterTarget {
  region: string;
  logGroupName: string;
  filterName: string;
  filterPattern: string;
  metricName: string;
  metricNamespace: string;
  metricValue: string;
}

export interface AlarmTarget {
  region: string;
  name: string;
  description: string;
  metricName: string;
  namespace: string;
  statistic: string;
  period: number;
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData: string;
  alarmActions: string[];
}

export interface Targets {
  controlRegion: string;
  account: string;
  partition: string;
  trails: TrailTarget[];
  buckets: BucketTarget[];
  keys: KeyTarget[];
  keyPolicies: Array<{ keyId: string; region: string; policy: string }>;
  enabledKeys: Array<{ keyId: string; region: string }>;
  /** Existing keys whose automatic rotation the steps turn on (a new key's is in `keys`). */
  rotatedKeys: Array<{ keyId: string; region: string }>;
  logGroups: Array<{ name: string; region: string }>;
  roles: RoleTarget[];
  metricFilters: MetricFilterTarget[];
  alarms: AlarmTarget[];
  /** Topics the steps create. */
  topics: Array<{ region: string; name: string }>;
  subscriptions: Array<{ region: string; topicArn: string; protocol: string; endpoint: string }>;
  /** AWS Config calls, by Region: the forms do not express a recorder's setup, and say so. */
  configChanges: Array<{ region: string; operation: string }>;
  /** New VPC flow logs (to S3), one per VPC named. */
  flowLogs: Array<{ region: string; vpcIds: string[]; trafficType: string; destination: string }>;
  /** A new key's placeholder ARN in the simulated state → the output that makes it. */
  placeholders: Map<string, string>;
}

/** What an operation's IaC part may add to: the targets, and the trail or bucket a call is about. */
export interface TargetContext {
  targets: Targets;
  trail(name: string, region: string, created: boolean): TrailTarget;
  bucket(name: string, region: string, created: boolean): BucketTarget;
}

export interface OperationSpec {
  /** Its effect on the snapshot, and its (simulated) output. Absent: the planner never sends it. */
  simulate?: Mutation;
  /** The undo, computed from the snapshot just before the call. Absent: trailcheck has none. */
  undo?: (call: ApiCall, before: Snapshot, created: Created) => Undo | NoUndo;
  /** The resources the call creates, as `Created` keys. */
  creates?: (call: ApiCall) => string[];
  /** The whole document the call replaces: a later call for the same document supersedes it. */
  document?: (call: ApiCall) => string | undefined;
  /** The names it creates, to check before planning. */
  names?: (call: ApiCall) => NameRequest[];
  /** The IAM action that authorises it, when its name differs from the operation's. */
  iamAction?: string;
  /** Its part in the declarative forms. */
  target?: (call: ApiCall, context: TargetContext) => void;
}

/** A service's operations, by operation name (`UpdateTrail`). */
export type ServiceOperations = Readonly<Record<string, OperationSpec>>;
