/** CloudTrail.5's fix: a log group and a role CloudTrail may use, and the trail pointed at both. */
import { code, rich } from '../../core/rich.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { apiCall, existingNames } from '../../fixes/builders.js';
import { CLOUDWATCH_LOGS_COST } from '../../fixes/costs.js';
import { firstFree } from '../../fixes/names.js';
import type { PassRoleGrant } from '../../fixes/permissions.js';
import type { TrailRecord } from '../../snapshot/schema.js';
import type { FixProposal } from '../types.js';

/** The start of every role cloudWatchIntegration creates: iam-policy --for fix lets only these be passed. */
export const CLOUDWATCH_ROLE_PREFIX = 'CloudTrailToCloudWatchLogs-';

/** IAM role names: at most 64 characters of [\w+=,.@-]. */
export function cloudWatchRoleName(view: SnapshotView, trail: string): string {
  const base = `${CLOUDWATCH_ROLE_PREFIX}${trail}`.replace(/[^\w+=,.@-]/g, '-');
  const roles = existingNames(view).roles ?? [];
  return firstFree(
    (n) => (n === 1 ? base.slice(0, 64) : `${base.slice(0, 64 - String(n).length - 1)}-${n}`),
    (name) => roles.includes(name),
  );
}

/** The fix hands its new role to CloudTrail, and only that role: iam-policy --for fix allows just this. */
export const CLOUDWATCH_ROLE_GRANT: PassRoleGrant = {
  sid: 'TrailcheckPassCloudWatchLogsRole',
  roleNames: `${CLOUDWATCH_ROLE_PREFIX}*`,
  toService: 'cloudtrail.amazonaws.com',
};

export function cloudWatchIntegration(view: SnapshotView, trail: TrailRecord): FixProposal {
  const { Name, HomeRegion } = trail.config;
  const account = view.accountId;
  const partition = view.partition;
  const group = `aws-cloudtrail-logs-${Name}`;
  const role = cloudWatchRoleName(view, Name);
  const groupArn = `arn:${partition}:logs:${HomeRegion}:${account}:log-group:${group}`;
  const iamRegion = view.snapshot.scope.controlRegion;
  // No aws:SourceArn condition: CloudTrail documents that confused-deputy conditions do not apply to
  // this role, so a role that demands one would not be assumable and delivery would fail.
  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };
  const permissions = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${groupArn}:log-stream:${account}_CloudTrail_${HomeRegion}*`,
      },
    ],
  };
  const groupExists = (view.options.remediation?.existing?.logGroups ?? []).includes(group);
  return {
    summary: groupExists
      ? rich`Create a role CloudTrail may use (${code(role)}) and point trail ${code(Name)} at it and at the existing log group ${code(group)}.`
      : rich`Create the log group ${code(group)} and a role CloudTrail may use (${code(role)}), and point trail ${code(Name)} at them.`,
    calls: [
      ...(groupExists ? [] : [apiCall('logs', 'CreateLogGroup', HomeRegion, { logGroupName: group })]),
      apiCall('iam', 'CreateRole', iamRegion, {
        RoleName: role,
        AssumeRolePolicyDocument: JSON.stringify(trust),
        Description: `Lets CloudTrail deliver trail ${Name} to CloudWatch Logs (created by trailcheck)`,
      }),
      apiCall('iam', 'PutRolePolicy', iamRegion, {
        RoleName: role,
        PolicyName: 'cloudtrail-to-cloudwatch-logs',
        PolicyDocument: JSON.stringify(permissions),
      }),
      apiCall('cloudtrail', 'UpdateTrail', HomeRegion, {
        Name,
        CloudWatchLogsLogGroupArn: `${groupArn}:*`,
        CloudWatchLogsRoleArn: `arn:${partition}:iam::${account}:role/${role}`,
      }),
    ],
    console: [
      `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
      'In CloudWatch Logs, choose Edit, select Enabled, let the console create a new log group and IAM role, then choose Save changes.',
    ],
    notes: [CLOUDWATCH_LOGS_COST],
  };
}
