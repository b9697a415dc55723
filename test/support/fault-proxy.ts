/**
 * A fault-injecting HTTP proxy for tests and benchmarks. It listens on loopback between the AWS SDK and an
 * emulator (moto) and, per AWS operation and Region, answers the way a misbehaving AWS does: throttling in
 * each protocol's own words, server errors, reset connections, answers that are late or never come,
 * malformed bodies. Every other request passes through unchanged, so one proxy can also add latency to a
 * whole run (a `delay` rule with no filter, or `latency`, which also delays the answers rules make up).
 *
 * Requests are identified the way AWS itself routes them: the Region and signing name from the SigV4
 * credential scope of the Authorization header; the operation from X-Amz-Target (JSON protocols), from the
 * Action parameter (query protocols: EC2, STS, IAM), or from method, path and query matched against the
 * HTTP bindings of the REST clients it is given (S3 and S3 Control by default, path-style addressing).
 */
import { createServer, request as httpRequest, Agent } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import * as s3Client from '@aws-sdk/client-s3';
import * as s3ControlClient from '@aws-sdk/client-s3-control';

export type Protocol = 'json' | 'query' | 'ec2' | 'rest-xml' | 'rest-json';

/** What the proxy understood of one request. */
export interface AwsRequestInfo {
  /** The access key id the request was signed with (not secret; lets concurrent runs tell their requests apart). */
  accessKeyId: string;
  /** IAM-style service prefix (`cloudtrail`, `s3`, `s3control`, `cloudwatch`…), from the signing name. */
  service: string;
  region: string;
  /** `DescribeTrails`; `METHOD /path` when the operation could not be told. */
  operation: string;
  protocol: Protocol;
  method: string;
  path: string;
}

export type Fault =
  /** The protocol's own throttling error (ThrottlingException, Throttling, RequestLimitExceeded, SlowDown). */
  | { kind: 'throttle'; retryAfterSeconds?: number }
  /** An AWS error in the protocol's format; the code defaults to the usual one for the status. */
  | { kind: 'error'; status: number; code?: string; message?: string }
  /** A given HTTP answer: an empty 503, a load balancer's HTML 502, a canned 200 the emulator lacks. */
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  /** The connection is reset (TCP RST) before any answer. */
  | { kind: 'reset' }
  /** No answer at all, until the client gives up or the proxy stops. */
  | { kind: 'hang' }
  /** The real answer, late: `ms` plus up to `jitterMs` at random (latency for benchmarks). */
  | { kind: 'delay'; ms: number; jitterMs?: number }
  /** The real status and headers with only the first half of the body. */
  | { kind: 'truncate' }
  /** The real status and headers with a body that is neither JSON nor XML. */
  | { kind: 'garbage' }
  /** The real answer, its body rewritten (e.g. to echo request details into an error message). */
  | {
      kind: 'rewrite';
      rewrite: (body: string, request: AwsRequestInfo, headers: IncomingHttpHeaders) => string;
    };

export type FaultKind = Fault['kind'];

export interface FaultRule {
  /** Each given field must match; an absent field matches anything. */
  service?: string;
  operation?: string;
  region?: string;
  /** Further condition on the request. */
  match?: (request: AwsRequestInfo) => boolean;
  fault: Fault;
  /** Misbehave for the first N matching requests, then pass them through; default: always. */
  times?: number;
}

/** A rule as installed: how often it fired. */
export interface ActiveRule {
  readonly rule: FaultRule;
  readonly hits: number;
  /** Takes the rule out; the others keep their order. */
  remove(): void;
}

export interface ProxyLogEntry extends AwsRequestInfo {
  /** The fault applied, if any. */
  fault?: FaultKind;
  /** HTTP status sent back (absent for resets and hangs). */
  status?: number;
  /** When the request's head arrived and when its answer ended (or its connection closed), `performance.now()`. */
  receivedAt: number;
  closedAt?: number;
}

/** A delay before every request is handled: the network round trip between a client and AWS. */
export interface Latency {
  ms: number;
  /** Up to this much more, at random. */
  jitterMs?: number;
}

// ---- Recognising requests -------------------------------------------------------------------------------

const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Signing names that differ from the IAM service prefix. */
const SERVICE_ALIASES: Record<string, string> = { monitoring: 'cloudwatch', email: 'ses' };

interface RestRoute {
  operation: string;
  method: string;
  /** Path segments of the URI template: literals, `{Label}`, or a greedy `{Label+}` last. */
  segments: string[];
  /** Query keys the template requires, with the value when it fixes one (x-id=GetObject). */
  query: Array<[string, string | undefined]>;
}

type CommandModule = Record<string, unknown>;

/**
 * The HTTP bindings of a REST client's operations, read from the installed SDK's own operation schemas, so
 * an operation added later is recognised without a table to maintain.
 */
