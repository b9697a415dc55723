import { accountOfArn } from '../core/arn.js';
import type { BucketRecord, EvidenceKind, Snapshot, TrailRecord } from '../snapshot/schema.js';
import type { Finding, SuppressionMark } from '../core/finding.js';
import type { Framework } from '../frameworks/index.js';

/** Settings of an assessment that are not evidence: the same snapshot can be judged with different ones. */
export interface AssessOptions {
  /**
   * The controls' own settings, each under the key its control declares (ControlOption in
   * src/controls/options.ts: `requiredTagKeys` for CloudTrail.9…); a control reads its own with
   * optionValue, which falls back to the declared default. Open-ended, since this layer sits below the
   * controls that declare them.
   */
  [optionKey: string]: unknown;
  /**
   * The framework the user chose (--framework): the reports' numbering, and the CIS version whose metric
   * filter patterns the monitoring checks are judged against.
   */
  framework?: Framework;
  /** How fixes are built (trailcheck plan and fix); the verdicts do not depend on it. */
  remediation?: RemediationOptions;
}

/** Choices a fix needs that the evidence does not give. */
export interface RemediationOptions {
  /** CloudTrail.2: encrypt with this existing key (its ARN) instead of creating one per trail. */
  kmsKeyArn?: string;
  /**
   * Names a fix would create that already exist (found by `trailcheck fix` before it plans), so it picks
   * the next free one; log groups that exist are used as they are.
   */
  existing?: ExistingNames;
  /**
   * Findings the user accepted (a live `--ignore` entry): the plan leaves them as they are and lists them
   * with the reason, instead of fixing them.
   */
  accepted?: (finding: Finding) => SuppressionMark | undefined;
  /**
   * Findings whose fix belongs to another account's plan (a member's coverage that the organization trail
   * decides, fixed in the management account): not planned here, whatever a simulated change judges again.
   */
  deferred?: (finding: Finding) => boolean;
}

export interface ExistingNames {
  buckets?: readonly string[];
  roles?: readonly string[];
  aliases?: readonly string[];
  logGroups?: readonly string[];
  /** `REGION:NAME` of alarms and of SNS topics. */
  alarms?: readonly string[];
  topics?: readonly string[];
}

/** Trail ARN → owning account: asked for every trail whenever a control lists the owned trails. */
const ACCOUNT_OF_ARN = new Map<string, string>();

/**
 * The trails (by ARN) and trail buckets (by name) a judgement is limited to: the planner judges a
 * per-resource control again only where a simulated change can reach.
 */
export interface Focus {
  trails: ReadonlySet<string>;
  buckets: ReadonlySet<string>;
}

/**
 * Answers worked out from one record (a trail, a bucket), kept across the many states the planner judges.
 * The simulation copies a record it changes and shares every other one (copy on write), so a record that
 * is the same object holds the same facts and its answer still holds; a changed record is a new object
 * and is worked out again. Only the planner makes one: outside it, nothing is kept.
 */
export class RecordMemo {
  private readonly byPurpose = new Map<string, WeakMap<object, unknown>>();

  /** `purpose` names the question and everything besides the record its answer depends on. */
  get<R extends object, V>(purpose: string, record: R, compute: (record: R) => V): V {
    let answers = this.byPurpose.get(purpose);
    if (!answers) this.byPurpose.set(purpose, (answers = new WeakMap()));
    const known = answers.get(record);
    if (known !== undefined || answers.has(record)) return known as V;
    const answer = compute(record);
    answers.set(record, answer);
    return answer;
  }
}

/**
 * Read-only questions about a snapshot that several controls ask. Kept here so each control states its
 * rule, not the bookkeeping.
 */
export class SnapshotView {
  readonly accountId: string;
  readonly partition: string;
  private readonly buckets: Map<string, BucketRecord>;
  /** Worked out once: controls ask for the owned trails inside their loops. */
  private owned: TrailRecord[] | undefined;
  private byBucket: Map<string, TrailRecord[]> | undefined;

