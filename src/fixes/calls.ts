/**
 * A fix is a list of AWS API calls: the one source of truth. `trailcheck fix` sends exactly these calls
 * through the SDK; the AWS CLI commands every report shows are derived from the same calls
 * (UpdateTrail {EnableLogFileValidation: true} → `aws cloudtrail update-trail --enable-log-file-validation`),
 * so what is shown is what is done.
 */
import { shellQuote } from './shell.js';

export * from '../core/api-call.js';
export { iamActionOf } from './services/registry.js';
import { isRef, refsOf } from '../core/api-call.js';
import type { ApiCall, Json, Ref, Service } from '../core/api-call.js';

/** `service:Operation`, as the call log and the evidence name calls. */
export function operationName(call: Pick<ApiCall, 'service' | 'operation'>): string {
  return `${call.service}:${call.operation}`;
}

const READ_PREFIXES = ['Get', 'Describe', 'List', 'Head', 'Lookup'];

/** Whether an operation changes something (everything but Get/Describe/List/Head/Lookup). */
export function isWriteOperation(operation: string): boolean {
  const name = operation.includes(':') ? (operation.split(':')[1] ?? '') : operation;
  return !READ_PREFIXES.some((prefix) => name.startsWith(prefix));
}

// ---- The AWS CLI form ---------------------------------------------------------------------------------

/** The CLI's name for each service's commands. */
const CLI_SERVICE: Record<Service, string> = {
  cloudtrail: 'cloudtrail',
  s3: 's3api',
  s3control: 's3control',
  kms: 'kms',
  logs: 'logs',
  iam: 'iam',
  cloudwatch: 'cloudwatch',
  sns: 'sns',
  ec2: 'ec2',
  config: 'configservice',
};

/**
 * botocore's xform_name: how the AWS CLI turns API names into command and option names
 * (`S3BucketName` → `s3-bucket-name`, `PutBucketAcl` → `put-bucket-acl`, `logGroupName` → `log-group-name`).
 */
export function cliName(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** Shell variable names for captured outputs: one per output name, fixed by the plan. */
export type VariableNames = ReadonlyMap<string, string>;

/** `KEY_ARN` for an output `key` read at `KeyMetadata.Arn`. */
export function variableFor(output: string, path: string): string {
  const base = output
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
  const last = (path.split('.').pop() ?? 'VALUE').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
  return `${base}_${last}`.replace(/^_+/, '');
}

/** CLI shorthand (`Key=value,Key=value`) for flat structures whose values need no quoting. */
function shorthand(value: { [key: string]: Json }): string | undefined {
  const entries = Object.entries(value);
  if (entries.length === 0) return undefined;
  const parts: string[] = [];
  for (const [key, field] of entries) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) return undefined;
    if (typeof field === 'boolean' || typeof field === 'number') parts.push(`${key}=${String(field)}`);
    else if (typeof field === 'string' && /^[A-Za-z0-9_.:/-]+$/.test(field)) parts.push(`${key}=${field}`);
    else return undefined;
  }
  return parts.join(',');
}

function cliValue(value: Json | Ref, variables: VariableNames): string {
  if (isRef(value)) {
    const name = variables.get(value.$ref);
    if (name === undefined) throw new Error(`no shell variable for ${value.$ref}`);
    return `"$${name}"`;
  }
  if (typeof value === 'string') return shellQuote(value);
  if (typeof value === 'number') return String(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (!Array.isArray(value)) {
    const short = shorthand(value);
    if (short !== undefined) return short;
  }
  return shellQuote(JSON.stringify(value));
}

/**
 * The AWS CLI command that makes the same call: `--region` first (IAM has none), then the input's fields
 * in order; `true` is a bare flag, `false` its `--no-` form; structures are JSON, or shorthand when flat.
 * A call whose output later calls use is captured in a shell variable.
 */
export function cliCommand(
  call: ApiCall,
  variables: VariableNames = new Map(),
  capture?: { variable: string; query: string },
): string {
  const parts = ['aws', CLI_SERVICE[call.service], cliName(call.operation)];
  if (call.service !== 'iam') parts.push('--region', shellQuote(call.region));
  for (const [field, value] of Object.entries(call.input)) {
    const flag = cliName(field);
    if (value === true) parts.push(`--${flag}`);
    else if (value === false) parts.push(`--no-${flag}`);
    else parts.push(`--${flag}`, cliValue(value, variables));
  }
  if (capture) {
    parts.push('--query', shellQuote(capture.query), '--output', 'text');
    return `${capture.variable}=$(${parts.join(' ')})`;
  }
  return parts.join(' ');
}

/**
 * The CLI commands for calls in order. Outputs that later calls use are captured in variables, named once
 * (KEY_ARN, then KEY_ARN_2…), so the lines paste into one shell session.
 */
export function cliScript(calls: readonly ApiCall[]): string[] {
  const used = new Map<string, string>();
  for (const call of calls) for (const r of refsOf(call)) used.set(r.$ref, '');
  const taken = new Set<string>();
  const variables = new Map<string, string>();
  const outputs = new Set<string>();
  for (const reference of used.keys()) {
    const [output = '', ...path] = reference.split('.');
    // One shell variable per output: a fix refers to one value of each call it depends on.
    if (outputs.has(output)) throw new Error(`${output} is referred to by two different paths`);
    outputs.add(output);
    let name = variableFor(output, path.join('.'));
    for (let n = 2; taken.has(name); n++) name = `${variableFor(output, path.join('.'))}_${n}`;
    taken.add(name);
    variables.set(reference, name);
  }
  return calls.map((call) => {
    const captured = call.output
      ? [...variables.entries()].find(([reference]) => reference.split('.')[0] === call.output)
      : undefined;
    if (!captured) return cliCommand(call, variables);
    const [reference, variable] = captured;
    return cliCommand(call, variables, { variable, query: reference.split('.').slice(1).join('.') });
  });
}
