import {
  failureEvidence,
  missingFact,
  missingFromFailure,
  observationEvidence,
} from '../../evaluate/evidence.js';
import { explainFailures } from '../../aws/errors.js';
import { code, rich } from '../../core/rich.js';
import { awsCli } from '../../fixes/shell.js';
import { accountResource, makeFinding, settleUnknown, unscannedRegionsFinding } from '../shared.js';
import type { ControlDefinition, Finding } from '../types.js';
import { texts } from './texts.js';
import { listedAs } from '../../frameworks/index.js';

export const control: ControlDefinition = {
  id: 'CloudTrail.10',
  frameworks: listedAs({ securityhub: 'CloudTrail.10' }),
  title: 'CloudTrail Lake event data stores should be encrypted with customer managed AWS KMS keys',
  severity: 'medium',
  resourceType: 'AwsCloudTrailEventDataStore',
  needs: [{ kind: 'cloudtrail.eventDataStores' }],
  texts,
  evaluate(view) {
    const lake = view.snapshot.cloudtrail.eventDataStores;
    if (!lake) {
      const missing = missingFact(undefined, 'cloudtrail:ListEventDataStores');
      return missing
        ? [
            makeFinding(control, {
              status: 'UNKNOWN',
              resource: accountResource(view),
              message: rich`CloudTrail Lake could not be assessed: ${missing.reason}.`,
              evidence: [],
              remediation: settleUnknown([missing], rich`CloudTrail Lake`),
            }),
          ]
        : [];
    }
    const findings: Finding[] = lake.stores.map((store) => {
      const name = store.details.ok
        ? (store.details.value.Name ?? store.EventDataStoreArn)
        : store.EventDataStoreArn;
      const resource = {
        type: 'AwsCloudTrailEventDataStore' as const,
        id: store.EventDataStoreArn,
        name,
        region: store.Region,
      };
      const evidence = [
        observationEvidence(store.details, (d) => ({
          Name: d.Name ?? null,
          KmsKeyId: d.KmsKeyId ?? null,
          Status: d.Status ?? null,
        })),
      ];
      if (!store.details.ok) {
        const missing = missingFromFailure(store.details.failure);
        return makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message: rich`Event data store ${code(name)} could not be read: ${missing.reason}.`,
          evidence,
          remediation: settleUnknown([missing], rich`event data store ${code(name)}`),
        });
      }
      const key = store.details.value.KmsKeyId;
      if (key) {
        return makeFinding(control, {
          status: 'PASS',
          resource,
          message: rich`Event data store ${code(name)} is encrypted with the customer managed key ${code(key)}.`,
          evidence,
        });
      }
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Event data store ${code(name)} is encrypted with a key AWS owns (no KmsKeyId), not a customer managed key.`,
        evidence,
        remediation: {
          summary: rich`Set a customer managed KMS key on event data store ${code(name)} (this cannot be undone).`,
          cli: [
            awsCli('cloudtrail', 'update-event-data-store', {
              region: store.Region,
              'event-data-store': store.EventDataStoreArn,
              'kms-key-id': '<key-arn-in-the-same-region>',
            }),
          ],
          console: [
            `Open the CloudTrail console in ${store.Region}, choose Lake, then Event data stores, then ${name}; choose Edit and set Encryption to your own KMS key.`,
          ],
        },
      });
    });
    findings.push(
      ...unscannedRegionsFinding(control, view, 'the encryption of any event data store in another Region'),
    );
    const failedListings = lake.discovery.flatMap((d) =>
      d.result.ok ? [] : [{ region: d.region, failure: d.result.failure }],
    );
    if (failedListings.length > 0) {
      const regions = failedListings.map((f) => f.region);
      const missing = failedListings.map((f) => missingFromFailure(f.failure));
      const where = view.regionsPhrase(regions);
      findings.push(
        makeFinding(control, {
          status: 'UNKNOWN',
          resource: { ...accountResource(view), name: `event data stores in ${where}` },
          message: rich`CloudTrail Lake event data stores could not be listed in ${where} (${explainFailures(failedListings.map((f) => f.failure))}), so any store there was not checked.`,
          evidence: failedListings.map((f) => failureEvidence(f.failure)),
          remediation: settleUnknown(missing, rich`CloudTrail Lake in ${where}`),
        }),
      );
    }
    return findings;
  },
};
