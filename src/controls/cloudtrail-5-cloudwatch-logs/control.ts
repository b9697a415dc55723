import { trailConfigEvidence } from '../../evaluate/evidence.js';
import { code, rich } from '../../core/rich.js';
import { makeFinding, trailResource, unlistedRegionsFinding } from '../shared.js';
import type { ControlDefinition } from '../types.js';
import { CLOUDWATCH_ROLE_GRANT, cloudWatchIntegration } from './fix.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control: ControlDefinition = {
  id: 'CloudTrail.5',
  frameworks: listedAs({ securityhub: 'CloudTrail.5', cis12: '2.4', cis14: '3.4' }),
  title: 'CloudTrail trails should be integrated with Amazon CloudWatch Logs',
  severity: 'low',
  resourceType: 'AwsCloudTrailTrail',
  scope: 'trail',
  needs: [{ kind: 'cloudtrail.trails' }],
  texts,
  fixPermissions: {
    calls: [
      ['logs', 'CreateLogGroup'],
      ['iam', 'CreateRole'],
      ['iam', 'PutRolePolicy'],
      ['cloudtrail', 'UpdateTrail'],
      // undo
      ['iam', 'DeleteRolePolicy'],
      ['iam', 'DeleteRole'],
    ],
    passRole: CLOUDWATCH_ROLE_GRANT,
  },
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
        proposal: cloudWatchIntegration(view, trail),
      });
    });
    return [...findings, ...unlistedRegionsFinding(control, view, 'CloudWatch Logs integration')];
  },
};
