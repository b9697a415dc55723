import type { ControlDefinition } from '../controls/types.js';
import type { EvidenceKind } from '../snapshot/schema.js';

/** The IAM actions collecting each piece of evidence needs. */
export const ACTIONS_BY_EVIDENCE: Readonly<Record<EvidenceKind, readonly string[]>> = {
  'cloudtrail.trails': ['cloudtrail:DescribeTrails'],
  'cloudtrail.status': ['cloudtrail:GetTrailStatus'],
  'cloudtrail.eventSelectors': ['cloudtrail:GetEventSelectors'],
  's3.bucketLogging': ['s3:GetBucketLocation', 's3:GetBucketLogging'],
};

/** Needed by every scan: finding the enabled Regions (sts:GetCallerIdentity needs no permission). */
export const BASE_ACTIONS: readonly string[] = ['ec2:DescribeRegions'];

/** The least-privilege action list for scanning with the given controls. */
export function scanActions(controls: readonly ControlDefinition[]): string[] {
  const actions = new Set(BASE_ACTIONS);
  actions.add('cloudtrail:DescribeTrails');
  for (const control of controls) {
    for (const need of control.needs)
      for (const action of ACTIONS_BY_EVIDENCE[need.kind]) actions.add(action);
  }
  return [...actions].sort();
}
