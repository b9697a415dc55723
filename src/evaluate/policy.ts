/**
 * Reading IAM resource policies (bucket policies, key policies) exactly enough to answer three questions:
 * does a statement open a bucket to the public, may a given service principal perform an action on a
 * resource in a given request context, and is a grant scoped to the caller's source.
 *
 * It never guesses: an operator or condition key it cannot evaluate yields "unknown", which the controls
 * turn into UNKNOWN rather than PASS.
 */

export type Tri = 'yes' | 'no' | 'unknown';

export interface PolicyCondition {
  /** As written, e.g. "ForAnyValue:StringLike" or "ArnLikeIfExists". */
  operator: string;
  /** Operator without set qualifier or IfExists, e.g. "StringLike". */
  base: string;
  qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
  ifExists: boolean;
  /** Condition key as written. */
  key: string;
  values: string[];
}

export interface PolicyStatement {
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
  /** Principal "*" or {"AWS": "*"}: anyone. */
  anyPrincipal: boolean;
  /** Principal "*" itself, which also covers AWS service principals ({"AWS": "*"} may not). */
  everyone: boolean;
  /** NotPrincipal is present: everyone except the listed principals. */
  notPrincipal: boolean;
  awsPrincipals: string[];
  servicePrincipals: string[];
  otherPrincipals: string[];
  actions: string[];
  /** NotAction: every action except these. */
  notActions: string[] | undefined;
  resources: string[];
  notResources: string[] | undefined;
  conditions: PolicyCondition[];
}

export type ParsedPolicy = { ok: true; statements: PolicyStatement[] } | { ok: false; error: string };

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function strings(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value))
    return value.flatMap((v) => (typeof v === 'object' && v !== null ? [] : [String(v)]));
  if (typeof value === 'object') return [];
  return [String(value)];
}

function isRecord(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseConditions(block: Json | undefined): PolicyCondition[] | string {
  if (block === undefined) return [];
  if (!isRecord(block)) return 'a Condition block is not an object';
  const conditions: PolicyCondition[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    if (!isRecord(keys)) return `condition ${operator} is not an object`;
    const [qualifierText, rest] = operator.includes(':') ? operator.split(':', 2) : [undefined, operator];
    const qualifier =
      qualifierText === 'ForAnyValue' || qualifierText === 'ForAllValues' ? qualifierText : undefined;
    const name = rest ?? operator;
    const ifExists = name.endsWith('IfExists');
    const base = ifExists ? name.slice(0, -'IfExists'.length) : name;
    for (const [key, values] of Object.entries(keys)) {
      conditions.push({ operator, base, qualifier, ifExists, key, values: strings(values) });
    }
  }
  return conditions;
}

function parsePrincipal(statement: { [key: string]: Json }, field: 'Principal' | 'NotPrincipal') {
  const principal = statement[field];
  const result = {
    any: false,
    everyone: false,
    aws: [] as string[],
    service: [] as string[],
    other: [] as string[],
  };
  if (principal === undefined) return result;
  if (principal === '*') {
    result.any = true;
    result.everyone = true;
    return result;
  }
  if (!isRecord(principal)) return result;
  for (const [kind, value] of Object.entries(principal)) {
    const names = strings(value);
    if (kind === 'AWS') {
      if (names.includes('*')) result.any = true;
      result.aws.push(...names.filter((n) => n !== '*'));
    } else if (kind === 'Service') result.service.push(...names);
    else result.other.push(...names.map((n) => `${kind}:${n}`));
  }
  return result;
}

/**
 * Policies parsed lately, by their text. The planner judges the same bucket and key policies again after
 * every simulated change (a Region's key policy after each fix of one of its trails); the text decides
 * the result, which no caller changes. Bounded, so a long-running process does not keep every policy.
 */
const PARSED = new Map<string, ParsedPolicy>();
const PARSED_LIMIT = 2000;

/** Parses a policy document; a document trailcheck cannot read is reported, not guessed at. */
export function parsePolicy(text: string): ParsedPolicy {
  const known = PARSED.get(text);
  if (known) return known;
  const parsed = frozen(parsePolicyText(text));
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(text, parsed);
  return parsed;
}

/** Shared between callers, so frozen: a change in place throws instead of altering another's verdict. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

function parsePolicyText(text: string): ParsedPolicy {
  let document: Json;
  try {
    document = JSON.parse(text) as Json;
  } catch (error) {
    return { ok: false, error: `the policy is not valid JSON (${(error as Error).message})` };
  }
  if (!isRecord(document)) return { ok: false, error: 'the policy is not a JSON object' };
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  const statements: PolicyStatement[] = [];
  for (const [index, entry] of list.entries()) {
    if (!isRecord(entry)) return { ok: false, error: `statement ${index + 1} is not an object` };
    const effect = entry.Effect;
    if (effect !== 'Allow' && effect !== 'Deny')
      return { ok: false, error: `statement ${index + 1} has no valid Effect` };
    const conditions = parseConditions(entry.Condition);
    if (typeof conditions === 'string') return { ok: false, error: `statement ${index + 1}: ${conditions}` };
    const principal = parsePrincipal(entry, 'Principal');
    const notPrincipal = entry.NotPrincipal !== undefined;
    statements.push({
      sid: typeof entry.Sid === 'string' ? entry.Sid : undefined,
      effect,
      anyPrincipal: principal.any,
      everyone: principal.everyone,
      notPrincipal,
      awsPrincipals: principal.aws,
      servicePrincipals: principal.service,
      otherPrincipals: principal.other,
      actions: strings(entry.Action),
      notActions: entry.NotAction !== undefined ? strings(entry.NotAction) : undefined,
      resources: strings(entry.Resource),
      notResources: entry.NotResource !== undefined ? strings(entry.NotResource) : undefined,
      conditions,
    });
  }
  return { ok: true, statements };
}

/**
 * Wildcard patterns compiled lately, by flags and pattern: a key policy's conditions are matched against
 * every trail that uses the key, and the planner judges them again after each change. Bounded.
 */
const COMPILED = new Map<string, RegExp>();
const COMPILED_LIMIT = 5000;

/** IAM wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const flags = ignoreCase ? 'is' : 's';
  const key = `${flags}\u0000${pattern}`;
  let compiled = COMPILED.get(key);
  if (!compiled) {
    const escaped = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    // No `g` flag: `test` keeps no position between calls, so one RegExp serves every caller.
    compiled = new RegExp(`^${escaped}$`, flags);
    if (COMPILED.size >= COMPILED_LIMIT) COMPILED.clear();
    COMPILED.set(key, compiled);
  }
  return compiled.test(value);
}

/** Does the statement's Action / NotAction cover this action (service:Name, case-insensitive)? */
export function coversAction(statement: PolicyStatement, action: string): boolean {
  if (statement.notActions !== undefined)
    return !statement.notActions.some((p) => wildcardMatch(p, action, true));
  return statement.actions.some((p) => wildcardMatch(p, action, true));
}

export function coversResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.notResources !== undefined)
    return !statement.notResources.some((p) => wildcardMatch(p, resource));
  return statement.resources.some((p) => wildcardMatch(p, resource));
}

