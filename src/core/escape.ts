/**
 * Escaping for each medium. Everything that reaches a report from AWS (names, tags, error messages) goes
 * through one of these, so it is shown as text and can never become markup or a terminal command.
 */

// C0 and C1 control characters (ESC starts ANSI sequences), DEL, Unicode line/paragraph separators, and
// the bidirectional overrides and isolates that make a terminal or page show text out of byte order.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

// What JSON.stringify leaves raw although a terminal or a JavaScript parser may act on it.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for files and terminals: JSON.stringify, with the characters it leaves raw (C1 controls, DEL,
 * separators, bidi overrides) written as \u escapes. Same data for any JSON reader.
 */
export function safeJsonStringify(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    JSON_UNSAFE,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** For the terminal: control characters become spaces, so no escape sequence survives. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** Markdown inline text: backslash-escape everything with meaning, entity-encode HTML, fold line breaks. */
export function markdownText(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .replace(/[\\`*_[\]{}#+!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Markdown code span: a fence longer than any run of backticks inside; pipes escaped for tables. */
export function markdownCode(text: string): string {
  const clean = text.replace(CONTROL, ' ');
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ` ${clean} ` : clean;
  // Inside a table even a code span ends at an unescaped pipe (GitHub Flavored Markdown).
  return `${fence}${padded.replace(/\|/g, '\\|')}${fence}`;
}

/** A fenced code block that the content cannot close early. */
export function markdownFence(lines: readonly string[], language = ''): string {
  const body = lines.map((line) => line.replace(CONTROL, ' ')).join('\n');
  const longestRun = Math.max(2, ...(body.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${body}\n${fence}`;
}
