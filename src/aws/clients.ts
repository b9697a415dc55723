import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { Gate } from '../util/concurrency.js';
import { CallLog } from './call-log.js';
import { DeadlineExceededError, RegionDeadlines } from './deadline.js';
import {
  MalformedResponseError,
  STREAMING_OPERATIONS,
  bodySyntaxOf,
  hasRawPayload,
  JSON_PAYLOAD_OPERATIONS,
  isEvidenceRead,
  wellFormedBody,
} from './response-guard.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

/** Attempts per call, first try included, unless told otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** The time one Region may take, unless told otherwise (`--timeout`). */
export const DEFAULT_REGION_TIMEOUT_MS = 120_000;
/** Per-attempt socket timeout: one silent connection must not eat a Region's whole time limit. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

/**
 * The most calls in flight at once per endpoint, that is per service and Region: AWS meters its API rates
 * per account, service and Region, so the bound is per endpoint and a scan of many Regions still runs every
 * Region at once. CloudTrail's control plane is the tightest (and a Region holds at most five trails, so
 * eight covers a Region's trail reads in two round trips); S3 answers bucket settings at far higher rates.
 * Retries hold their slot, so a throttled endpoint slows down instead of piling up.
 */
export const ENDPOINT_CONCURRENCY: Readonly<Record<string, number>> = {
  cloudtrail: 8,
  s3: 32,
  s3control: 4,
  kms: 8,
  ec2: 4,
  sts: 4,
  organizations: 2,
};
const FALLBACK_ENDPOINT_CONCURRENCY = 8;

export interface AwsAccessOptions {
  /** A named profile from the shared config files; otherwise the standard chain decides. */
  profile?: string;
  /** Explicit credentials (tests, embedding); otherwise the standard provider chain is used. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call, first try included (default 3). */
  maxAttempts?: number;
  /** The SDK's retry mode: `standard` (default) or `adaptive` (client-side rate limiting as well). */
  retryMode?: 'standard' | 'adaptive';
  /** Per-attempt socket timeout in milliseconds. */
  requestTimeoutMs?: number;
  /**
   * Overall time limit per Region in milliseconds, from its first call (default 120 s). When it runs out,
   * the Region's calls in flight are aborted and later ones fail at once, as `timeout` failures.
   */
  regionTimeoutMs?: number;
  /** Environment to read endpoint settings from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * One endpoint for every service (an emulator), for embedding and tests. The CLI leaves it unset: the
   * SDK then honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> itself.
   */
  endpoint?: string;
  /** Calls in flight per service and Region, by service, over `ENDPOINT_CONCURRENCY` (tests, embedding). */
  endpointConcurrency?: Readonly<Record<string, number>>;
}

type Handler = (args: unknown) => Promise<{ output: unknown; response: unknown }>;

interface Instrumentable {
  middlewareStack: {
    add: (
      middleware: (
        next: Handler,
        context: { commandName?: string; __smithy_context?: { commandInstance?: { schema?: unknown } } },
      ) => Handler,
      options: { step: 'initialize' | 'deserialize'; name: string; priority?: 'high' | 'normal' | 'low' },
    ) => void;
  };
  config: { protocol?: { getShapeId?: () => string } };
  send: (command: unknown, options?: unknown, callback?: unknown) => Promise<unknown>;
}

interface Metadata {
  $metadata?: { attempts?: number };
}