/**
 * Does the statement apply to this service principal? Listed by name or Principal "*": yes. Only through
 * {"AWS": "*"} or NotPrincipal: AWS does not document it for every service, so unknown.
 */
export function coversServicePrincipal(statement: PolicyStatement, service: string): Tri {
  if (statement.everyone || statement.servicePrincipals.includes(service)) return 'yes';
  if (statement.anyPrincipal || statement.notPrincipal) return 'unknown';
  return 'no';
}

function both(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'yes';
}

const STRING_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
]);
const ARN_OPERATORS = new Set(['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike']);

function matchOne(base: string, pattern: string, value: string): boolean | undefined {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return pattern === value;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
    case 'ArnEquals':
    case 'ArnNotEquals':
      return wildcardMatch(pattern, value);
    default:
      return undefined;
  }
}

/**
 * Evaluates one condition against a request context in which every key of interest has one value.
 * `known` lists the keys whose absence is certain (the request would not carry them); any other key
 * that is missing from the context makes the answer unknown.
 */
export function evaluateCondition(
  condition: PolicyCondition,
  context: Readonly<Record<string, string>>,
  known: ReadonlySet<string>,
): Tri {
  const keyLower = condition.key.toLowerCase();
  const entry = Object.entries(context).find(([k]) => k.toLowerCase() === keyLower);
  if (condition.base === 'Null') {
    const wantsAbsent = condition.values.map((v) => v.toLowerCase()).includes('true');
    if (entry) return wantsAbsent ? 'no' : 'yes';
    return known.has(keyLower) ? (wantsAbsent ? 'yes' : 'no') : 'unknown';
  }
  if (
    !STRING_OPERATORS.has(condition.base) &&
    !ARN_OPERATORS.has(condition.base) &&
    condition.base !== 'Bool'
  )
    return 'unknown';
  if (!entry) {
    if (!known.has(keyLower)) return 'unknown';
    if (condition.ifExists) return 'yes';
    // A negated operator on a missing key matches; a positive one does not (set qualifiers aside).
    if (condition.qualifier === 'ForAllValues') return 'yes';
    return condition.base.includes('Not') ? 'yes' : 'no';
  }
  const value = entry[1];
  if (condition.base === 'Bool')
    return condition.values.map((v) => v.toLowerCase()).includes(value.toLowerCase()) ? 'yes' : 'no';
  const negated = condition.base.includes('Not');
  const anyMatch = condition.values.some((pattern) => matchOne(condition.base, pattern, value) === true);
  return (negated ? !anyMatch : anyMatch) ? 'yes' : 'no';
}

/** All conditions of a statement hold (AND), with unknown taking precedence over yes. */
export function evaluateConditions(
  statement: PolicyStatement,
  context: Readonly<Record<string, string>>,
  known: ReadonlySet<string>,
): Tri {
  let result: Tri = 'yes';
  for (const condition of statement.conditions) {
    const outcome = evaluateCondition(condition, context, known);
    if (outcome === 'no') return 'no';
    if (outcome === 'unknown') result = 'unknown';
  }
  return result;
}

