/**
 * A fix as data: the AWS API calls it makes, and references from one call's input to an earlier call's
 * output. The vocabulary every pass shares; how calls are shown as the AWS CLI is in fixes/calls.ts.
 */
export const SERVICES = [
  'cloudtrail',
  's3',
  's3control',
  'kms',
  'logs',
  'iam',
  'cloudwatch',
  'sns',
  'ec2',
  'config',
] as const;
export type Service = (typeof SERVICES)[number];

/** A value an earlier call returns, resolved when the plan is applied: `{ $ref: 'newKey.KeyMetadata.Arn' }`. */
export interface Ref {
  $ref: string;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type CallInput = Record<string, Json | Ref>;

export interface ApiCall {
  service: Service;
  /** The API operation, as AWS names it: `UpdateTrail`. */
  operation: string;
  /** Where the call is sent (IAM, being global, gets the scan's control Region). */
  region: string;
  /** The SDK input. A Ref may stand for a whole top-level field, never inside a document. */
  input: CallInput;
  /** Names the call's output, so later calls can refer to it (`newKey` → `{ $ref: 'newKey.KeyMetadata.Arn' }`). */
  output?: string;
}

/** An ApiCall, with `output` only when given. */
export function apiCall(
  service: ApiCall['service'],
  operation: string,
  region: string,
  input: CallInput,
  output?: string,
): ApiCall {
  return { service, operation, region, input, ...(output !== undefined ? { output } : {}) };
}

export function isRef(value: unknown): value is Ref {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { $ref?: unknown }).$ref === 'string'
  );
}

export function ref(path: string): Ref {
  return { $ref: path };
}

/** The output name a Ref points at: `newKey` for `newKey.KeyMetadata.Arn`. */
export function refSource(value: Ref): string {
  return value.$ref.split('.')[0] ?? '';
}

/** The path inside the output: `KeyMetadata.Arn`. */
export function refPath(value: Ref): string {
  return value.$ref.split('.').slice(1).join('.');
}

/** An input value as text, for names in sentences and keys (a Ref or document as its JSON). */
export function text(value: Json | Ref | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function refsOf(call: ApiCall): Ref[] {
  return Object.values(call.input).filter(isRef);
}
