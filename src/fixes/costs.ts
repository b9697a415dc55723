/**
 * What a fix costs, said in its notes before anything is applied. Prices change and differ by Region, so
 * each note says what is charged and per what, and names the AWS pricing page, never a number.
 */
import { fieldAccepts } from '../evaluate/selectors.js';
import type { SnapshotView } from '../evaluate/view.js';
import type { TrailRecord } from '../snapshot/schema.js';

export const PRICING = {
  cloudTrail: 'the AWS CloudTrail pricing page',
  s3: 'the Amazon S3 pricing page',
  kms: 'the AWS Key Management Service pricing page',
  cloudWatch: 'the Amazon CloudWatch pricing page',
  sns: 'the Amazon SNS pricing page',
} as const;

/** S3 data events: `what` is what the trail will record, e.g. "every S3 object write in every bucket". */
export function s3DataEventsCost(trail: string, what: string): string {
  return `Charged per 100,000 data events recorded (see ${PRICING.cloudTrail}): trail ${trail} will record ${what}, which in a busy account can be millions of events a day.`;
}

export const NEW_KMS_KEY_COST = `Charged per month for the new customer managed KMS key while it exists, plus per request: CloudTrail calls the key for every log file it writes, and every reader decrypts (see ${PRICING.kms}).`;

export const KMS_REQUESTS_COST = `Charged per KMS request: CloudTrail calls the key for every log file it writes, and every reader decrypts (see ${PRICING.kms}).`;

export const CLOUDWATCH_LOGS_COST = `Charged per GB of events CloudWatch Logs ingests and per GB-month it stores (see ${PRICING.cloudWatch}); the log group keeps them forever until you set a retention.`;

export const METRIC_ALARM_COST = `Charged per alarm per month while the new CloudWatch alarm exists (see ${PRICING.cloudWatch}), and per SNS notification beyond SNS's free tier (see ${PRICING.sns}).`;

export const INSIGHTS_COST = `charged per 100,000 events analysed; see ${PRICING.cloudTrail}`;

export function newBucketCost(bucket: string): string {
  return `Charged per GB-month stored and per request in the new bucket ${bucket} (see ${PRICING.s3}); it grows with every log file delivered to it until a lifecycle rule removes old ones.`;
}

/** Whether a trail may be recording management events now (unread selectors count as may). */
function mayRecordManagementEvents(trail: TrailRecord): boolean {
  if (trail.status?.ok && trail.status.value.IsLogging === false) return false;
  const selectors = trail.eventSelectors?.ok ? trail.eventSelectors.value : undefined;
  if (!selectors) return true;
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) {
    return advanced.some((s) => {
      const category = s.FieldSelectors.find((f) => f.Field === 'eventCategory');
      return category !== undefined && fieldAccepts(category, 'Management');
    });
  }
  return (selectors.EventSelectors ?? []).some((s) => s.IncludeManagementEvents !== false);
}

/** Other trails that may be recording management events now. */
function otherManagementTrails(view: SnapshotView, trailArn: string | undefined): string[] {
  return view.trails
    .filter((t) => t.config.TrailARN !== trailArn && mayRecordManagementEvents(t))
    .map((t) => t.config.Name);
}

/**
 * For a change that makes an existing trail record management events it did not (made multi-Region, reads
 * added, started): CloudTrail delivers the first copy of management events free and charges for every
 * further copy, so the change is charged only when another trail records them already.
 */
export function secondCopyCost(view: SnapshotView, trail: string, trailArn: string): string | undefined {
  const others = otherManagementTrails(view, trailArn);
  if (others.length === 0) return undefined;
  return `Charged per 100,000 management events (see ${PRICING.cloudTrail}): trail ${others.join(', ')} already records management events, so the copy trail ${trail} adds is a second copy, and only the first copy is free.`;
}

/** For a new trail: charged when another trail records management events already, free otherwise. */
export function managementCopyCost(view: SnapshotView, trail: string, trailArn: string): string {
  return (
    secondCopyCost(view, trail, trailArn) ??
    `Management events are free for the first trail that records them; if another trail (another account's organization trail, say) records them too, the copy trail ${trail} adds is charged per 100,000 events (see ${PRICING.cloudTrail}).`
  );
}

export const FLOW_LOGS_COST = `Charged per GB of flow log records delivered to S3 (vended logs, see ${PRICING.cloudWatch}), plus S3 storage for the bucket that keeps them (see ${PRICING.s3}).`;

export const CONFIG_RECORDING_COST = `Charged per configuration item AWS Config records (every change to a recorded resource; see the AWS Config pricing page), plus S3 storage for the history it delivers (see ${PRICING.s3}).`;
