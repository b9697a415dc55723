import { trailConfigEvidence } from '../../evaluate/evidence.js';
import type { SnapshotView } from '../../evaluate/view.js';
import { code, rich } from '../../report/rich.js';
import { awsCli } from '../../remediate/shell.js';
import type { TrailRecord } from '../../snapshot/schema.js';
import { makeFinding, trailResource, unlistedRegionsFinding } from '../shared.js';
import type { ControlDefinition, Remediation } from '../types.js';
import { texts } from './texts.js';

/** A key policy that lets CloudTrail encrypt this account's trail logs and the account read them. */
export function cloudTrailKeyPolicy(partition: string, account: string, trailArn: string): string {
  const trailPattern = `arn:${partition}:cloudtrail:*:${account}:trail/*`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnableIamPolicies',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'AllowCloudTrailToEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailPattern },
        },
      },
      {
        Sid: 'AllowCloudTrailToDescribeKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
      },
      {
        Sid: 'AllowAccountToDecryptLogs',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:CallerAccount': account },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailPattern },
        },
      },
    ],
  });
}

/** The key must live in the Region of the bucket the logs go to. */
function keyRegionFor(view: SnapshotView, trail: TrailRecord): string {
  const bucket = trail.config.S3BucketName ? view.bucket(trail.config.S3BucketName) : undefined;
  return bucket?.location?.ok ? bucket.location.value.Region : trail.config.HomeRegion;
}

const KEY_ID = { raw: '"$KEY_ID"' };

function encryptTrail(view: SnapshotView, trail: TrailRecord): Remediation {
  const { Name, HomeRegion, TrailARN } = trail.config;
  const keyRegion = keyRegionFor(view, trail);
  const alias = `alias/cloudtrail-${Name.replace(/[^A-Za-z0-9/_-]/g, '-')}`.slice(0, 256);
  const policy = cloudTrailKeyPolicy(view.partition, view.accountId, TrailARN);
  return {
    summary: rich`Create a KMS key that CloudTrail may use (alias ${code(alias)}) and turn on SSE-KMS encryption for ${code(Name)}.`,
    cli: [
      `KEY_ID=$(${awsCli('kms', 'create-key', {
        region: keyRegion,
        description: `CloudTrail log encryption for trail ${Name}`,
        policy,
        query: 'KeyMetadata.KeyId',
        output: 'text',
      })})`,
      awsCli('kms', 'enable-key-rotation', { region: keyRegion, 'key-id': KEY_ID }),
      awsCli('kms', 'create-alias', { region: keyRegion, 'alias-name': alias, 'target-key-id': KEY_ID }),
      awsCli('cloudtrail', 'update-trail', {
        region: HomeRegion,
        name: Name,
        'kms-key-id': `arn:${view.partition}:kms:${keyRegion}:${view.accountId}:${alias}`,
      }),
    ],
    console: [
      `Open the CloudTrail console in ${HomeRegion}, choose Trails, then ${Name}.`,
      'In General details, choose Edit.',
      `Set Log file SSE-KMS encryption to Enabled, choose New, and enter the alias ${alias.replace(/^alias\//, '')} (CloudTrail writes the key policy for you), then choose Save changes.`,
    ],
  };
}

export const control: ControlDefinition = {
  id: 'CloudTrail.2',
  title: 'CloudTrail should have encryption at-rest enabled',
  severity: 'medium',
  resourceType: 'AwsCloudTrailTrail',
  needs: [{ kind: 'cloudtrail.trails' }],
  texts,
  evaluate(view) {
    const findings = view.ownedTrails.map((trail) => {
      const { Name, KmsKeyId } = trail.config;
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
      return makeFinding(control, {
        status: 'FAIL',
        resource,
        message: rich`Trail ${code(Name)} does not encrypt its log files with a KMS key (no KmsKeyId), so they are protected only by the bucket's own encryption.`,
        evidence,
        remediation: encryptTrail(view, trail),
      });
    });
    return [...findings, ...unlistedRegionsFinding(control, view, 'the encryption')];
  },
};
