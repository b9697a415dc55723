import { trailConfigEvidence } from '../../evaluate/evidence.js';
import { code, rich } from '../../core/rich.js';
import { makeFinding, trailResource, unlistedRegionsFinding } from '../shared.js';
import type { ControlDefinition } from '../types.js';
import { encryptTrail, keyRegionFor } from './fix.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export { cloudTrailKeyPolicy } from '../../fixes/policies.js';

export const control: ControlDefinition = {
  id: 'CloudTrail.2',
  frameworks: listedAs({ securityhub: 'CloudTrail.2', cis12: '2.7', cis14: '3.7', cis3: '3.5' }),
  title: 'CloudTrail should have encryption at-rest enabled',
  severity: 'medium',
  resourceType: 'AwsCloudTrailTrail',
  scope: 'trail',
  needs: [{ kind: 'cloudtrail.trails' }],
  texts,
  fixPermissions: {
    calls: [
      ['kms', 'CreateKey'],
      ['kms', 'CreateAlias'],
      ['kms', 'EnableKeyRotation'],
      ['cloudtrail', 'UpdateTrail'],
      // undo
      ['kms', 'DeleteAlias'],
    ],
  },
  evaluate(view) {
    const findings = view.ownedTrails.map((trail) => {
      const { Name, KmsKeyId, HomeRegion } = trail.config;
      const evidence = [trailConfigEvidence(trail, ['HomeRegion', 'KmsKeyId', 'S3BucketName'])];
      const resource = trailResource(trail);
      if (KmsKeyId) {
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message: rich`Trail ${code(Name)} encrypts its log files with the KMS key ${code(KmsKeyId)}.`,
          evidence,
        });
      }
      const fix = encryptTrail(view, trail);
      const given = view.options.remediation?.kmsKeyArn;
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Trail ${code(Name)} does not encrypt its log files with a KMS key (no KmsKeyId), so they are protected only by the bucket's own encryption.`,
        evidence,
        ...(fix
          ? { proposal: fix }
          : {
              // Only with --kms-key: CloudTrail needs the key in the bucket's Region.
              remediation: {
                summary: rich`Use a KMS key in ${keyRegionFor(view, trail)}, where the bucket of ${code(Name)} is: the key ${code(given ?? '')} is in another Region.`,
                cli: [],
                console: [
                  `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}, Edit, and pick or create a key in ${keyRegionFor(view, trail)} under Log file SSE-KMS encryption.`,
                ],
              },
            }),
      });
    });
    return [...findings, ...unlistedRegionsFinding(control, view, 'the encryption')];
  },
};