  constructor(
    readonly snapshot: Snapshot,
    readonly options: AssessOptions = {},
    /** When given, `ownedTrails` and `trailBuckets` list only these (controls judged per resource). */
    readonly focus?: Focus,
    /** The planner's memo of per-record answers (see RecordMemo); none outside the planner. */
    private readonly memo?: RecordMemo,
  ) {
    this.accountId = snapshot.account.Account;
    this.partition = snapshot.account.Partition;
    this.buckets = new Map(snapshot.s3.buckets.map((b) => [b.Name, b]));
  }

  /** Every trail seen, own and others' (organization trails), once each, by ARN. */
  get trails(): TrailRecord[] {
    return this.snapshot.cloudtrail.trails;
  }

  /** Trails this account owns: the ones whose settings it can change and is assessed on. */
  get ownedTrails(): TrailRecord[] {
    if (!this.owned) {
      const focus = this.focus;
      this.owned = this.trails.filter((t) => this.owns(t) && (!focus || focus.trails.has(t.config.TrailARN)));
    }
    return this.owned;
  }

  /** Trails seen here but owned elsewhere (organization trails seen from a member account). */
  get foreignTrails(): TrailRecord[] {
    return this.trails.filter((t) => !this.owns(t));
  }

  owns(trail: TrailRecord): boolean {
    const arn = trail.config.TrailARN;
    let account = ACCOUNT_OF_ARN.get(arn);
    if (account === undefined) {
      account = accountOfArn(arn);
      if (ACCOUNT_OF_ARN.size > 100_000) ACCOUNT_OF_ARN.clear();
      ACCOUNT_OF_ARN.set(arn, account);
    }
    return account === this.accountId;
  }

  bucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name);
  }

  collected(kind: EvidenceKind): boolean {
    return this.snapshot.collected.includes(kind);
  }

  /** Regions whose trail listing succeeded. */
  get discoveredRegions(): string[] {
    return this.snapshot.cloudtrail.discovery.filter((d) => d.result.ok).map((d) => d.region);
  }

  /** Regions whose trail listing failed, with the failure. */
  get failedDiscoveries() {
    return this.snapshot.cloudtrail.discovery.flatMap((d) =>
      d.result.ok ? [] : [{ region: d.region, failure: d.result.failure }],
    );
  }

  /** The owned trails' buckets, each with the trails that deliver to it, by bucket name. */
  trailBuckets(): Map<string, TrailRecord[]> {
    if (this.byBucket) return new Map(this.byBucket);
    const buckets = new Map<string, TrailRecord[]>();
    // Every trail that delivers to a bucket, also when the judgement is focused on the bucket alone.
    for (const trail of this.trails) {
      if (!this.owns(trail)) continue;
      const name = trail.config.S3BucketName;
      if (!name || (this.focus && !this.focus.buckets.has(name))) continue;
      const trails = buckets.get(name) ?? [];
      trails.push(trail);
      buckets.set(name, trails);
    }
    this.byBucket = new Map([...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return new Map(this.byBucket);
  }

  /**
   * `compute(record)`, or the answer worked out for the same record before in this plan. The answer must
   * depend only on the record, the account and what `purpose` names, and must not be changed by its user.
   */
  perRecord<R extends object, V>(purpose: string, record: R, compute: (record: R) => V): V {
    return this.memo ? this.memo.get(purpose, record, compute) : compute(record);
  }

  /** "Region eu-west-1", "3 Regions (a, b, c)", or "all 20 scanned Regions". */
  regionsPhrase(regions: readonly string[]): string {
    if (regions.length === 1) return `Region ${regions[0]}`;
    const scanned = this.snapshot.scope.regions;
    if (regions.length === scanned.length && scanned.every((r) => regions.includes(r)))
      return `all ${regions.length} scanned Regions`;
    return `${regions.length} Regions (${regions.join(', ')})`;
  }

  arnOfBucket(name: string): string {
    return `arn:${this.partition}:s3:::${name}`;
  }
}
