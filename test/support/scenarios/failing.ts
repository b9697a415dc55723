/**
 * One failing account per fix, built through the real API: each fails exactly the controls its fix is
 * for, so `trailcheck fix --apply --yes --controls …` on it must end in PASS.
 */
import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { DisableKeyCommand } from '@aws-sdk/client-kms';
import { cloudTrailKeyPolicy } from '../../../src/fixes/policies.js';
import { ACCOUNT } from '../aws.js';
import type { SeedClients } from '../aws.js';
import { createBucket, createKey, createTrail, createTrailBucket, enableAccessLogging } from './builders.js';
import { cloudTrailStatements, putBucketPolicy, exposedAccount, trailArn } from './more-builders.js';

export interface FailingScenario {
  name: string;
  /** The controls the fix is for (they fail before, and pass after). */
  controls: string[];
  seed: (aws: SeedClients) => Promise<void>;
  /** Extra flags for fix (e.g. --kms-key). */
  flags?: (aws: SeedClients) => Promise<string[]>;
}

const healthyTrail = async (aws: SeedClients, extra: Partial<Parameters<typeof createTrail>[1]> = {}) => {
  await createTrailBucket(aws, 'audit-logs', 'Audit');
  await createTrail(aws, {
    name: 'Audit',
    bucket: 'audit-logs',
    multiRegion: true,
    logFileValidation: true,
    ...extra,
  });
};

export const FAILING_SCENARIOS: FailingScenario[] = [
  {
    name: 'CloudTrail.4: a trail without log file validation',
    controls: ['CloudTrail.4'],
    seed: (aws) => healthyTrail(aws, { logFileValidation: false }),
  },
  {
    name: 'CloudTrail.7: a trail bucket in eu-west-1 without access logging',
    controls: ['CloudTrail.7', 'TC.AccessLogTarget'],
    seed: async (aws) => {
      await createTrailBucket(aws, 'irish-logs', 'Irish', 'eu-west-1');
      await createTrail(aws, {
        name: 'Irish',
        bucket: 'irish-logs',
        multiRegion: true,
        logFileValidation: true,
      });
    },
  },
  {
    name: 'TC.AccessLogTarget: a trail bucket that writes its access logs into itself',
    controls: ['TC.AccessLogTarget', 'CloudTrail.7'],
    seed: async (aws) => {
      await healthyTrail(aws);
      await enableAccessLogging(aws, 'audit-logs', 'audit-logs');
    },
  },
  {
    name: 'CloudTrail.2: a trail without a KMS key, its bucket in another Region (a new key there)',
    controls: ['CloudTrail.2', 'TC.KmsKeyUsable'],
    seed: async (aws) => {
      await createTrailBucket(aws, 'irish-logs', 'Audit', 'eu-west-1');
      await createTrail(aws, {
        name: 'Audit',
        bucket: 'irish-logs',
        multiRegion: true,
        logFileValidation: true,
      });
    },
  },
  {
    name: 'CloudTrail.2 with --kms-key: an existing key whose policy lets CloudTrail use it',
    controls: ['CloudTrail.2', 'TC.KmsKeyUsable'],
    seed: (aws) => healthyTrail(aws),
    flags: async (aws) => [
      '--kms-key',
      await createKey(
        aws,
        'alias/given',
        'us-east-1',
        cloudTrailKeyPolicy('aws', ACCOUNT, trailArn('Audit')),
      ),
    ],
  },
  {
    name: 'CloudTrail.1 and .3: an account with no trail at all',
    controls: ['CloudTrail.1', 'CloudTrail.3'],
    seed: () => Promise.resolve(),
  },
  {
    name: 'CloudTrail.1: a stopped single-Region trail recording only reads',
    controls: ['CloudTrail.1', 'CloudTrail.3'],
    seed: (aws) =>
      healthyTrail(aws, {
        multiRegion: false,
        logging: false,
        eventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
      }),
  },
  {
    name: 'TC.DeliveryHealth: a multi-Region trail that was stopped',
    controls: ['TC.DeliveryHealth'],
    seed: async (aws) => {
      await healthyTrail(aws);
      await aws.cloudtrail().send(new StopLoggingCommand({ Name: 'Audit' }));
    },
  },
  {
    name: 'CloudTrail.6: a trail bucket with a public ACL grant and a public policy statement',
    controls: ['CloudTrail.6'],
    seed: (aws) => exposedAccount(aws, true),
  },
  {
    name: 'CloudTrail.5: a trail that does not send its events to CloudWatch Logs',
    controls: ['CloudTrail.5'],
    seed: (aws) => healthyTrail(aws),
  },
  {
    name: 'TC.BucketPolicyScoped: a CloudTrail write grant without aws:SourceArn',
    controls: ['TC.BucketPolicyScoped'],
    seed: async (aws) => {
      await createBucket(aws, 'audit-logs');
      const [aclCheck, write] = cloudTrailStatements('audit-logs', 'Audit');
      await putBucketPolicy(aws, 'audit-logs', [
        { ...aclCheck!, Condition: undefined },
        { ...write!, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
      ]);
      await createTrail(aws, {
        name: 'Audit',
        bucket: 'audit-logs',
        multiRegion: true,
        logFileValidation: true,
      });
    },
  },
  {
    name: 'TC.BucketRetention: a trail bucket without versioning or Object Lock',
    controls: ['TC.BucketRetention'],
    seed: (aws) => healthyTrail(aws),
  },
  {
    name: 'TC.S3ObjectWrites and Reads: a trail recording management events only',
    controls: ['TC.S3ObjectWrites', 'TC.S3ObjectReads', 'CloudTrail.1'],
    seed: (aws) => healthyTrail(aws),
  },
  {
    name: 'TC.KmsKeyUsable: a trail whose key was disabled',
    controls: ['TC.KmsKeyUsable'],
    seed: async (aws) => {
      const arn = await createKey(
        aws,
        'alias/audit',
        'us-east-1',
        cloudTrailKeyPolicy('aws', ACCOUNT, trailArn('Audit')),
      );
      await healthyTrail(aws, { kmsKeyId: arn });
      // By id: moto 5.2.1 fails DisableKey by ARN.
      await aws.kms().send(new DisableKeyCommand({ KeyId: arn.split('/').pop() }));
    },
  },
];
