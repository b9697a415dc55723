import { trailConfigEvidence } from '../../evaluate/evidence.js';
import { code, rich } from '../../core/rich.js';
import { awsCli } from '../../fixes/shell.js';
import { makeFinding, trailResource, unlistedRegionsFinding } from '../shared.js';
import type { ControlDefinition } from '../types.js';
import { enableLogFileValidation } from './fix.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control: ControlDefinition = {
  id: 'CloudTrail.4',
  frameworks: listedAs({ securityhub: 'CloudTrail.4', cis12: '2.2', cis14: '3.2', cis3: '3.2' }),
  title: 'CloudTrail log file validation should be enabled',
  severity: 'low',
  resourceType: 'AwsCloudTrailTrail',
  scope: 'trail',
  needs: [{ kind: 'cloudtrail.trails' }],
  texts,
  fixPermissions: { calls: [['cloudtrail', 'UpdateTrail']] },
  evaluate(view) {
    const findings = view.ownedTrails.map((trail) => {
      const { Name, HomeRegion, LogFileValidationEnabled } = trail.config;
      const evidence = [trailConfigEvidence(trail, ['HomeRegion', 'LogFileValidationEnabled'])];
      const resource = trailResource(trail);
      if (LogFileValidationEnabled === undefined) {
        return makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message: rich`DescribeTrails did not report whether trail ${code(Name)} validates its log files.`,
          evidence,
          remediation: {
            summary: rich`Check trail ${code(Name)} in the CloudTrail console of ${HomeRegion} and run trailcheck again.`,
            cli: [awsCli('cloudtrail', 'get-trail', { region: HomeRegion, name: Name })],
            console: [],
          },
        });
      }
      if (LogFileValidationEnabled) {
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message: rich`Trail ${code(Name)} has log file validation enabled, so CloudTrail signs a digest of every log file it delivers.`,
          evidence,
        });
      }
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Trail ${code(Name)} has log file validation disabled, so nobody can prove its log files were not changed or deleted after delivery.`,
        evidence,
        proposal: enableLogFileValidation(trail),
      });
    });
    return [...findings, ...unlistedRegionsFinding(control, view, 'log file validation')];
  },
};
