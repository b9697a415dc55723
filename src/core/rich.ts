/**
 * Sentences that name resources. A name is kept as a code span, not pasted into the string, so each
 * renderer can format and escape it for its own medium (backticks in Markdown, <code> in HTML, plain in
 * JSON and the terminal): a trail called `a|b` or `<img>` cannot break a table or inject markup.
 */
export interface CodeSpan {
  readonly code: string;
}
export type RichPart = string | CodeSpan;
export type RichText = readonly RichPart[];

export function code(value: string): CodeSpan {
  return { code: value };
}

export function isCodeSpan(part: RichPart): part is CodeSpan {
  return typeof part === 'object';
}

type Interpolation = string | number | CodeSpan | RichText;

/** Tagged template: rich`Trail ${code(name)} is not logging.` */
export function rich(strings: TemplateStringsArray, ...values: Interpolation[]): RichText {
  // A plain loop: every finding's sentence is made with this, thousands of times while planning.
  const parts: RichPart[] = [];
  for (let index = 0; index < strings.length; index++) {
    const literal = strings[index] as string;
    if (literal !== '') parts.push(literal);
    if (index < values.length) {
      const value = values[index] as Interpolation;
      if (Array.isArray(value)) for (const part of value as RichText) parts.push(part);
      else if (typeof value === 'number') parts.push(String(value));
      else parts.push(value as string | CodeSpan);
    }
  }
  return parts;
}

/** Joins pieces with a separator. */
export function joinRich(pieces: readonly RichText[], separator = ' '): RichText {
  const parts: RichPart[] = [];
  for (let index = 0; index < pieces.length; index++) {
    if (index > 0) parts.push(separator);
    for (const part of pieces[index] as RichText) parts.push(part);
  }
  return parts;
}

/** "`a`", "`a` and `b`", "`a`, `b` and `c`". */
export function nameList(names: readonly string[], conjunction = 'and'): RichText {
  const spans = names.map((name) => [code(name)] as RichText);
  if (spans.length <= 1) return spans[0] ?? [];
  const head = spans.slice(0, -1);
  return [...joinRich(head, ', '), ` ${conjunction} `, ...(spans[spans.length - 1] as RichText)];
}

/** The text as plain characters (JSON, logs). */
export function plain(text: RichText): string {
  return text.map((part) => (isCodeSpan(part) ? part.code : part)).join('');
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** Small counts as words, the way people write them ("two of the four"). */
export function countWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** The text with its first letter in upper case: a sentence starts with a capital, whatever comes first. */
export function capitalizeRich(text: RichText): RichText {
  const [first, ...rest] = text;
  return typeof first === 'string' ? [capitalize(first), ...rest] : text;
}
