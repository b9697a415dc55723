import {
  describeMissing,
  missingFact,
  observationEvidence,
  trailConfigEvidence,
} from '../evaluate/evidence.js';
import type { MissingFact } from '../evaluate/evidence.js';
import type { SnapshotView } from '../evaluate/view.js';
import { code, nameList, rich } from '../core/rich.js';
import type { RichText } from '../core/rich.js';
import { awsCli } from '../fixes/shell.js';
import type {
  BucketLogging,
  BucketRecord,
  EvidenceKind,
  Observation,
  TrailRecord,
} from '../snapshot/schema.js';
import { bucketResource, makeFinding, settleUnknown, unlistedRegionsFinding } from './shared.js';
import type { ControlDefinition, Evidence, Finding, ResourceRef } from './types.js';

/** What every bucket-level control knows about one trail bucket. */
export interface TrailBucket {
  name: string;
  trails: TrailRecord[];
  record: BucketRecord | undefined;
  /** The bucket's Region, or the first trail's home Region when the location is unknown. */
  region: string;
  resource: ResourceRef;
  /** "(the log bucket of trail X)" */
  usedBy: RichText;
  /** Which trails deliver here and where the bucket is. */
  evidence: Evidence[];
}

type Fact<T> = { value: T; missing?: undefined } | { value?: undefined; missing: MissingFact };

/**
 * A piece of bucket evidence, or why it is missing: not collected for this control set, or the call
 * failed. The observation's evidence is appended to the bucket's evidence either way.
 */
export function bucketFact<T>(
  view: SnapshotView,
  bucket: TrailBucket,
  kind: EvidenceKind,
  observation: Observation<T> | undefined,
  operation: string,
  pick: (value: T) => Record<string, unknown>,
): Fact<T> {
  if (observation) bucket.evidence.push(observationEvidence(observation, pick));
  const missing = view.collected(kind)
    ? missingFact(observation, operation)
    : missingFact(undefined, operation);
  if (missing || !observation?.ok) return { missing: missing ?? { reason: `${operation} was not read` } };
  return { value: observation.value };
}

/** LoggingEnabled without a TargetBucket: AWS always names one, so this answer says nothing. */
export const MALFORMED_LOGGING: MissingFact = {
  reason: 's3:GetBucketLogging reported access logging on but named no target bucket (a malformed answer)',
};

/**
 * The bucket's access-logging setting (adding its evidence), as CloudTrail.7 and TC.AccessLogTarget both
 * judge it: missing when it could not be read or names no target bucket; null when logging is off.
 */
export function bucketLoggingFact(
  view: SnapshotView,
  bucket: TrailBucket,
): Fact<NonNullable<BucketLogging['LoggingEnabled']> | null> {
  const logging = bucketFact(
    view,
    bucket,
    's3.bucketLogging',
    bucket.record?.logging,
    's3:GetBucketLogging',
    (l) => ({
      LoggingEnabled: l.LoggingEnabled ?? null,
    }),
  );
  if (logging.missing) return logging;
  const enabled = logging.value.LoggingEnabled;
  if (enabled && !enabled.TargetBucket) return { missing: MALFORMED_LOGGING };
  return { value: enabled ?? null };
}

/** The UNKNOWN finding for a bucket whose facts are missing, naming what would settle it. */
export function unknownBucketFinding(
  control: Pick<ControlDefinition, 'id' | 'title' | 'severity'>,
  bucket: TrailBucket,
  what: string,
  missing: readonly MissingFact[],
): Finding {
  return makeFinding(control, {
    status: 'UNKNOWN',
    resource: bucket.resource,
    message: rich`The ${what} of bucket ${code(bucket.name)} ${bucket.usedBy} could not be read: ${describeMissing(missing)}. If the bucket belongs to another account (a central log archive), assess it there.`,
    evidence: bucket.evidence,
    remediation: settleUnknown(missing, rich`bucket ${code(bucket.name)}`),
  });
}

/**
 * Runs a bucket-level rule over every bucket the account's trails deliver to. A bucket that no longer
 * exists cannot be judged by any of them: it is UNKNOWN, and says the trail cannot deliver either. Regions
 * whose trails could not be listed give one UNKNOWN finding too.
 */
export function assessTrailBuckets(
  view: SnapshotView,
  control: Pick<ControlDefinition, 'id' | 'title' | 'severity'>,
  what: string,
  rule: (bucket: TrailBucket) => Finding | undefined,
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, trails] of view.trailBuckets()) {
    const record = view.bucket(name);
    const location = record?.location;
    const region = location?.ok ? location.value.Region : (trails[0] as TrailRecord).config.HomeRegion;
    const trailNames = trails.map((t) => t.config.Name);
    const bucket: TrailBucket = {
      name,
      trails,
      record,
      region,
      resource: bucketResource(view, name, region),
      usedBy: rich`(the log bucket of trail ${nameList(trailNames)})`,
      evidence: trails.map((t) => trailConfigEvidence(t, ['HomeRegion', 'S3BucketName'])),
    };
    if (location) {
      bucket.evidence.push(
        observationEvidence(location, (l) => ({ LocationConstraint: l.LocationConstraint ?? null })),
      );
    }
    if (location && !location.ok && location.failure.kind === 'not-found') {
      findings.push(
        makeFinding(control, {
          status: 'UNKNOWN',
          resource: bucket.resource,
          message: rich`Bucket ${code(name)} ${bucket.usedBy} does not exist (${location.failure.code}), so its ${what} cannot be assessed – and the trail cannot deliver logs there either.`,
          evidence: bucket.evidence,
          remediation: {
            summary: rich`Point trail ${nameList(trailNames)} at an existing bucket, or create ${code(name)} again with a CloudTrail bucket policy.`,
            cli: trails.map((t) =>
              awsCli('cloudtrail', 'update-trail', {
                region: t.config.HomeRegion,
                name: t.config.Name,
                's3-bucket-name': '<existing-bucket>',
              }),
            ),
            console: [],
          },
        }),
      );
      continue;
    }
    const finding = rule(bucket);
    if (!finding) continue;
    // A PASS rests only on facts that were read, the bucket's Region included: it is where S3 answers
    // for the bucket, and the finding names it. Without it, the verdict is UNKNOWN, naming the call.
    const unlocated = finding.status === 'PASS' ? missingFact(location, 's3:GetBucketLocation') : undefined;
    if (unlocated) {
      findings.push(
        makeFinding(control, {
          status: 'UNKNOWN',
          resource: bucket.resource,
          message: rich`The ${what} of bucket ${code(name)} ${bucket.usedBy} was read from ${region}, but the bucket's own Region could not be confirmed: ${describeMissing([unlocated])}.`,
          evidence: finding.evidence,
          remediation: settleUnknown([unlocated], rich`bucket ${code(name)}`),
        }),
      );
      continue;
    }
    findings.push(finding);
  }
  return [...findings, ...unlistedRegionsFinding(control, view, `the ${what} of the bucket`)];
}
