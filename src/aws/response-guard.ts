/**
 * Refuses successful answers whose body is not a well-formed document of the protocol. The SDK's XML
 * reader accepts a truncated or garbage body as an empty answer, and an empty answer reads as "not
 * configured" (no logging, no public access block): a broken response must be a failed call, never
 * evidence.
 */

export type BodySyntax = 'xml' | 'json';

/** Raised instead of evidence; retryable, since a cut-off body is usually a transient network fault. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponse';
  readonly $metadata: { httpStatusCode?: number; attempts?: number };
  readonly $retryable = {};

  constructor(operation: string, syntax: BodySyntax, status: number, length: number) {
    super(
      `${operation} answered HTTP ${status} with ${length} bytes that are not a well-formed ${syntax.toUpperCase()} document`,
    );
    this.$metadata = { httpStatusCode: status };
  }
}

const XML_NAME = /^[A-Za-z_][\w.:-]*/;

/** A single root element, closed: what any AWS XML answer is. Cheap: no full parse. */
export function isWellFormedXmlDocument(text: string): boolean {
  let rest = text.trim();
  // Declaration, comments and processing instructions before the root.
  for (;;) {
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end < 0) return false;
      rest = rest.slice(end + 2).trimStart();
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end < 0) return false;
      rest = rest.slice(end + 3).trimStart();
    } else break;
  }
  if (!rest.startsWith('<')) return false;
  const name = XML_NAME.exec(rest.slice(1))?.[0];
  if (!name) return false;
  const openEnd = rest.indexOf('>');
  if (openEnd < 0) return false;
  if (rest[openEnd - 1] === '/') return openEnd === rest.length - 1;
  return rest.endsWith(`</${name}>`) || new RegExp(`</${name.replace(/[.]/g, '\\.')}\\s*>$`).test(rest);
}

export function isJsonObjectDocument(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Whether a successful answer's body can be evidence. An empty body is fine (operations without output). */
export function wellFormedBody(text: string, syntax: BodySyntax): boolean {
  if (text.trim() === '') return true;
  return syntax === 'xml' ? isWellFormedXmlDocument(text) : isJsonObjectDocument(text);
}

/** The body syntax of a client's protocol, from the SDK's protocol class name. */
export function bodySyntaxOf(protocolName: string | undefined): BodySyntax | undefined {
  if (!protocolName) return undefined;
  if (/Json/i.test(protocolName)) return 'json';
  if (/Xml|Query/i.test(protocolName)) return 'xml';
  return undefined;
}

/** Calls whose answers trailcheck reads as evidence: the ones the guard protects. */
export function isEvidenceRead(operation: string): boolean {
  return /^(Get|List|Describe|Lookup|Head)/.test(operation);
}

/** Operations whose answer is a stream of the caller's data, not a document. */
export const STREAMING_OPERATIONS = new Set(['GetObject', 'GetObjectTorrent', 'SelectObjectContent']);

/** Bit of the httpPayload trait in the SDK's compact member traits. */
const HTTP_PAYLOAD = 1 << 4;

/**
 * Whether an operation's answer is a raw payload rather than a document of the protocol: S3's
 * GetBucketPolicy returns the policy JSON itself as the body. Read from the SDK's own operation schema
 * (output structure, a member bound to the payload whose target is not a structure).
 */
export function hasRawPayload(operationSchema: unknown): boolean {
  if (!Array.isArray(operationSchema)) return false;
  const outputRef: unknown = operationSchema[5];
  const output: unknown = typeof outputRef === 'function' ? (outputRef as () => unknown)() : outputRef;
  if (!Array.isArray(output) || output[0] !== 3 || !Array.isArray(output[5])) return false;
  return (output[5] as unknown[]).some((member) => {
    if (!Array.isArray(member)) return false;
    const [target, traits] = member as [unknown, unknown];
    const payload =
      typeof traits === 'number'
        ? (traits & HTTP_PAYLOAD) !== 0
        : typeof traits === 'object' && traits !== null && 'httpPayload' in traits;
    return payload && typeof target !== 'function' && !Array.isArray(target);
  });
}

/** Operations whose raw payload is a JSON document (a policy): checked as JSON, not passed through. */
export const JSON_PAYLOAD_OPERATIONS = new Set(['s3:GetBucketPolicy']);
