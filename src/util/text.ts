/**
 * Text that came from outside (AWS error messages, user input echoed in an error line) made safe to store
 * and print: one line, no control characters, bounded, and no access key id.
 */

// C0 and C1 controls (ESC starts ANSI sequences), DEL, line/paragraph separators and the bidirectional
// overrides that can make a terminal show text in an order other than its bytes.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Whole ANSI sequences (CSI `ESC [ … letter`, OSC `ESC ] … BEL/ST`), dropped rather than half-shown. */
const ANSI_SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]/g;

/** AWS access key ids (long-term AKIA…, temporary ASIA…, and the other unique-id prefixes). */
const ACCESS_KEY_ID = /\b(AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA|APKA|ABIA|ACCA)[A-Z0-9]{16}\b/g;

export function redactAccessKeyIds(text: string): string {
  return text.replace(ACCESS_KEY_ID, '$1…(redacted)');
}

/** One printable line of at most `max` characters; longer text ends with an ellipsis. */
export function oneLine(text: string, max = 500): string {
  const clean = redactAccessKeyIds(text.replace(ANSI_SEQUENCE, '').replace(UNSAFE, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

/** The first unsafe character of a text and where it is, for error messages; undefined when clean. */
export function firstUnsafeCharacter(text: string): { codePoint: string; index: number } | undefined {
  UNSAFE.lastIndex = 0;
  const match = new RegExp(UNSAFE.source).exec(text);
  if (!match) return undefined;
  const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return { codePoint: `U+${code}`, index: match.index };
}