export function restRoutes(module: CommandModule): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const [name, exported] of Object.entries(module)) {
    if (!name.endsWith('Command') || typeof exported !== 'function') continue;
    let schema: unknown;
    try {
      schema = new (exported as new (input: object) => { schema?: unknown })({}).schema;
    } catch {
      continue;
    }
    if (!Array.isArray(schema)) continue;
    const operation = schema[2] as unknown;
    const traits = schema[3] as { http?: unknown } | undefined;
    const http = traits?.http;
    if (typeof operation !== 'string' || !Array.isArray(http)) continue;
    const [method, uri] = http as [string, string];
    const [pathPart = '', queryPart = ''] = uri.split('?');
    routes.push({
      operation,
      method,
      segments: pathPart.split('/').filter((s) => s !== ''),
      query: queryPart
        .split('&')
        .filter((q) => q !== '')
        .map((q) => {
          const [key = '', value] = q.split('=');
          return [key, value];
        }),
    });
  }
  return routes;
}

function matchRoute(routes: RestRoute[], method: string, segments: string[], query: URLSearchParams) {
  let best: { route: RestRoute; score: number } | undefined;
  for (const route of routes) {
    if (route.method !== method) continue;
    if (
      !route.query.every(
        ([key, value]) => query.has(key) && (value === undefined || query.get(key) === value),
      )
    )
      continue;
    const greedy = route.segments.at(-1)?.endsWith('+}') ?? false;
    if (greedy ? segments.length < route.segments.length : segments.length !== route.segments.length)
      continue;
    let literals = 0;
    const fits = route.segments.every((template, i) => {
      if (template.startsWith('{')) return true;
      literals += 1;
      return template === segments[i];
    });
    if (!fits) continue;
    const score = route.query.length * 100 + literals * 10 + (greedy ? 0 : 1);
    if (!best || score > best.score) best = { route, score };
  }
  return best?.route.operation;
}

const S3_ROUTES = restRoutes(s3Client);
const S3_CONTROL_ROUTES = restRoutes(s3ControlClient);

export interface Classifier {
  /** REST routes per service, beyond S3's. */
  rest?: Record<string, RestRoute[]>;
}

/** What AWS operation a request is, and where it is bound. */
export function classifyRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: string,
  classifier: Classifier = {},
): AwsRequestInfo {
  const parsed = new URL(url, 'http://proxy.invalid');
  const path = parsed.pathname;
  const authorization = String(headers.authorization ?? parsed.searchParams.get('X-Amz-Credential') ?? '');
  const scope = CREDENTIAL_SCOPE.exec(
    authorization.includes('Credential=') ? authorization : `Credential=${authorization}`,
  );
  const accessKeyId = scope?.[1] ?? '';
  const region = scope?.[2] ?? 'unknown';
  const signingName = scope?.[3] ?? 'unknown';
  let service = SERVICE_ALIASES[signingName] ?? signingName;
  const fallback = `${method} ${path}`;

  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target !== '') {
    return {
      accessKeyId,
      service,
      region,
      operation: target.split('.').pop() ?? target,
      protocol: 'json',
      method,
      path,
    };
  }
  const contentType = String(headers['content-type'] ?? '');
  const form = contentType.includes('x-www-form-urlencoded') ? new URLSearchParams(body) : undefined;
  const action = form?.get('Action') ?? parsed.searchParams.get('Action');
  if (action) {
    return {
      accessKeyId,
      service,
      region,
      operation: action,
      protocol: service === 'ec2' ? 'ec2' : 'query',
      method,
      path,
    };
  }
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  if (signingName === 's3' && segments[0] === 'v20180820') {
    service = 's3control';
    const routes = classifier.rest?.s3control ?? S3_CONTROL_ROUTES;
    return {
      accessKeyId,
      service,
      region,
      operation: matchRoute(routes, method, segments, parsed.searchParams) ?? fallback,
      protocol: 'rest-xml',
      method,
      path,
    };
  }
  if (signingName === 's3') {
    // Path-style: the first segment is the bucket, which S3's URI templates leave out.
    // With no bucket in the path, a GET is ListBuckets, which some SDKs (boto3) send without the x-id its
    // URI template names; a bucket's own operations (ListObjects is GET /) need a bucket.
    const operation =
      segments.length === 0
        ? method === 'GET' && !parsed.searchParams.has('x-id')
          ? 'ListBuckets'
          : matchRoute(S3_ROUTES, method, [], parsed.searchParams)
        : matchRoute(S3_ROUTES, method, segments.slice(1), parsed.searchParams);
    return {
      accessKeyId,
      service,
      region,
      operation: operation ?? fallback,
      protocol: 'rest-xml',
      method,
      path,
    };
  }
  const routes = classifier.rest?.[service];
  const operation = routes ? matchRoute(routes, method, segments, parsed.searchParams) : undefined;
  return {
    accessKeyId,
    service,
    region,
    operation: operation ?? fallback,
    protocol: 'rest-json',
    method,
    path,
  };
}

