import { accountOfArn } from '../collect/cloudtrail.js';
import type { BucketRecord, EvidenceKind, Snapshot, TrailRecord } from '../snapshot/schema.js';

/**
 * Read-only questions about a snapshot that several controls ask. Kept here so each control states its
 * rule, not the bookkeeping.
 */
export class SnapshotView {
  readonly accountId: string;
  readonly partition: string;
  private readonly buckets: Map<string, BucketRecord>;

  constructor(readonly snapshot: Snapshot) {
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
    return this.trails.filter((t) => this.owns(t));
  }

  /** Trails seen here but owned elsewhere (organization trails seen from a member account). */
  get foreignTrails(): TrailRecord[] {
    return this.trails.filter((t) => !this.owns(t));
  }

  owns(trail: TrailRecord): boolean {
    return accountOfArn(trail.config.TrailARN) === this.accountId;
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

  arnOfBucket(name: string): string {
    return `arn:${this.partition}:s3:::${name}`;
  }
}
