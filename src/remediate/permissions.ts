/**
 * The IAM permissions `trailcheck fix` needs: to read the evidence (as a scan does), to check that the
 * names it creates are free, to make each control's fix, and to undo it if a later step fails.
 */
import { scanActions } from '../controls/scan-policy.js';
import type { ControlDefinition } from '../controls/types.js';
import { iamActionOf } from '../fixes/calls.js';
import type { PassRoleGrant } from '../fixes/permissions.js';

/** Before creating a bucket, role, alias or log group, fix asks whether the name is free. */
export const PROBE_ACTIONS: readonly string[] = [
  's3:ListBucket',
  'iam:GetRole',
  'kms:DescribeKey',
  'logs:DescribeLogGroups',
  'cloudwatch:DescribeAlarms',
  'sns:ListTopics',
];

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{
    Sid: string;
    Effect: 'Allow';
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string>>;
  }>;
}

/** The IAM actions of every call the controls declare their fixes (and undos) may make. */
export function fixWriteActions(controls: readonly ControlDefinition[]): string[] {
  const actions = new Set<string>();
  for (const control of controls) {
    for (const [service, operation] of control.fixPermissions?.calls ?? [])
      actions.add(iamActionOf({ service, operation }));
    for (const action of control.fixPermissions?.alsoActions ?? []) actions.add(action);
  }
  return [...actions].sort();
}

/** The roles the controls' fixes hand to a service, one grant per statement. */
function passRoleGrants(controls: readonly ControlDefinition[]): PassRoleGrant[] {
  const grants = new Map<string, PassRoleGrant>();
  for (const control of controls) {
    const grant = control.fixPermissions?.passRole;
    if (grant) grants.set(grant.sid, grant);
  }
  return [...grants.values()];
}

export function scanPolicy(controls: readonly ControlDefinition[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'TrailcheckScan', Effect: 'Allow', Action: scanActions(controls), Resource: '*' }],
  };
}

/** Scan, name checks, the fixes and their undos; iam:PassRole only for the roles the fixes create, only to their service. */
export function fixPolicy(controls: readonly ControlDefinition[], partition = 'aws'): PolicyDocument {
  const reads = [...new Set([...scanActions(controls), ...PROBE_ACTIONS])].sort();
  const statements: PolicyDocument['Statement'] = [
    { Sid: 'TrailcheckRead', Effect: 'Allow', Action: reads, Resource: '*' },
  ];
  const writes = fixWriteActions(controls);
  if (writes.length > 0)
    statements.push({ Sid: 'TrailcheckFix', Effect: 'Allow', Action: writes, Resource: '*' });
  for (const grant of passRoleGrants(controls))
    statements.push({
      Sid: grant.sid,
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: `arn:${partition}:iam::*:role/${grant.roleNames}`,
      Condition: { StringEquals: { 'iam:PassedToService': grant.toService } },
    });
  return { Version: '2012-10-17', Statement: statements };
}
