import { missingFact, observationEvidence, trailConfigEvidence } from '../../evaluate/evidence.js';
import { code, joinRich, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import { secondCopyCost } from '../../fixes/costs.js';
import { startLogging } from '../../fixes/builders.js';
import { awsCli } from '../../fixes/shell.js';
import { accountOfArn } from '../../core/arn.js';
import { makeFinding, trailResource, unknownTrailFinding, unlistedRegionsFinding } from '../shared.js';
import { optionValue } from '../options.js';
import type { ControlDefinition } from '../types.js';
import { maximumDeliveryAgeHours } from './options.js';
import { texts } from './texts.js';

function hoursBetween(earlier: string, later: string): number {
  return (Date.parse(later) - Date.parse(earlier)) / 3_600_000;
}

function age(hours: number): string {
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${Math.floor(hours)} hours`;
}

export const control: ControlDefinition = {
  id: 'TC.DeliveryHealth',
  title: 'CloudTrail trails should be logging and delivering without errors',
  severity: 'high',
  resourceType: 'AwsCloudTrailTrail',
  scope: 'trail',
  needs: [
    { kind: 'cloudtrail.trails' },
    { kind: 'cloudtrail.status', trails: (t, account) => accountOfArn(t.TrailARN) === account },
  ],
  texts,
  fixPermissions: {
    calls: [
      ['cloudtrail', 'StartLogging'],
      // undo
      ['cloudtrail', 'StopLogging'],
    ],
  },
  options: [maximumDeliveryAgeHours],
  evaluate(view) {
    const maxAge = optionValue(view, maximumDeliveryAgeHours);
    // Judged at the moment the evidence was collected, so a replayed snapshot gives the same verdict.
    const now = view.snapshot.finishedAt;
    const findings = view.ownedTrails.map((trail) => {
      const { Name, HomeRegion, LogFileValidationEnabled, CloudWatchLogsLogGroupArn } = trail.config;
      const resource = trailResource(trail);
      const evidence = [
        trailConfigEvidence(trail, ['HomeRegion', 'LogFileValidationEnabled', 'CloudWatchLogsLogGroupArn']),
      ];
      if (trail.status) evidence.push(observationEvidence(trail.status, (s) => ({ ...s })));
      const missing = missingFact(trail.status, 'cloudtrail:GetTrailStatus');
      if (missing || !trail.status?.ok) {
        return unknownTrailFinding(control, trail, 'delivery status', missing ? [missing] : [], evidence);
      }
      const status = trail.status.value;
      const problems: RichText[] = [];
      if (status.IsLogging !== true) {
        problems.push(
          status.StopLoggingTime
            ? rich`it has been stopped since ${status.StopLoggingTime}`
            : rich`it is not logging`,
        );
      }
      if (status.LatestDeliveryError)
        problems.push(rich`delivery to S3 fails with ${code(status.LatestDeliveryError)}`);
      if (LogFileValidationEnabled && status.LatestDigestDeliveryError) {
        problems.push(rich`digest delivery fails with ${code(status.LatestDigestDeliveryError)}`);
      }
      if (CloudWatchLogsLogGroupArn && status.LatestCloudWatchLogsDeliveryError) {
        problems.push(
          rich`delivery to CloudWatch Logs fails with ${code(status.LatestCloudWatchLogsDeliveryError)}`,
        );
      }
      if (status.IsLogging === true) {
        if (status.LatestDeliveryTime) {
          const hours = hoursBetween(status.LatestDeliveryTime, now);
          if (hours > maxAge)
            problems.push(rich`its last log file was delivered ${age(hours)} before the scan`);
        } else if (status.StartLoggingTime && hoursBetween(status.StartLoggingTime, now) > maxAge) {
          problems.push(
            rich`it has delivered no log file since it started, ${age(hoursBetween(status.StartLoggingTime, now))} before the scan`,
          );
        }
        if (LogFileValidationEnabled && status.LatestDigestDeliveryTime) {
          const hours = hoursBetween(status.LatestDigestDeliveryTime, now);
          if (hours > maxAge)
            problems.push(rich`its last digest file was delivered ${age(hours)} before the scan`);
        }
      }
      if (problems.length === 0) {
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message: status.LatestDeliveryTime
            ? rich`Trail ${code(Name)} is logging and last delivered a log file at ${status.LatestDeliveryTime}, with no delivery errors.`
            : rich`Trail ${code(Name)} is logging, with no delivery errors (it started recently and has not delivered yet).`,
          evidence,
        });
      }
      const stopped = status.IsLogging !== true;
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Trail ${code(Name)} is not delivering its logs: ${joinRich(problems, '; ')}.`,
        evidence,
        ...(stopped
          ? {
              proposal: {
                summary: rich`Start logging on trail ${code(Name)}${problems.length > 1 ? ', then fix the delivery errors' : ''}.`,
                calls: [startLogging(trail)],
                console: [
                  `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}, and choose Start logging.`,
                ],
                notes: [
                  `CloudTrail delivers the first log file of ${Name} within about 15 minutes of starting; until then its last delivery still looks old.`,
                  ...[secondCopyCost(view, Name, trail.config.TrailARN)].filter((n) => n !== undefined),
                ],
              },
            }
          : {
              remediation: {
                summary: rich`Fix what blocks delivery for trail ${code(Name)}: check that its bucket still exists and that the bucket policy and KMS key policy let CloudTrail write (see the bucket-policy and KMS-key checks).`,
                cli: [
                  awsCli('cloudtrail', 'get-trail-status', {
                    region: HomeRegion,
                    name: trail.config.TrailARN,
                  }),
                ],
                console: [
                  `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}; the trail page shows the last delivery error.`,
                ],
              },
            }),
      });
    });
    return [...findings, ...unlistedRegionsFinding(control, view, 'delivery')];
  },
};
