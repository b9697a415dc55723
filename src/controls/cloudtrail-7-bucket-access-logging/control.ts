import { missingFact, observationEvidence, trailConfigEvidence } from '../../evaluate/evidence.js';
import type { MissingFact } from '../../evaluate/evidence.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, nameList, rich } from '../../report/rich.js';
import { BLOCK_ALL_PUBLIC_ACCESS, accessLogBucketPolicy } from '../../remediate/policies.js';
import { suggestBucketName } from '../../remediate/names.js';
import { createBucketCommand } from '../../remediate/s3-commands.js';
import { awsCli } from '../../remediate/shell.js';
import type { BucketRecord, TrailRecord } from '../../snapshot/schema.js';
import { bucketResource, makeFinding, settleUnknown, unlistedRegionsFinding } from '../shared.js';
import type { ControlDefinition, Finding, Remediation } from '../types.js';
import { texts } from './texts.js';

/** The owned trails' buckets, each with the trails that deliver to it. */
export function trailBuckets(view: SnapshotView): Map<string, TrailRecord[]> {
  const buckets = new Map<string, TrailRecord[]>();
  for (const trail of view.ownedTrails) {
    const name = trail.config.S3BucketName;
    if (!name) continue;
    const trails = buckets.get(name) ?? [];
    trails.push(trail);
    buckets.set(name, trails);
  }
  return new Map([...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function enableAccessLogging(view: SnapshotView, bucket: string, region: string): Remediation {
  const target = suggestBucketName(bucket, 'access-logs');
  const prefix = `${bucket}/`;
  return {
    summary: rich`Create a new S3 bucket (e.g. ${code(target)}) in ${region} and set it as the access log target of ${code(bucket)}.`,
    cli: [
      createBucketCommand(target, region),
      awsCli('s3api', 'put-public-access-block', {
        bucket: target,
        'public-access-block-configuration': BLOCK_ALL_PUBLIC_ACCESS,
      }),
      awsCli('s3api', 'put-bucket-encryption', {
        bucket: target,
        // Access log delivery supports SSE-S3 on the target bucket, not SSE-KMS.
        'server-side-encryption-configuration': JSON.stringify({
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        }),
      }),
      awsCli('s3api', 'put-bucket-policy', {
        bucket: target,
        policy: accessLogBucketPolicy(view.partition, view.accountId, target, bucket),
      }),
      awsCli('s3api', 'put-bucket-logging', {
        bucket,
        'bucket-logging-status': JSON.stringify({
          LoggingEnabled: { TargetBucket: target, TargetPrefix: prefix },
        }),
      }),
    ],
    console: [
      `Open the S3 console and choose Create bucket: name it ${target}, Region ${region}, keep “Block all public access” on.`,
      `Open bucket ${bucket}, choose Properties, then Server access logging, Edit.`,
      `Choose Enable, set the destination to s3://${target}/${prefix}, then Save changes (the console adds the bucket policy the logging service needs).`,
    ],
  };
}

/** What keeps an "access logging on" answer from being a PASS. */
function passBlockers(location: BucketRecord['location'], targetBucket: string | undefined): MissingFact[] {
  const blockers: MissingFact[] = [];
  const unlocated = missingFact(location, 's3:GetBucketLocation');
  if (unlocated) blockers.push(unlocated);
  if (!targetBucket) {
    blockers.push({ reason: 'the answer names no target bucket for the access logs (a malformed answer)' });
  }
  return blockers;
}

export const control: ControlDefinition = {
  id: 'CloudTrail.7',
  title: 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket',
  severity: 'low',
  resourceType: 'AwsS3Bucket',
  needs: [{ kind: 'cloudtrail.trails' }, { kind: 's3.bucketLogging' }],
  texts,
  evaluate(view) {
    const findings: Finding[] = [];
    for (const [bucket, trails] of trailBuckets(view)) {
      const trailNames = trails.map((t) => t.config.Name);
      const usedBy = rich`(the log bucket of trail ${nameList(trailNames)})`;
      const record = view.bucket(bucket);
      const location = record?.location;
      const region = location?.ok ? location.value.Region : (trails[0] as TrailRecord).config.HomeRegion;
      const resource = bucketResource(view, bucket, region);
      const evidence = trails.map((t) => trailConfigEvidence(t, ['HomeRegion', 'S3BucketName']));
      if (location)
        evidence.push(
          observationEvidence(location, (l) => ({ LocationConstraint: l.LocationConstraint ?? null })),
        );

      if (location && !location.ok && location.failure.kind === 'not-found') {
        findings.push(
          makeFinding(control, {
            status: 'UNKNOWN',
            resource,
            message: rich`Bucket ${code(bucket)} ${usedBy} does not exist (${location.failure.code}), so its access logging cannot be assessed – and the trail cannot deliver logs there either.`,
            evidence,
            remediation: {
              summary: rich`Point trail ${nameList(trailNames)} at an existing bucket, or create ${code(bucket)} again with a CloudTrail bucket policy.`,
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

      const logging = record?.logging;
      if (logging)
        evidence.push(observationEvidence(logging, (l) => ({ LoggingEnabled: l.LoggingEnabled ?? null })));
      const missing = !view.collected('s3.bucketLogging')
        ? missingFact(undefined, 's3:GetBucketLogging')
        : missingFact(logging, 's3:GetBucketLogging');
      if (missing || !logging?.ok) {
        const facts = missing ? [missing] : [];
        findings.push(
          makeFinding(control, {
            status: 'UNKNOWN',
            resource,
            message: rich`Access logging on bucket ${code(bucket)} ${usedBy} could not be read: ${facts.map((f) => f.reason).join('; ')}. If the bucket belongs to another account (a central log archive), assess it there.`,
            evidence,
            remediation: settleUnknown(facts, rich`bucket ${code(bucket)}`),
          }),
        );
        continue;
      }

      const enabled = logging.value.LoggingEnabled;
      // A PASS rests only on facts that were read: the bucket's Region too (it is where S3 answers for it,
      // and the finding names it), and a logging target (LoggingEnabled without one is not an answer).
      const unread = enabled ? passBlockers(location, enabled.TargetBucket) : [];
      if (unread.length > 0) {
        findings.push(
          makeFinding(control, {
            status: 'UNKNOWN',
            resource,
            message: rich`GetBucketLogging reports access logging on bucket ${code(bucket)} ${usedBy}, but trailcheck cannot confirm it: ${unread.map((f) => f.reason).join('; ')}.`,
            evidence,
            remediation: settleUnknown(unread, rich`bucket ${code(bucket)}`),
          }),
        );
        continue;
      }
      if (enabled) {
        const target = enabled.TargetBucket ?? '';
        const selfTarget = target === bucket;
        findings.push(
          makeFinding(control, {
            status: 'PASS',
            resource,
            message: selfTarget
              ? rich`Bucket ${code(bucket)} ${usedBy} has server access logging enabled, but writes the access logs into itself; a separate bucket would keep them safe from whoever can wipe the trail logs.`
              : rich`Bucket ${code(bucket)} ${usedBy} writes server access logs to bucket ${code(target)}${enabled.TargetPrefix ? rich` under ${code(enabled.TargetPrefix)}` : []}.`,
            evidence,
          }),
        );
        continue;
      }
      findings.push(
        makeFinding(control, {
          status: 'FAIL',
          resource,
          message: rich`Bucket ${code(bucket)} ${usedBy} has server access logging disabled, so nobody would know who read, changed or deleted its log files.`,
          evidence,
          remediation: enableAccessLogging(view, bucket, region),
        }),
      );
    }
    return [...findings, ...unlistedRegionsFinding(control, view, 'the access logging of the bucket')];
  },
};