// ---- Answering like AWS ---------------------------------------------------------------------------------

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function defaultCode(protocol: Protocol, status: number): string {
  const json = protocol === 'json' || protocol === 'rest-json';
  if (status === 403) return json ? 'AccessDeniedException' : 'AccessDenied';
  if (status === 404) return json ? 'ResourceNotFoundException' : 'NotFound';
  if (status === 429) return 'TooManyRequestsException';
  if (status === 503) return 'ServiceUnavailable';
  if (status >= 500)
    return protocol === 'rest-xml' || protocol === 'ec2' ? 'InternalError' : 'InternalFailure';
  return json ? 'ValidationException' : 'InvalidRequest';
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An AWS error in the request's protocol, as the SDK expects to parse it. */
export function awsError(info: AwsRequestInfo, status: number, code: string, message: string): Answer {
  const requestId = `fault-${Math.random().toString(16).slice(2, 10)}`;
  switch (info.protocol) {
    case 'json':
    case 'rest-json':
      return {
        status,
        headers: {
          'content-type': info.protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json',
          'x-amzn-errortype': code,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'ec2':
      return {
        status,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case 'query':
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse xmlns="https://${info.service}.amazonaws.com/doc/"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'rest-xml':
      return {
        status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
  }
}

function throttleAnswer(info: AwsRequestInfo): Answer {
  switch (info.protocol) {
    case 'json':
    case 'rest-json':
      return awsError(info, 400, 'ThrottlingException', 'Rate exceeded');
    case 'query':
      return awsError(info, 400, 'Throttling', 'Rate exceeded');
    case 'ec2':
      return awsError(info, 503, 'RequestLimitExceeded', 'Request limit exceeded.');
    case 'rest-xml':
      return awsError(info, 503, 'SlowDown', 'Please reduce your request rate.');
  }
}

const GARBAGE = 'this is not an AWS response \u0000\u0001 }{ ><';

// ---- The proxy ------------------------------------------------------------------------------------------

interface RuleState {
  rule: FaultRule;
  hits: number;
}

function ruleMatches(rule: FaultRule, info: AwsRequestInfo): boolean {
  if (rule.service !== undefined && rule.service !== info.service) return false;
  if (rule.operation !== undefined && rule.operation !== info.operation) return false;
  if (rule.region !== undefined && rule.region !== info.region) return false;
  return rule.match === undefined || rule.match(info);
}

interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FaultProxyOptions {
  rules?: FaultRule[];
  classifier?: Classifier;
  latency?: Latency;
}

export class FaultProxy {
  /** Every request seen, in order, with what was done to it. */
  readonly log: ProxyLogEntry[] = [];
  private rules: RuleState[] = [];
  /** Upstream answers by request, when replaying (see `replay`). */
  private readonly recorded = new Map<string, UpstreamAnswer>();
  private replaying = false;
  private latency: Latency | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly upstreamAgent = new Agent({ keepAlive: true });
  private readonly upstreamUrl: URL;

  private constructor(
    private readonly server: Server,
    upstream: string,
    private readonly classifier: Classifier,
  ) {
    this.upstreamUrl = new URL(upstream);
  }

  /** Starts a proxy for `upstream` (e.g. moto's endpoint) on a free loopback port. */
  static async start(upstream: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
    const server = createServer();
    const proxy = new FaultProxy(server, upstream, options.classifier ?? {});
    for (const rule of options.rules ?? []) proxy.addRule(rule);
    proxy.setLatency(options.latency);
    server.on('connection', (socket) => {
      proxy.sockets.add(socket);
      socket.on('close', () => proxy.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      proxy.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get endpoint(): string {
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return `http://127.0.0.1:${port}`;
  }

  /** Adds a rule after the existing ones (the first rule that matches a request decides). */
  addRule(rule: FaultRule): ActiveRule {
    const state: RuleState = { rule, hits: 0 };
    this.rules.push(state);
    return {
      rule,
      get hits() {
        return state.hits;
      },
      remove: () => {
        this.rules = this.rules.filter((other) => other !== state);
      },
    };
  }

  /** Puts an installed rule first, so it decides before the rules added earlier. */
  moveToFront(active: ActiveRule): void {
    const index = this.rules.findIndex((state) => state.rule === active.rule);
    if (index > 0) this.rules.unshift(...this.rules.splice(index, 1));
  }

  /** Removes every rule: from now on, requests pass through. */
  clearRules(): void {
    this.rules = [];
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /**
   * Every request waits this long before it is handled, whatever answers it (moto, a rule, a replay), as
   * if the proxy were a network with that round-trip time; undefined for none.
   */
  setLatency(latency: Latency | undefined): void {
    if (latency !== undefined && !(latency.ms >= 0 && (latency.jitterMs ?? 0) >= 0))
      throw new RangeError('latency must be zero or more milliseconds');
    this.latency = latency;
  }

  /**
   * Replay mode: the upstream's answer to each distinct request (method, path, body, Region) is kept, and
   * later identical requests get it without reaching the upstream. For runs that read an unchanging state
   * many times (the fault matrix); off by default, and turning it off forgets what was kept.
   */
  replay(on: boolean): void {
    this.replaying = on;
    if (!on) this.recorded.clear();
  }

  private pick(info: AwsRequestInfo): RuleState | undefined {
    return this.rules.find(
      (state) =>
        (state.rule.times === undefined || state.hits < state.rule.times) && ruleMatches(state.rule, info),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const info = classifyRequest(
      req.method ?? 'GET',
      req.url ?? '/',
      req.headers,
      body.toString('utf8'),
      this.classifier,
    );
    const entry: ProxyLogEntry = { ...info, receivedAt };
    this.log.push(entry);
    res.once('close', () => (entry.closedAt = performance.now()));
    const latency = this.latency;
    if (latency !== undefined && latency.ms + (latency.jitterMs ?? 0) > 0) {
      await new Promise((resolve) =>
        setTimeout(resolve, latency.ms + Math.random() * (latency.jitterMs ?? 0)),
      );
      if (req.socket.destroyed) return;
    }
    const state = this.pick(info);
    if (!state) {
      entry.status = await this.passThrough(req, res, body);
      return;
    }
    state.hits += 1;
    const fault = state.rule.fault;
    entry.fault = fault.kind;
    switch (fault.kind) {
      case 'throttle': {
        const answer = throttleAnswer(info);
        if (fault.retryAfterSeconds !== undefined)
          answer.headers['retry-after'] = String(fault.retryAfterSeconds);
        entry.status = this.send(res, answer);
        return;
      }
      case 'error':
        entry.status = this.send(
          res,
          awsError(
            info,
            fault.status,
            fault.code ?? defaultCode(info.protocol, fault.status),
            fault.message ?? `Injected fault (HTTP ${fault.status})`,
          ),
        );
        return;
      case 'status':
        entry.status = this.send(res, {
          status: fault.status,
          headers: { 'content-type': fault.contentType ?? 'text/plain' },
          body: fault.body ?? '',
        });
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        // The socket stays open until the client aborts or the proxy stops.
        return;
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms + Math.random() * (fault.jitterMs ?? 0)));
        if (req.socket.destroyed) return;
        entry.status = await this.passThrough(req, res, body);
        return;
      case 'truncate':
      case 'garbage':
      case 'rewrite': {
        const upstream = await this.forward(req, body);
        const text = upstream.body.toString('utf8');
        const replaced =
          fault.kind === 'truncate'
            ? upstream.body.subarray(0, Math.floor(upstream.body.length / 2))
            : Buffer.from(
                fault.kind === 'garbage' ? GARBAGE : fault.rewrite(text, info, req.headers),
                'utf8',
              );
        entry.status = this.reply(res, { ...upstream, body: replaced });
        return;
      }
    }
  }

  private send(res: ServerResponse, answer: Answer): number {
    const body = Buffer.from(answer.body, 'utf8');
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
    res.end(body);
    return answer.status;
  }

  private reply(res: ServerResponse, answer: UpstreamAnswer): number {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined || name === 'transfer-encoding' || name === 'connection') continue;
      headers[name] = value;
    }
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
    return answer.status;
  }

  private async passThrough(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<number> {
    return this.reply(res, await this.forward(req, body));
  }

  private async forward(req: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> {
    if (!this.replaying) return this.forwardLive(req, body);
    const scope = CREDENTIAL_SCOPE.exec(String(req.headers.authorization ?? ''));
    // The JSON protocols name the operation in a header only: it is part of what makes a request.
    const target = String(req.headers['x-amz-target'] ?? '');
    const key = `${req.method} ${req.url} ${target} ${scope?.[2] ?? ''} ${scope?.[3] ?? ''} ${body.toString('base64')}`;
    const kept = this.recorded.get(key);
    if (kept) return kept;
    const answer = await this.forwardLive(req, body);
    this.recorded.set(key, answer);
    return answer;
  }

  private forwardLive(req: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers };
      delete headers.connection;
      const upstream = httpRequest(
        {
          host: this.upstreamUrl.hostname,
          port: this.upstreamUrl.port,
          method: req.method,
          path: req.url,
          // The Host header stays the client's: it is part of what SigV4 signed.
          headers,
          agent: this.upstreamAgent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  /** Stops listening and drops every connection, hung ones included. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.upstreamAgent.destroy();
    await closed;
  }
}
