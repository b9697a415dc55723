/** SDK clients that seed scenarios in moto through the real API, and the settings that point trailcheck at it. */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AwsAccessOptions } from '../../src/aws/clients.js';
import type { MotoServer } from './moto.js';

export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIATESTTESTTESTTEST',
  secretAccessKey: 'test-secret-not-real',
};
export const ACCOUNT = '123456789012';

export interface SeedClients {
  cloudtrail: (region?: string) => CloudTrailClient;
  s3: (region?: string) => S3Client;
  kms: (region?: string) => KMSClient;
  iam: () => IAMClient;
  logs: (region?: string) => CloudWatchLogsClient;
  cloudWatch: (region?: string) => CloudWatchClient;
  sns: (region?: string) => SNSClient;
  ec2: (region?: string) => EC2Client;
  config: (region?: string) => ConfigServiceClient;
}

/** Temporary or long-term keys for a client (AssumeRole gives a session token). */
export interface MotoCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Clients for seeding a scenario (not trailcheck's own: those come from its factory). With `credentials`
 * from AssumeRole they act in that role's account (moto routes a request by the key that signed it).
 */
export function seedClients(moto: MotoServer, credentials: MotoCredentials = TEST_CREDENTIALS): SeedClients {
  const base = (region: string) => ({
    region,
    endpoint: moto.endpoint,
    credentials,
    maxAttempts: 1,
  });
  return {
    cloudtrail: (region = 'us-east-1') => new CloudTrailClient(base(region)),
    s3: (region = 'us-east-1') => new S3Client({ ...base(region), forcePathStyle: true }),
    kms: (region = 'us-east-1') => new KMSClient(base(region)),
    iam: () => new IAMClient(base('us-east-1')),
    logs: (region = 'us-east-1') => new CloudWatchLogsClient(base(region)),
    cloudWatch: (region = 'us-east-1') => new CloudWatchClient(base(region)),
    sns: (region = 'us-east-1') => new SNSClient(base(region)),
    ec2: (region = 'us-east-1') => new EC2Client(base(region)),
    config: (region = 'us-east-1') => new ConfigServiceClient(base(region)),
  };
}

/** How an in-process scan reaches moto. */
export function motoAccess(moto: MotoServer, credentials = TEST_CREDENTIALS): AwsAccessOptions {
  return {
    endpoint: moto.endpoint,
    credentials,
    maxAttempts: 2,
    env: { AWS_REGION: 'us-east-1' },
  };
}

/** Environment for running the trailcheck CLI against moto the way a user would (AWS_ENDPOINT_URL). */
export function motoEnv(moto: MotoServer, credentials = TEST_CREDENTIALS): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/trailcheck-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/trailcheck-test-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/**
 * The environment a benchmarked tool (trailcheck or a peer) runs in: moto's, reached through the latency
 * proxy at `endpoint`, with a home of its own and no colour.
 */
export function benchToolEnv(endpoint: string, moto: MotoServer, home: string): NodeJS.ProcessEnv {
  return {
    ...motoEnv(moto),
    AWS_ENDPOINT_URL: endpoint,
    AWS_DEFAULT_REGION: 'us-east-1',
    HOME: home,
    NO_COLOR: '1',
  };
}
