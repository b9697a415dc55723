import { oneLine } from '../util/text.js';
import { iamActionFor } from './permissions.js';

/** Why an API call gave no answer. Each kind maps to a different next step for the user. */
export const FAILURE_KINDS = [
  'access-denied',
  'throttled',
  'not-found',
  'unsupported',
  'invalid-credentials',
  'no-credentials',
  'region-disabled',
  'network',
  'timeout',
  'service-error',
  'other',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** A call that failed for good (after the SDK's retries), kept as evidence of what could not be seen. */
export interface CallFailure {
  /** `service:Operation`, e.g. `cloudtrail:GetTrailStatus`. */
  operation: string;
  region: string;
  kind: FailureKind;
  code: string;
  message: string;
  httpStatus?: number;
  /** The IAM action that authorises the call, named so a denied scan says what to grant. */
  permission?: string;
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AllAccessDisabled',
  'InsufficientPermissionsException',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
]);
const INVALID_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidAccessKeyId',
  'InvalidToken',
  'AuthFailure',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
]);
const NOT_FOUND = new Set([
  'NoSuchBucket',
  'TrailNotFoundException',
  'NotFoundException',
  'ResourceNotFoundException',
  'NoSuchEntity',
  'NotFound',
]);
const UNSUPPORTED = new Set([
  'UnknownOperationException',
  'UnsupportedOperationException',
  'OperationNotPermittedException',
  'NotImplemented',
  'InvalidAction',
]);
const REGION_DISABLED = new Set([
  'OptInRequired',
  'InvalidHomeRegionException',
  'UnrecognizedClientExceptionRegion',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown };
  cause?: unknown;
}

function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? error : { message: String(error) };
}

function errorCode(e: ErrorLike): string {
  for (const candidate of [e.name, e.Code, e.code]) {
    if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error') return candidate;
  }
  return 'Error';
}

function httpStatusOf(e: ErrorLike): number | undefined {
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A system error code (ECONNRESET…) may sit on the error or on its cause. */
function systemCode(e: ErrorLike): string | undefined {
  let current: unknown = e;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as ErrorLike).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as ErrorLike).cause;
  }
  return undefined;
}

export function classifyKind(code: string, httpStatus: number | undefined, e: ErrorLike): FailureKind {
  if (code === 'CredentialsProviderError') return 'no-credentials';
  if (ACCESS_DENIED.has(code)) return 'access-denied';
  if (THROTTLED.has(code) || httpStatus === 429) return 'throttled';
  if (INVALID_CREDENTIALS.has(code)) return 'invalid-credentials';
  if (REGION_DISABLED.has(code)) return 'region-disabled';
  if (NOT_FOUND.has(code)) return 'not-found';
  if (UNSUPPORTED.has(code) || httpStatus === 501) return 'unsupported';
  if (NETWORK_CODES.has(code) || systemCode(e) !== undefined) return 'network';
  if (
    code === 'TimeoutError' ||
    code === 'RequestTimeout' ||
    code === 'AbortError' ||
    code === 'DeadlineExceeded'
  )
    return 'timeout';
  if (code === 'MalformedResponse') return 'service-error';
  if (httpStatus === 403) return 'access-denied';
  if (httpStatus === 503) return 'throttled';
  if (httpStatus !== undefined && httpStatus >= 500) return 'service-error';
  return 'other';
}

/** Statuses a plain web server gives for a path or method it does not have: 404 Not Found, 405. */
const FOREIGN_STATUSES = new Set([404, 405]);
/** Calls whose error answers AWS sends without a body on purpose: HeadBucket's 404 is "no such bucket". */
const BODILESS_BY_DESIGN = new Set(['s3:HeadBucket']);

/**
 * An error answer with no AWS error in it – an empty body (the SDK then says "Unknown") or one it could
 * not parse – with a status a plain web server gives. AWS names every error it sends, so the endpoint
 * reached is something else (an AWS_ENDPOINT_URL pointing at a web server). Its body is described, never
 * treated as "not found".
 */
function notAnAwsAnswer(
  operation: string,
  code: string,
  message: unknown,
  httpStatus: number | undefined,
): string | undefined {
  if (httpStatus === undefined || !FOREIGN_STATUSES.has(httpStatus) || BODILESS_BY_DESIGN.has(operation))
    return undefined;
  const empty =
    message === undefined || message === '' || message === 'Unknown' || message === 'UnknownError';
  if (code === 'SyntaxError') return `HTTP ${httpStatus} and a body that is not an AWS error`;
  if (empty && ['NotFound', 'Unknown', 'UnknownError', 'Error'].includes(code))
    return `HTTP ${httpStatus} and an empty body`;
  return undefined;
}

/** Error codes are identifiers; anything longer is not one. */
const MAX_CODE_LENGTH = 100;
/** The code of a failure whose answer did not come from AWS at all (see notAnAwsAnswer). */
export const NOT_AWS_CODE = 'NotAnAwsAnswer';

/** Enough for any real AWS message; bounds what a hostile or broken endpoint can put in a report. */
export const MAX_MESSAGE_LENGTH = 500;

