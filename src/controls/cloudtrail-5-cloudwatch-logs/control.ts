import { trailConfigEvidence } from '../../evaluate/evidence.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, rich } from '../../report/rich.js';
import { awsCli } from '../../remediate/shell.js';
import type { TrailRecord } from '../../snapshot/schema.js';
import { makeFinding, trailResource, unlistedRegionsFinding } from '../shared.js';
import type { ControlDefinition, Remediation } from '../types.js';
import { texts } from './texts.js';

/** IAM role names: at most 64 characters of [\w+=,.@-]. */
function roleNameFor(trail: string): string {
  return `CloudTrailToCloudWatchLogs-${trail}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

export function cloudWatchIntegration(view: SnapshotView, trail: TrailRecord): Remediation {
  const { Name, HomeRegion } = trail.config;
  const account = view.accountId;
  const partition = view.partition;
  const group = `aws-cloudtrail-logs-${Name}`;
  const role = roleNameFor(Name);
  const groupArn = `arn:${partition}:logs:${HomeRegion}:${account}:log-group:${group}`;
  // No aws:SourceArn condition: CloudTrail documents that confused-deputy conditions do not apply to
  // this role, so a role that demands one would not be assumable and delivery would fail.
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
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
  return {
    summary: rich`Create the log group ${code(group)} and a role CloudTrail may use (${code(role)}), and point trail ${code(Name)} at them.`,
    cli: [
      awsCli('logs', 'create-log-group', { region: HomeRegion, 'log-group-name': group }),
      awsCli('iam', 'create-role', {
        'role-name': role,
        'assume-role-policy-document': JSON.stringify(trust),
      }),
      awsCli('iam', 'put-role-policy', {
        'role-name': role,
        'policy-name': 'cloudtrail-to-cloudwatch-logs',
        'policy-document': JSON.stringify(permissions),
      }),
      awsCli('cloudtrail', 'update-trail', {
        region: HomeRegion,
        name: Name,
        'cloud-watch-logs-log-group-arn': `${groupArn}:*`,
        'cloud-watch-logs-role-arn': `arn:${partition}:iam::${account}:role/${role}`,
      }),
    ],
    console: [
      `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
      'In CloudWatch Logs, choose Edit, select Enabled, let the console create a new log group and IAM role, then choose Save changes.',
    ],
  };
}

export const control: ControlDefinition = {
  id: 'CloudTrail.5',
  title: 'CloudTrail trails should be integrated with Amazon CloudWatch Logs',
  severity: 'low',
  resourceType: 'AwsCloudTrailTrail',
  needs: [{ kind: 'cloudtrail.trails' }],
  texts,
  evaluate(view) {
    const findings = view.ownedTrails.map((trail) => {
      const { Name, CloudWatchLogsLogGroupArn } = trail.config;
      const evidence = [
        trailConfigEvidence(trail, ['HomeRegion', 'CloudWatchLogsLogGroupArn', 'CloudWatchLogsRoleArn']),
      ];
      if (CloudWatchLogsLogGroupArn) {
        return makeFinding(control, {
          status: 'PASS',
          resource: trailResource(trail),
          message: rich`Trail ${code(Name)} sends its events to the log group ${code(CloudWatchLogsLogGroupArn)}.`,
          evidence,
        });
      }
      return makeFinding(control, {
        status: 'FAIL',
        resource: trailResource(trail),
        message: rich`Trail ${code(Name)} is not integrated with CloudWatch Logs (no CloudWatchLogsLogGroupArn), so no metric filter or alarm sees its events.`,
        evidence,
        remediation: cloudWatchIntegration(view, trail),
      });
    });
    return [...findings, ...unlistedRegionsFinding(control, view, 'CloudWatch Logs integration')];
  },
};