export interface ServiceRequest {
  service: string;
  action: string;
  resource: string;
  context: Readonly<Record<string, string>>;
  /** Keys that are certainly absent from the request unless given in context. */
  knownKeys: readonly string[];
}

export interface Decision {
  allowed: Tri;
  /** Statements that allow the request (or might, when conditions are unknown). */
  allowedBy: PolicyStatement[];
  /** Statements that deny it (or might). */
  deniedBy: PolicyStatement[];
}

/**
 * Would the resource policy allow a service principal's request? Explicit deny wins; an allow is needed;
 * any condition that cannot be evaluated leaves the answer unknown.
 */
export function decideServiceRequest(
  statements: readonly PolicyStatement[],
  request: ServiceRequest,
): Decision {
  const known = new Set([...request.knownKeys, ...Object.keys(request.context)].map((k) => k.toLowerCase()));
  const allowedBy: PolicyStatement[] = [];
  const deniedBy: PolicyStatement[] = [];
  let allow: Tri = 'no';
  let deny: Tri = 'no';
  for (const statement of statements) {
    if (!coversAction(statement, request.action) || !coversResource(statement, request.resource)) continue;
    const holds = both(
      coversServicePrincipal(statement, request.service),
      evaluateConditions(statement, request.context, known),
    );
    if (holds === 'no') continue;
    if (statement.effect === 'Deny') {
      deniedBy.push(statement);
      deny = deny === 'yes' || holds === 'yes' ? 'yes' : 'unknown';
    } else {
      allowedBy.push(statement);
      allow = allow === 'yes' || holds === 'yes' ? 'yes' : 'unknown';
    }
  }
  let allowed: Tri;
  if (deny === 'yes') allowed = 'no';
  else if (allow === 'no') allowed = 'no';
  else if (deny === 'unknown' || allow === 'unknown') allowed = 'unknown';
  else allowed = 'yes';
  return { allowed, allowedBy, deniedBy };
}

/** What every request CloudTrail itself makes carries, whatever it writes to. */
export const CLOUDTRAIL_REQUEST_CONTEXT: Readonly<Record<string, string>> = {
  'aws:PrincipalIsAWSService': 'true',
  'aws:PrincipalServiceName': 'cloudtrail.amazonaws.com',
  'aws:SecureTransport': 'true',
};

/**
 * Keys a CloudTrail service request never carries: a service principal belongs to no organization, and it
 * does not come through the account's VPCs or VPC endpoints.
 */
export const CLOUDTRAIL_ABSENT_KEYS: readonly string[] = [
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:SourceVpc',
  'aws:SourceVpce',
  'aws:VpcSourceIp',
];

// ---- Public access (S3's own definition of a public policy) -----------------------------------------

/**
 * Condition keys that, with a fixed value, make a statement non-public in S3's sense: the grant is then
 * limited to known sources or principals.
 */
const LIMITING_KEYS = new Set(
  [
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceOwner',
    'aws:SourceAccount',
    'aws:SourceOrgID',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:userid',
    's3:x-amz-server-side-encryption-aws-kms-key-id',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

const POSITIVE_OPERATORS = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
]);

function isFixed(value: string): boolean {
  return value !== '' && !value.includes('*') && !value.includes('?');
}

/** A CIDR narrower than the whole address space. */
function isLimitedCidr(value: string): boolean {
  const [, bits] = value.split('/');
  if (bits === undefined) return true; // a single address
  const prefix = Number(bits);
  return Number.isInteger(prefix) && prefix > 0;
}

/** Why a condition limits a grant, or undefined if it does not. */
export function limitingCondition(condition: PolicyCondition): string | undefined {
  if (condition.ifExists || condition.qualifier === 'ForAllValues') return undefined;
  const key = condition.key.toLowerCase();
  if (key === 'aws:sourceip' && condition.base === 'IpAddress') {
    return condition.values.length > 0 && condition.values.every(isLimitedCidr)
      ? `${condition.key} ${condition.values.join(', ')}`
      : undefined;
  }
  if (!LIMITING_KEYS.has(key) || !POSITIVE_OPERATORS.has(condition.base)) return undefined;
  if (key === 'aws:userid' && condition.values.some((v) => /^AROA[A-Z0-9]+:\*$/.test(v))) return undefined;
  return condition.values.length > 0 && condition.values.every(isFixed)
    ? `${condition.key} = ${condition.values.join(', ')}`
    : undefined;
}

/** An Allow statement that grants anyone (principal "*" or NotPrincipal) access without a limiting condition. */
export function isPublicGrant(statement: PolicyStatement): boolean {
  if (statement.effect !== 'Allow') return false;
  if (!statement.anyPrincipal && !statement.notPrincipal) return false;
  return !statement.conditions.some((c) => limitingCondition(c) !== undefined);
}
