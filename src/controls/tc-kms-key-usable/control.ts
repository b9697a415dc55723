import { accountOfArn } from '../../core/arn.js';
import {
  describeMissing,
  missingFact,
  missingFromFailure,
  observationEvidence,
  trailConfigEvidence,
} from '../../evaluate/evidence.js';
import type { MissingFact } from '../../evaluate/evidence.js';
import {
  CLOUDTRAIL_ABSENT_KEYS,
  CLOUDTRAIL_REQUEST_CONTEXT,
  decideServiceRequest,
  parsePolicy,
} from '../../evaluate/policy.js';
import { code, joinRich, rich } from '../../core/rich.js';
import type { RichText } from '../../core/rich.js';
import { apiCall } from '../../fixes/builders.js';
import { awsCli } from '../../fixes/shell.js';
import { cloudTrailKeyPolicy } from '../cloudtrail-2-kms-encryption/control.js';
import { makeFinding, settleUnknown, trailResource, unlistedRegionsFinding } from '../shared.js';
import type { ControlDefinition, FixProposal, Remediation } from '../types.js';
import { texts } from './texts.js';

/**
 * The key policy with CloudTrail's statements added (those it lacks, by Sid). Every statement already there
 * stays: replacing a key policy could take access away from whoever else uses the key.
 */
export function withCloudTrailStatements(
  current: string,
  partition: string,
  account: string,
  trailArn: string,
): string {
  const document = JSON.parse(current) as { Statement?: unknown; [key: string]: unknown };
  const statements = Array.isArray(document.Statement)
    ? (document.Statement as Array<{ Sid?: unknown }>)
    : document.Statement
      ? [document.Statement as { Sid?: unknown }]
      : [];
  const sids = new Set(statements.map((s) => s.Sid));
  const template = JSON.parse(cloudTrailKeyPolicy(partition, account, trailArn)) as {
    Statement: Array<{ Sid: string }>;
  };
  const additions = template.Statement.filter((s) => s.Sid !== 'EnableIamPolicies' && !sids.has(s.Sid));
  return JSON.stringify({ ...document, Statement: [...statements, ...additions] });
}

