import { describeMissing } from '../../evaluate/evidence.js';
import type { MissingFact } from '../../evaluate/evidence.js';
import { capitalizeRich, code, joinRich, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import { apiCall } from '../../fixes/builders.js';
import { awsCli } from '../../fixes/shell.js';
import type { LifecycleRule, TrailRecord } from '../../snapshot/schema.js';
import { assessTrailBuckets, bucketFact } from '../bucket-context.js';
import { makeFinding, settleUnknown } from '../shared.js';
import { optionValue } from '../options.js';
import type { ControlDefinition } from '../types.js';
import { minimumRetentionDays } from './options.js';
import { texts } from './texts.js';

/** Where a trail's log files live in its bucket. */
function logPrefix(trail: TrailRecord): string {
  return `${trail.config.S3KeyPrefix ? `${trail.config.S3KeyPrefix}/` : ''}AWSLogs/`;
}

function rulePrefix(rule: LifecycleRule): string {
  return rule.Prefix ?? rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? '';
}

/**
 * Does an enabled rule reach log files under `prefix`? Prefixes overlap either way; a tag filter does not
 * (CloudTrail does not tag its objects); a size filter does (some log files fall inside it).
 */
export function ruleReachesLogs(rule: LifecycleRule, prefix: string): boolean {
  if (rule.Status !== 'Enabled') return false;
  if (rule.Filter?.Tag !== undefined || (rule.Filter?.And?.Tags?.length ?? 0) > 0) return false;
  const own = rulePrefix(rule);
  return own.startsWith(prefix) || prefix.startsWith(own);
}

/** A default retention in days (S3 gives Days or Years; moto answers the other one as 0). */
function retentionDays(retention: { Days?: number; Years?: number }): number {
  return retention.Days || (retention.Years ?? 0) * 365;
}

function ruleName(rule: LifecycleRule, index: number): string {
  return rule.ID ? `'${rule.ID}'` : `number ${index + 1}`;
}

export const control: ControlDefinition = {
  id: 'TC.BucketRetention',
  title:
    'The CloudTrail bucket should protect log files from deletion and keep them for the retention period',
  severity: 'medium',
  resourceType: 'AwsS3Bucket',
  scope: 'bucket',
  needs: [
    { kind: 'cloudtrail.trails' },
    { kind: 's3.bucketVersioning' },
    { kind: 's3.bucketObjectLock' },
    { kind: 's3.bucketLifecycle' },
  ],
  texts,
  fixPermissions: { calls: [['s3', 'PutBucketVersioning']] },
  options: [minimumRetentionDays],
  evaluate(view) {
    const minimum = optionValue(view, minimumRetentionDays);
    return assessTrailBuckets(view, control, 'log retention', (bucket) => {
      const record = bucket.record;
      const versioning = bucketFact(
        view,
        bucket,
        's3.bucketVersioning',
        record?.versioning,
        's3:GetBucketVersioning',
        (v) => ({ ...v }),
      );
      const lock = bucketFact(
        view,
        bucket,
        's3.bucketObjectLock',
        record?.objectLock,
        's3:GetObjectLockConfiguration',
        (o) => ({ ...o }),
      );
      const lifecycle = bucketFact(
        view,
        bucket,
        's3.bucketLifecycle',
        record?.lifecycle,
        's3:GetBucketLifecycleConfiguration',
        (l) => ({
          Rules: l.Rules,
        }),
      );
      const { name, usedBy, resource, evidence } = bucket;
      const gaps: RichText[] = [];
      const unknown: MissingFact[] = [];

      const locked = lock.value?.ObjectLockEnabled === 'Enabled';
      const versioned = versioning.value?.Status === 'Enabled';
      // Object Lock locks a log file only through a default retention (CloudTrail sets none of its own).
      const retention = lock.value?.Rule?.DefaultRetention;
      const lockedDays = locked && retention ? retentionDays(retention) : 0;
      if (!locked && !versioned) {
        if (lock.missing) unknown.push(lock.missing);
        if (versioning.missing) unknown.push(versioning.missing);
        if (!lock.missing && !versioning.missing) {
          gaps.push(
            versioning.value?.Status === 'Suspended'
              ? rich`versioning is suspended and Object Lock is off, so a deleted log file is gone for good`
              : rich`neither versioning nor Object Lock is on, so a deleted or overwritten log file is gone for good`,
          );
        }
      }
      if (lifecycle.missing) unknown.push(lifecycle.missing);
      const protectionGaps = gaps.length;
      const prefixes = [...new Set(bucket.trails.map(logPrefix))];
      for (const [index, rule] of (lifecycle.value?.Rules ?? []).entries()) {
        if (!prefixes.some((p) => ruleReachesLogs(rule, p))) continue;
        const days = rule.Expiration?.Days;
        if (days !== undefined && days < minimum)
          gaps.push(rich`lifecycle rule ${ruleName(rule, index)} deletes log files after ${days} days`);
        if (rule.Expiration?.Date !== undefined)
          gaps.push(
            rich`lifecycle rule ${ruleName(rule, index)} deletes log files on ${rule.Expiration.Date.slice(0, 10)}`,
          );
        const noncurrent = rule.NoncurrentVersionExpiration?.NoncurrentDays;
        // A locked version outlives its noncurrent expiration until its retention ends.
        if (
          (versioned || locked) &&
          lockedDays < minimum &&
          noncurrent !== undefined &&
          noncurrent < minimum
        ) {
          gaps.push(
            rich`lifecycle rule ${ruleName(rule, index)} purges deleted or overwritten versions after ${noncurrent} days`,
          );
        }
      }

      if (gaps.length > 0) {
        const cli: string[] = [];
        const steps: RichText[] = [];
        if (!locked && !versioned) {
          cli.push(
            awsCli('s3api', 'put-bucket-versioning', {
              bucket: name,
              'versioning-configuration': 'Status=Enabled',
            }),
          );
          steps.push(rich`enable versioning on ${code(name)}`);
        }
        if (gaps.length > protectionGaps) {
          // Lifecycle rules hold fields trailcheck does not read (transitions…): edit them, never rewrite them blind.
          cli.push(
            `${awsCli('s3api', 'get-bucket-lifecycle-configuration', { bucket: name })} > lifecycle.json`,
            `# edit lifecycle.json: no Expiration or NoncurrentVersionExpiration under AWSLogs/ shorter than ${minimum} days`,
            awsCli('s3api', 'put-bucket-lifecycle-configuration', {
              bucket: name,
              'lifecycle-configuration': 'file://lifecycle.json',
            }),
          );
          steps.push(rich`keep log files at least ${minimum} days in its lifecycle rules`);
        }
        return makeFinding(control, {
          status: 'FAIL',
          resource,
          message: rich`Log files in bucket ${code(name)} ${usedBy} are not kept safely: ${joinRich(gaps, '; ')}.`,
          evidence,
          ...(gaps.length === protectionGaps
            ? {
                proposal: {
                  summary: rich`${capitalizeRich(joinRich(steps, ' and '))}.`,
                  calls: [
                    apiCall('s3', 'PutBucketVersioning', bucket.region, {
                      Bucket: name,
                      VersioningConfiguration: { Status: 'Enabled' },
                      ExpectedBucketOwner: view.accountId,
                    }),
                  ],
                  console: [
                    `Open the S3 console, choose bucket ${name}, then Properties: under Bucket Versioning choose Edit, Enable.`,
                  ],
                  notes: [
                    `Versioning keeps every overwritten or deleted log file of ${name} as an older version, charged per GB-month stored like any object (see the Amazon S3 pricing page) until a lifecycle rule removes it. Once on, versioning can only be suspended, not turned off.`,
                  ],
                },
              }
            : {
                remediation: {
                  summary: rich`${capitalizeRich(joinRich(steps, ' and '))}.`,
                  cli,
                  console: [
                    `Open the S3 console, choose bucket ${name}, then Properties: under Bucket Versioning choose Edit, Enable.`,
                    `Under Management, check each lifecycle rule that applies to AWSLogs/ keeps objects (and noncurrent versions) at least ${minimum} days.`,
                  ],
                },
              }),
        });
      }
      if (unknown.length > 0) {
        return makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message: rich`Log retention in bucket ${code(name)} ${usedBy} could not be assessed: ${describeMissing(unknown)}.`,
          evidence,
          remediation: settleUnknown(unknown, rich`bucket ${code(name)}`),
        });
      }
      const versioningText = rich`versioning is on${versioning.value?.MFADelete === 'Enabled' ? ' with MFA delete' : ''}`;
      const protection =
        lockedDays > 0
          ? rich`Object Lock keeps each log file ${lockedDays} days${retention?.Mode ? ` (${retention.Mode} mode)` : ''}`
          : locked
            ? rich`${versioningText} (Object Lock is enabled but sets no default retention, so it locks nothing CloudTrail writes)`
            : versioningText;
      return makeFinding(control, {
        status: 'PASS',
        resource,
        message: rich`Log files in bucket ${code(name)} ${usedBy} are protected: ${protection}, and no lifecycle rule deletes them before ${minimum} days.`,
        evidence,
      });
    });
  },
};
