import {
  describeMissing,
  missingFact,
  missingFromFailure,
  observationEvidence,
} from '../../evaluate/evidence.js';
import type { MissingFact } from '../../evaluate/evidence.js';
import { code, rich } from '../../core/rich.js';
import { rotatable } from '../../collect/kms-rotation.js';
import { makeFinding, settleUnknown, unscannedRegionsFinding } from '../shared.js';
import { notCollectedFinding, regionUnknownFinding } from '../regional-evidence.js';
import type { ControlDefinition, Finding, ResourceRef } from '../types.js';
import { enableKeyRotation } from './fix.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

/** The key's id, the last part of its ARN: what the console lists. */
const idOfArn = (arn: string): string => arn.split('/').pop() ?? arn;

export const control: ControlDefinition = {
  id: 'KMS.4',
  frameworks: listedAs({ securityhub: 'KMS.4', cis12: '2.8', cis14: '3.8', cis3: '3.6' }),
  title: 'AWS KMS key rotation should be enabled',
  severity: 'medium',
  resourceType: 'AwsKmsKey',
  needs: [{ kind: 'kms.keyRotation' }],
  texts,
  fixPermissions: {
    calls: [
      ['kms', 'EnableKeyRotation'],
      ['kms', 'DisableKeyRotation'],
    ],
  },
  evaluate(view) {
    const section = view.snapshot.keyRotation;
    if (!section)
      return [
        notCollectedFinding(control, view, 'kms:ListKeys', 'KMS key rotation'),
        ...unscannedRegionsFinding(control, view, 'the rotation of any key in another Region'),
      ];
    const findings: Finding[] = [];
    for (const listing of section.listings) {
      if (!listing.result.ok) {
        findings.push(
          regionUnknownFinding(
            control,
            view,
            listing.region,
            [missingFromFailure(listing.result.failure)],
            rich`The rotation of the KMS keys`,
            `KMS keys in ${listing.region}`,
          ),
        );
      } else if (listing.result.value.Unread > 0) {
        const { KeyCount, Unread } = listing.result.value;
        findings.push(
          regionUnknownFinding(
            control,
            view,
            listing.region,
            [
              {
                reason: `the Region has ${KeyCount} keys and trailcheck reads at most ${KeyCount - Unread} a Region, so ${Unread} were listed but not checked`,
              },
            ],
            rich`The rotation of ${String(Unread)} KMS keys`,
            `KMS keys in ${listing.region} not read`,
          ),
        );
      }
    }
    for (const key of section.keys) {
      const keyId = key.describe.ok ? (key.describe.value.KeyId ?? idOfArn(key.KeyArn)) : idOfArn(key.KeyArn);
      const resource: ResourceRef = { type: 'AwsKmsKey', id: key.KeyArn, name: keyId, region: key.Region };
      const evidence = [observationEvidence(key.describe, (m) => ({ ...m }))];
      const unknown = (missing: MissingFact[]) =>
        makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message: rich`Whether KMS key ${code(key.KeyArn)} rotates could not be checked: ${describeMissing(missing)}.`,
          // The failed call itself, so the finding names what could not be read, where.
          evidence: [...evidence, ...missing.flatMap((m) => (m.evidence ? [m.evidence] : []))],
          remediation: settleUnknown(missing, rich`KMS key ${code(key.KeyArn)}`),
        });
      if (!key.describe.ok) {
        findings.push(unknown([missingFromFailure(key.describe.failure)]));
        continue;
      }
      // Keys that cannot rotate automatically (or are off or going) are not judged, as Security Hub does.
      if (!rotatable(key.describe.value)) continue;
      const rotationMissing = missingFact(key.rotation, 'kms:GetKeyRotationStatus');
      if (rotationMissing || !key.rotation?.ok) {
        findings.push(unknown([rotationMissing ?? { reason: 'kms:GetKeyRotationStatus was not read' }]));
        continue;
      }
      evidence.push(observationEvidence(key.rotation, (r) => ({ ...r })));
      if (key.rotation.value.KeyRotationEnabled) {
        const period = key.rotation.value.RotationPeriodInDays;
        findings.push(
          makeFinding(control, {
            status: 'PASS',
            resource,
            message: rich`KMS key ${code(key.KeyArn)} rotates its key material automatically${period ? ` every ${period} days` : ''}.`,
            evidence,
          }),
        );
        continue;
      }
      findings.push(
        makeFinding(control, {
          status: 'FAIL',
          resource,
          message: rich`KMS key ${code(key.KeyArn)} is an enabled customer managed key with automatic rotation off, so it encrypts with the same key material for as long as it exists.`,
          evidence,
          proposal: enableKeyRotation(keyId, key.KeyArn, key.Region),
        }),
      );
    }
    return [
      ...findings,
      ...unscannedRegionsFinding(control, view, 'the rotation of any key in another Region'),
    ];
  },
};