export const control: ControlDefinition = {
  id: 'TC.KmsKeyUsable',
  title: 'The KMS key of each encrypted trail should exist, be enabled and let CloudTrail use it',
  severity: 'high',
  resourceType: 'AwsCloudTrailTrail',
  scope: 'trail',
  needs: [{ kind: 'cloudtrail.trails' }, { kind: 'kms.keys' }, { kind: 's3.bucketLocation' }],
  texts,
  fixPermissions: {
    calls: [
      ['kms', 'PutKeyPolicy'],
      ['kms', 'EnableKey'],
      // undo
      ['kms', 'DisableKey'],
    ],
  },
  evaluate(view) {
    const keys = new Map((view.snapshot.kms?.keys ?? []).map((k) => [k.KeyId, k]));
    // Trails in Regions that could not be listed or scanned are unseen: say so, never stay silent.
    const unseen = unlistedRegionsFinding(control, view, 'the KMS key');
    const perTrail = view.ownedTrails.flatMap((trail) => {
      const { Name, KmsKeyId, TrailARN, HomeRegion } = trail.config;
      if (!KmsKeyId) return [];
      const resource = trailResource(trail);
      const evidence = [trailConfigEvidence(trail, ['HomeRegion', 'KmsKeyId', 'S3BucketName'])];
      const record = keys.get(KmsKeyId);
      const unknown = (missing: MissingFact[]) =>
        makeFinding(control, {
          status: 'UNKNOWN',
          resource,
          message: rich`The KMS key ${code(KmsKeyId)} of trail ${code(Name)} could not be checked: ${describeMissing(missing)}. If the key belongs to another account, check it there.`,
          evidence,
          remediation: settleUnknown(missing, rich`key ${code(KmsKeyId)}`),
        });
      if (!record) return [unknown([missingFact(undefined, 'kms:DescribeKey') as MissingFact])];
      evidence.push(observationEvidence(record.describe, (d) => ({ ...d })));
      const fail = (problem: RichText, fix: Remediation | FixProposal) =>
        makeFinding(control, {
          status: 'FAIL',
          resource,
          message: rich`Trail ${code(Name)} cannot encrypt its logs with the KMS key ${code(KmsKeyId)}: ${problem}, so CloudTrail delivers no log file.`,
          evidence,
          ...('calls' in fix ? { proposal: fix } : { remediation: fix }),
        });
      const replaceKey: Remediation = {
        summary: rich`Give trail ${code(Name)} an enabled customer managed key that CloudTrail may use (see CloudTrail.2 for the commands), or remove encryption until then.`,
        cli: [],
        console: [
          `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}, Edit, and pick or create a key under Log file SSE-KMS encryption.`,
        ],
      };

      if (!record.describe.ok) {
        const failure = record.describe.failure;
        const ours = !KmsKeyId.startsWith('arn:') || accountOfArn(KmsKeyId) === view.accountId;
        if (failure.kind === 'not-found' && ours)
          return [fail(rich`the key does not exist (${failure.code})`, replaceKey)];
        return [unknown([missingFromFailure(failure)])];
      }
      const meta = record.describe.value;
      const keyArn = meta.Arn ?? KmsKeyId;
      if (meta.KeyState !== undefined && meta.KeyState !== 'Enabled') {
        const region = record.Region;
        const remedy: Remediation | FixProposal =
          meta.KeyState === 'Disabled'
            ? {
                summary: rich`Enable the KMS key ${code(keyArn)} again.`,
                // By key id: the key is in this account and Region (and moto 5.2.1 fails EnableKey by ARN).
                calls: [apiCall('kms', 'EnableKey', region, { KeyId: meta.KeyId ?? keyArn })],
                console: [`Open the KMS console in ${region}, choose the key, then Key actions, Enable.`],
              }
            : meta.KeyState === 'PendingDeletion'
              ? {
                  summary: rich`Cancel the scheduled deletion of key ${code(keyArn)} and enable it again.`,
                  cli: [
                    awsCli('kms', 'cancel-key-deletion', { region, 'key-id': keyArn }),
                    awsCli('kms', 'enable-key', { region, 'key-id': keyArn }),
                  ],
                  console: [
                    `Open the KMS console in ${region}, choose the key, then Key actions, Cancel key deletion, then Enable.`,
                  ],
                }
              : replaceKey;
        return [
          fail(
            rich`the key is ${meta.KeyState}${meta.DeletionDate ? ` (deletion on ${meta.DeletionDate.slice(0, 10)})` : ''}`,
            remedy,
          ),
        ];
      }
      if (meta.KeyManager === 'AWS')
        return [
          fail(rich`it is an AWS managed key, and CloudTrail needs a customer managed key`, replaceKey),
        ];

      const problems: RichText[] = [];
      const missing: MissingFact[] = [];
      let policyDenies = false;
      let regionMismatch = false;
      if (record.policy) evidence.push(observationEvidence(record.policy, (p) => ({ Policy: p.Policy })));
      const policyMissing = missingFact(record.policy, 'kms:GetKeyPolicy');
      if (policyMissing || !record.policy?.ok) {
        missing.push(policyMissing ?? { reason: 'kms:GetKeyPolicy was not read' });
      } else {
        const parsed = parsePolicy(record.policy.value.Policy);
        if (!parsed.ok) missing.push({ reason: `the key policy cannot be read: ${parsed.error}` });
        else {
          const decision = decideServiceRequest(parsed.statements, {
            service: 'cloudtrail.amazonaws.com',
            action: 'kms:GenerateDataKey',
            resource: keyArn,
            context: {
              'aws:SourceArn': TrailARN,
              'aws:SourceAccount': view.accountId,
              'kms:EncryptionContext:aws:cloudtrail:arn': TrailARN,
              ...CLOUDTRAIL_REQUEST_CONTEXT,
            },
            knownKeys: CLOUDTRAIL_ABSENT_KEYS,
          });
          if (decision.allowed === 'no') {
            policyDenies = true;
            problems.push(
              rich`its key policy does not let cloudtrail.amazonaws.com call kms:GenerateDataKey for this trail`,
            );
          }
          if (decision.allowed === 'unknown')
            missing.push({
              reason: 'the key policy has conditions trailcheck cannot evaluate for CloudTrail',
            });
        }
      }
      const bucketName = trail.config.S3BucketName;
      const location = bucketName ? view.bucket(bucketName)?.location : undefined;
      if (location)
        evidence.push(observationEvidence(location, (l) => ({ Bucket: bucketName, Region: l.Region })));
      const keyRegion = keyArn.startsWith('arn:') ? keyArn.split(':')[3] : record.Region;
      if (location?.ok && keyRegion !== location.value.Region) {
        regionMismatch = true;
        problems.push(
          rich`the key is in ${keyRegion ?? '?'} but the bucket ${code(bucketName ?? '')} is in ${location.value.Region}, and CloudTrail needs both in one Region`,
        );
      } else if (!location?.ok) {
        // A failed read carries its cause (a denial names the permission); a bucket never read says so.
        missing.push(
          !bucketName
            ? { reason: 'the trail names no bucket' }
            : location
              ? (missingFact(location, 's3:GetBucketLocation') ?? {
                  reason: `the Region of bucket ${bucketName} is unknown`,
                })
              : { reason: `the Region of bucket ${bucketName} is unknown: the bucket was not read` },
        );
      }

      if (problems.length > 0) {
        // A key in the wrong Region cannot be fixed by its policy: the trail needs another key.
        if (regionMismatch || !policyDenies || !record.policy?.ok)
          return [fail(joinRich(problems, '; '), replaceKey)];
        const policyFix: FixProposal = {
          summary: rich`Let CloudTrail use key ${code(keyArn)} for trail ${code(Name)} by adding the CloudTrail statements to its key policy.`,
          calls: [
            apiCall('kms', 'PutKeyPolicy', record.Region, {
              KeyId: keyArn,
              PolicyName: 'default',
              Policy: withCloudTrailStatements(
                record.policy.value.Policy,
                view.partition,
                view.accountId,
                TrailARN,
              ),
            }),
          ],
          console: [
            `Open the KMS console in ${record.Region}, choose the key, then Key policy, Edit, and allow cloudtrail.amazonaws.com kms:GenerateDataKey* for your trails.`,
          ],
        };
        return [fail(joinRich(problems, '; '), policyFix)];
      }
      if (missing.length > 0) return [unknown(missing)];
      return [
        makeFinding(control, {
          status: 'PASS',
          resource,
          message: rich`The KMS key ${code(keyArn)} of trail ${code(Name)} is enabled, customer managed, in the bucket’s Region, and its policy lets CloudTrail encrypt this trail’s logs.`,
          evidence,
        }),
      ];
    });
    return [...perTrail, ...unseen];
  },
};
