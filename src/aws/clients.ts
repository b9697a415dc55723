import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { CallLog } from './call-log.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export interface AwsAccessOptions {
  /** A named profile from the shared config files; otherwise the standard chain decides. */
  profile?: string;
  /** Explicit credentials (tests, embedding); otherwise the standard provider chain is used. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call, first try included. */
  maxAttempts?: number;
  /** Per-request socket timeout in milliseconds. */
  requestTimeoutMs?: number;
  /** Environment to read endpoint settings from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * One endpoint for every service (an emulator), for embedding and tests. The CLI leaves it unset: the
   * SDK then honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> itself.
   */
  endpoint?: string;
}

interface Instrumentable {
  middlewareStack: {
    add: (
      middleware: (
        next: (args: unknown) => Promise<{ output: unknown }>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<{ output: unknown }>,
      options: { step: 'initialize'; name: string },
    ) => void;
  };
}

interface Metadata {
  $metadata?: { attempts?: number };
}

/**
 * True when the standard endpoint variables point the SDK somewhere other than AWS (an emulator):
 * S3 then has to use path-style addressing, since `bucket.localhost` does not resolve.
 */
export function usesCustomS3Endpoint(env: NodeJS.ProcessEnv): boolean {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

/**
 * The one place SDK clients are built: same credentials, retry policy, timeouts and call counting for
 * every service and region. Collectors ask it for clients; controls never see it.
 */
export class AwsClientFactory {
  readonly callLog = new CallLog();
  private readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  private readonly cache = new Map<string, unknown>();
  private readonly forcePathStyle: boolean;

  constructor(private readonly options: AwsAccessOptions = {}) {
    // One provider for all clients, so SSO tokens and assumed roles are resolved once per scan.
    this.credentials =
      options.credentials ??
      fromNodeProviderChain(options.profile !== undefined ? { profile: options.profile } : {});
    this.forcePathStyle = options.endpoint !== undefined || usesCustomS3Endpoint(options.env ?? process.env);
  }

  private commonConfig(region: string) {
    return {
      region,
      credentials: this.credentials,
      maxAttempts: this.options.maxAttempts ?? 3,
      retryMode: 'standard',
      customUserAgent: `${TOOL_NAME}/${TOOL_VERSION}`,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: this.options.requestTimeoutMs ?? 20_000 },
      ...(this.options.profile !== undefined ? { profile: this.options.profile } : {}),
      ...(this.options.endpoint !== undefined ? { endpoint: this.options.endpoint } : {}),
    } as const;
  }

  private cached<T>(service: string, region: string, build: () => T): T {
    const key = `${service}:${region}`;
    let client = this.cache.get(key) as T | undefined;
    if (client === undefined) {
      client = build();
      this.instrument(client as unknown as Instrumentable, service, region);
      this.cache.set(key, client);
    }
    return client;
  }

  private instrument(client: Instrumentable, service: string, region: string): void {
    const log = this.callLog;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        try {
          const result = await next(args);
          log.record(operation, region, (result.output as Metadata).$metadata?.attempts ?? 1, false);
          return result;
        } catch (error) {
          log.record(operation, region, (error as Metadata).$metadata?.attempts ?? 1, true);
          throw error;
        }
      },
      { step: 'initialize', name: 'trailcheckCallLog' },
    );
  }

  cloudTrail(region: string): CloudTrailClient {
    return this.cached('cloudtrail', region, () => new CloudTrailClient(this.commonConfig(region)));
  }

  s3(region: string): S3Client {
    return this.cached(
      's3',
      region,
      () =>
        new S3Client({
          ...this.commonConfig(region),
          forcePathStyle: this.forcePathStyle,
          followRegionRedirects: true,
        }),
    );
  }

  kms(region: string): KMSClient {
    return this.cached('kms', region, () => new KMSClient(this.commonConfig(region)));
  }

  /**
   * S3 Control puts the account id in front of the host name, which an emulator endpoint cannot take
   * (`123456789012.127.0.0.1`): with a custom endpoint, every request goes to it as given.
   */
  s3Control(region: string): S3ControlClient {
    const custom = this.customEndpoint('S3_CONTROL');
    return this.cached(
      's3control',
      region,
      () =>
        new S3ControlClient({
          ...this.commonConfig(region),
          ...(custom !== undefined ? { endpointProvider: () => ({ url: new URL(custom) }) } : {}),
        }),
    );
  }

  /** The endpoint configured for a service: the explicit option, else the standard variables. */
  private customEndpoint(serviceVariable: string): string | undefined {
    if (this.options.endpoint !== undefined) return this.options.endpoint;
    const env = this.options.env ?? process.env;
    if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return undefined;
    return env[`AWS_ENDPOINT_URL_${serviceVariable}`] ?? env.AWS_ENDPOINT_URL;
  }

  ec2(region: string): EC2Client {
    return this.cached('ec2', region, () => new EC2Client(this.commonConfig(region)));
  }

  sts(region: string): STSClient {
    return this.cached('sts', region, () => new STSClient(this.commonConfig(region)));
  }

  /** CloudWatch Logs, for `trailcheck fix` (CloudTrail.5's log group). */
  logs(region: string): CloudWatchLogsClient {
    return this.cached('logs', region, () => new CloudWatchLogsClient(this.commonConfig(region)));
  }

  /** IAM is global; `region` picks the partition's endpoint (the scan's control Region). */
  iam(region: string): IAMClient {
    return this.cached('iam', region, () => new IAMClient(this.commonConfig(region)));
  }

  /** Closes every socket the clients opened, so a CLI run exits promptly. */
  destroy(): void {
    for (const client of this.cache.values()) (client as { destroy(): void }).destroy();
    this.cache.clear();
  }
}

/**
 * The Region the scan starts from (identity and Region discovery): the profile's or environment's Region
 * when one is configured, else us-east-1, which every commercial account can reach.
 */
export async function resolveControlRegion(options: AwsAccessOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const fromEnv = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  const probe = new STSClient(options.profile !== undefined ? { profile: options.profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}