interface RawResponse {
  statusCode?: number;
  body?: unknown;
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

async function readBody(body: unknown): Promise<Uint8Array | undefined> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (typeof body !== 'object' || body === null || !(Symbol.asyncIterator in body)) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  }
  return Buffer.concat(chunks);
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
  readonly deadlines: RegionDeadlines;
  private readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  private readonly cache = new Map<string, unknown>();
  private readonly gates = new Map<string, Gate>();
  private readonly forcePathStyle: boolean;

  constructor(private readonly options: AwsAccessOptions = {}) {
    // One provider for all clients, so SSO tokens and assumed roles are resolved once per scan.
    this.credentials =
      options.credentials ??
      fromNodeProviderChain(options.profile !== undefined ? { profile: options.profile } : {});
    this.forcePathStyle = options.endpoint !== undefined || usesCustomS3Endpoint(options.env ?? process.env);
    this.deadlines = new RegionDeadlines(options.regionTimeoutMs ?? DEFAULT_REGION_TIMEOUT_MS);
  }

  private commonConfig(region: string) {
    return {
      region,
      credentials: this.credentials,
      maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      retryMode: this.options.retryMode ?? 'standard',
      customUserAgent: `${TOOL_NAME}/${TOOL_VERSION}`,
      requestHandler: {
        connectionTimeout: 5_000,
        requestTimeout: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        // Without it the SDK only logs a warning when requestTimeout passes, and keeps waiting.
        throwOnRequestTimeout: true,
      },
      ...(this.options.profile !== undefined ? { profile: this.options.profile } : {}),
      ...(this.options.endpoint !== undefined ? { endpoint: this.options.endpoint } : {}),
    } as const;
  }

  /** The gate of one endpoint (service and Region): every call there passes through it. */
  gate(service: string, region: string): Gate {
    const key = `${service}:${region}`;
    let gate = this.gates.get(key);
    if (gate === undefined) {
      const limit =
        this.options.endpointConcurrency?.[service] ??
        ENDPOINT_CONCURRENCY[service] ??
        FALLBACK_ENDPOINT_CONCURRENCY;
      gate = new Gate(limit);
      this.gates.set(key, gate);
    }
    return gate;
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

  /**
   * Every client, whatever its service, gets the same four things, so a collector added later needs
   * none of them: the endpoint's concurrency bound, call counting, the Region's time limit, and the
   * malformed-answer guard.
   */
  private instrument(client: Instrumentable, service: string, region: string): void {
    const log = this.callLog;
    const deadlines = this.deadlines;
    const gate = this.gate(service, region);

    // The Region's abort signal reaches the HTTP handler and the SDK's retry waits through send().
    const send = client.send.bind(client);
    client.send = (command, options, callback) => {
      if (typeof options === 'function' || callback !== undefined) return send(command, options, callback);
      const given = (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
      const deadline = deadlines.signal(region);
      const abortSignal = given ? AbortSignal.any([given, deadline]) : deadline;
      return send(command, { ...(options as object | undefined), abortSignal });
    };

    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        // Waiting for a slot is not charged to the Region's clock: only calls in flight are.
        const release = await gate.acquire();
        if (deadlines.hasExpired(region)) {
          release();
          log.record(operation, region, 0, true);
          throw deadlines.error(region);
        }
        const clock = deadlines.begin(region);
        try {
          // The race is the backstop: a scan never waits past the limit, even on a layer deaf to the abort.
          const result = await Promise.race([next(args), clock.expired]);
          log.record(operation, region, (result.output as Metadata).$metadata?.attempts ?? 1, false);
          return result;
        } catch (error) {
          const attempts = (error as Metadata).$metadata?.attempts ?? 1;
          log.record(operation, region, attempts, true);
          if (
            error instanceof DeadlineExceededError ||
            (deadlines.hasExpired(region) && isAbortError(error))
          ) {
            const expired = deadlines.error(region);
            expired.$metadata.attempts = attempts;
            throw expired;
          }
          throw error;
        } finally {
          clock.end();
          release();
        }
      },
      { step: 'initialize', name: 'trailcheckCallLog' },
    );

    const syntax = bodySyntaxOf(client.config.protocol?.getShapeId?.());
    if (syntax === undefined) return;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const response = result.response as RawResponse;
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299 || STREAMING_OPERATIONS.has(operation)) return result;
        // Only reads become evidence; a write's body is not read (moto answers PutBucketPolicy with "True").
        if (!isEvidenceRead(operation)) return result;
        const payloadSyntax = JSON_PAYLOAD_OPERATIONS.has(`${service}:${operation}`) ? 'json' : syntax;
        if (payloadSyntax === syntax && hasRawPayload(context.__smithy_context?.commandInstance?.schema))
          return result;
        const body = await readBody(response.body);
        if (body === undefined) return result;
        // The deserializer reads the buffered copy.
        response.body = body;
        if (!wellFormedBody(Buffer.from(body).toString('utf8'), payloadSyntax)) {
          throw new MalformedResponseError(`${service}:${operation}`, payloadSyntax, status, body.length);
        }
        return result;
      },
      // Low priority in the deserialize step: between the HTTP answer and the SDK's deserializer.
      { step: 'deserialize', name: 'trailcheckResponseGuard', priority: 'low' },
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

  /** AWS Config (its recorders and delivery channels), for Config.1. */
  configService(region: string): ConfigServiceClient {
    return this.cached('config', region, () => new ConfigServiceClient(this.commonConfig(region)));
  }

  ec2(region: string): EC2Client {
    return this.cached('ec2', region, () => new EC2Client(this.commonConfig(region)));
  }

  /** Organizations is a global service with one endpoint per partition (see `organizationsRegion`). */
  organizations(region: string): OrganizationsClient {
    return this.cached('organizations', region, () => new OrganizationsClient(this.commonConfig(region)));
  }

  sts(region: string): STSClient {
    return this.cached('sts', region, () => new STSClient(this.commonConfig(region)));
  }

  /** CloudWatch (metric alarms), for the CIS Monitoring checks. */
  cloudWatch(region: string): CloudWatchClient {
    return this.cached('cloudwatch', region, () => new CloudWatchClient(this.commonConfig(region)));
  }

  /** SNS (the subscriptions of the topics alarms notify), for the CIS Monitoring checks. */
  sns(region: string): SNSClient {
    return this.cached('sns', region, () => new SNSClient(this.commonConfig(region)));
  }

  /** CloudWatch Logs: metric filters for the Monitoring checks; `trailcheck fix` (CloudTrail.5's log group). */
  logs(region: string): CloudWatchLogsClient {
    return this.cached('logs', region, () => new CloudWatchLogsClient(this.commonConfig(region)));
  }

  /** IAM is global; `region` picks the partition's endpoint (the scan's control Region). */
  iam(region: string): IAMClient {
    return this.cached('iam', region, () => new IAMClient(this.commonConfig(region)));
  }

  /** Closes every socket the clients opened, so a CLI run exits promptly. */
  destroy(): void {
    this.deadlines.dispose();
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