/** Turns whatever the SDK threw into a serialisable fact about the failed call. */
export function describeFailure(
  error: unknown,
  service: string,
  operation: string,
  region: string,
): CallFailure {
  const e = asErrorLike(error);
  const httpStatus = httpStatusOf(e);
  const sysCode = systemCode(e);
  let code = errorCode(e);
  const foreign = notAnAwsAnswer(`${service}:${operation}`, code, e.message, httpStatus);
  if (foreign !== undefined && httpStatus !== undefined) {
    // Not AWS: a server-side fault of the endpoint, so the verdicts that needed the call are UNKNOWN.
    const failure: CallFailure = {
      operation: `${service}:${operation}`,
      region,
      kind: 'service-error',
      code: NOT_AWS_CODE,
      message: foreign,
      httpStatus,
    };
    const permission = iamActionFor(service, operation);
    if (permission !== undefined) failure.permission = permission;
    return failure;
  }
  if (code === 'SyntaxError' && httpStatus !== undefined) {
    // The endpoint answered with a body the SDK could not parse (moto answers unimplemented operations
    // with an HTML 500 page). The status code is the fact worth keeping.
    code = `HTTP${httpStatus}`;
  }
  // The SDK renames a reset connection TimeoutError; the system code says what happened.
  if (sysCode !== undefined && (code === 'Error' || code === 'TypeError' || code === 'TimeoutError'))
    code = sysCode;
  // An error body the SDK could not read leaves only the status worth naming.
  if ((code === 'Unknown' || code === 'UnknownError') && httpStatus !== undefined) code = `HTTP${httpStatus}`;
  const kind = classifyKind(code, httpStatus, e);
  const rawMessage = typeof e.message === 'string' && e.message !== '' ? e.message : code;
  // Codes and messages come from the endpoint: stored and shown, so bounded, one line, no key ids.
  const failure: CallFailure = {
    operation: `${service}:${operation}`,
    region,
    kind,
    code: oneLine(code, MAX_CODE_LENGTH) || 'Error',
    message: oneLine(rawMessage, MAX_MESSAGE_LENGTH),
  };
  if (httpStatus !== undefined) failure.httpStatus = httpStatus;
  const permission = iamActionFor(service, operation);
  if (permission !== undefined) failure.permission = permission;
  return failure;
}

/** What happened to a call, without where: "was denied (AccessDenied): the scanning identity needs X". */
export function describeOutcome(f: CallFailure): string {
  switch (f.kind) {
    case 'access-denied':
      return `was denied (${f.code})${f.permission ? `: the scanning identity needs ${f.permission}` : ''}`;
    case 'throttled':
      return `was throttled by AWS (${f.code}) and retries ran out`;
    case 'not-found':
      return `found nothing (${f.code}): ${f.message}`;
    case 'unsupported':
      return `is not supported by this endpoint (${f.code})`;
    case 'invalid-credentials':
      return `was refused because the credentials are invalid or expired (${f.code})`;
    case 'no-credentials':
      return 'found no AWS credentials';
    case 'region-disabled':
      return `failed because the Region is not enabled for this account (${f.code})`;
    case 'network':
      return `could not reach AWS (${f.code})`;
    case 'timeout':
      return f.code === 'DeadlineExceeded' ? `was stopped: ${f.message}` : `timed out (${f.code})`;
    case 'service-error':
      if (f.code === NOT_AWS_CODE) {
        const service = f.operation.split(':')[0] ?? 'AWS';
        return `got ${f.message}, not an AWS answer: the endpoint reached for ${service} is not AWS`;
      }
      if (f.code === 'MalformedResponse') {
        return `got an answer that is not well-formed (${f.code}), so it was not used as evidence`;
      }
      return `failed with a server error (${f.code.startsWith('HTTP') && f.httpStatus ? `HTTP ${f.httpStatus}` : `${f.code}${f.httpStatus ? `, HTTP ${f.httpStatus}` : ''}`})`;
    default:
      return `failed (${f.code}): ${f.message}`;
  }
}

/** A plain-language reason for a failure, for UNKNOWN verdicts and error lines. */
export function explainFailure(f: CallFailure): string {
  return `${f.operation} in ${f.region} ${describeOutcome(f)}`;
}

/** The distinct outcomes of the same call in several Regions, said once each. */
export function explainFailures(failures: readonly CallFailure[]): string {
  return [...new Set(failures.map((f) => `${f.operation} ${describeOutcome(f)}`))].join('; ');
}

/**
 * Failures said once per kind of outcome: "cloudtrail:ListEventDataStores in 20 Regions failed with a
 * server error (HTTP 500)", or with the Region when there is only one.
 */
export function explainFailuresByRegion(failures: readonly CallFailure[]): string {
  const groups = new Map<string, { failure: CallFailure; regions: Set<string> }>();
  for (const failure of failures) {
    const key = `${failure.operation}\u0000${describeOutcome(failure)}`;
    const group = groups.get(key) ?? { failure, regions: new Set<string>() };
    group.regions.add(failure.region);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ failure, regions }) =>
      regions.size === 1
        ? explainFailure(failure)
        : `${failure.operation} in ${regions.size} Regions ${describeOutcome(failure)}`,
    )
    .join('; ');
}

/**
 * What kept an UNKNOWN verdict from being known, as the user's next step sees it: a denial needs a
 * permission; no answer (throttle, server error, timeout, network) needs only another run; a disabled
 * Region needs enabling or leaving out; a resource that vanished needs a run on the account as it is now.
 */
export const UNKNOWN_CAUSES = [
  'denied',
  'no-answer',
  'region-disabled',
  'resource-gone',
  'credentials',
  'unsupported',
  'not-collected',
  'other',
] as const;
export type UnknownCause = (typeof UNKNOWN_CAUSES)[number];

/** The cause a failure kind stands for (a string: evidence keeps the kind as text). */
export function causeOfFailure(kind: string): UnknownCause {
  switch (kind) {
    case 'access-denied':
      return 'denied';
    case 'throttled':
    case 'service-error':
    case 'timeout':
    case 'network':
      return 'no-answer';
    case 'region-disabled':
      return 'region-disabled';
    case 'not-found':
      return 'resource-gone';
    case 'invalid-credentials':
    case 'no-credentials':
      return 'credentials';
    case 'unsupported':
      return 'unsupported';
    default:
      return 'other';
  }
}
