/**
 * CloudWatch Logs metric filter patterns over JSON log events: a parser, an evaluator, and a coverage
 * check ("does this filter catch every event the CIS pattern catches?").
 *
 * Grammar understood (the JSON terms of CloudWatch Logs "filter and pattern syntax"):
 *
 *   pattern    := '{' expression '}'
 *   expression := term (('&&' | '||') term)*
 *   term       := '(' expression ')' | selector test
 *   selector   := '$' ('.' name | '[' digits ']')*          e.g. $.userIdentity.type, $.a[0].b
 *   test       := ('=' | '!=') value | ('<' | '>' | '<=' | '>=') number
 *               | 'IS' 'NULL' | 'NOT' 'EXISTS' | 'IS' 'TRUE' | 'IS' 'FALSE'
 *   value      := "quoted string" | bare-string | number    ('*' in a string is a wildcard)
 *
 * Semantics chosen where AWS documents nothing, applied alike to CIS and candidate patterns:
 * - A string test (`=`/`!=` with a string) only ever holds for a string value: a missing field, null, a
 *   number or a boolean fails both `$.x = "a"` and `$.x != "a"`. A number test only holds for numbers.
 * - `&&` binds tighter than `||`. AWS does not say; CIS v3.0+ prints `A || B && C && D` meaning
 *   `(A || B) && C && D`. So a pattern that mixes both without parentheses keeps its other reading too
 *   (left to right), and coverage demands that every reading of the candidate covers.
 * - A path is one field: `$.a` and `$.a.b` are treated as independent in coverage.
 * Not understood (a parse error with its reason, never a guess): text and space-delimited patterns,
 * regular-expression values (`%…%`), `[*]` array wildcards, the empty pattern.
 */

/** A string compared with `=`/`!=`; `*` stands for any run of characters. */
export type StringValue = { kind: 'string'; text: string };
export type NumberValue = { kind: 'number'; value: number };

export type Test =
  | { op: '=' | '!='; value: StringValue | NumberValue }
  | { op: '<' | '>' | '<=' | '>='; value: NumberValue }
  | { op: 'IS NULL' | 'NOT EXISTS' | 'IS TRUE' | 'IS FALSE' };

export type Expression =
  { kind: 'test'; path: string; test: Test } | { kind: 'and' | 'or'; operands: readonly Expression[] };

export interface FilterPattern {
  text: string;
  /** The reading used by `matches`: `&&` before `||`. */
  expression: Expression;
  /** Present only when the text mixes `&&` and `||` without parentheses: the left-to-right reading. */
  leftToRight?: Expression;
}

export type ParseResult =
  | { ok: true; pattern: FilterPattern }
  | { ok: false; offset: number; expected: string; found: string; message: string };

// ---------------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { kind: 'punct'; text: '{' | '}' | '(' | ')' | '&&' | '||'; at: number }
  | { kind: 'op'; text: '=' | '!=' | '<' | '>' | '<=' | '>='; at: number }
  | { kind: 'path'; text: string; at: number }
  | { kind: 'quoted'; text: string; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'end'; text: ''; at: number };

class ParseError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected} at column ${offset + 1}, found ${found}`);
  }
}

const describeToken = (token: Token): string =>
  token.kind === 'end' ? 'the end of the pattern' : `'${token.text}'`;

/** Characters that end a bare value or word. */
const BARE_STOP = /[\s(){}&|=!<>"]/;
const NAME_CHAR = /[A-Za-z0-9_\-@:]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      tokens.push({ kind: 'punct', text: two, at: i });
      i += 2;
    } else if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, at: i });
      i += 2;
    } else if (ch === '{' || ch === '}' || ch === '(' || ch === ')') {
      tokens.push({ kind: 'punct', text: ch, at: i });
      i++;
    } else if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', text: ch, at: i });
      i++;
    } else if (ch === '$') {
      const start = i;
      i++;
      // A path: .name or [digits] steps.
      while (i < text.length) {
        if (text[i] === '.') {
          const nameStart = ++i;
          while (i < text.length && NAME_CHAR.test(text[i] as string)) i++;
          if (i === nameStart) throw new ParseError(i, 'a field name after "."', found(text, i));
        } else if (text[i] === '[') {
          const indexStart = ++i;
          while (i < text.length && /[0-9]/.test(text[i] as string)) i++;
          if (i === indexStart) throw new ParseError(i, 'an array index (digits)', found(text, i));
          if (text[i] !== ']') throw new ParseError(i, '"]"', found(text, i));
          i++;
        } else break;
      }
      if (i === start + 1) throw new ParseError(i, 'a selector such as $.eventName', found(text, i));
      tokens.push({ kind: 'path', text: text.slice(start, i), at: start });
    } else if (ch === '"') {
      const start = i;
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) throw new ParseError(i, 'a closing "', 'the end of the pattern');
      i++;
      tokens.push({ kind: 'quoted', text: value, at: start });
    } else if (ch === '&' || ch === '|' || ch === '!') {
      throw new ParseError(i, ch === '!' ? '"!="' : `"${ch}${ch}"`, `'${ch}'`);
    } else {
      const start = i;
      while (i < text.length && !BARE_STOP.test(text[i] as string)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), at: start });
    }
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

function found(text: string, offset: number): string {
  return offset >= text.length ? 'the end of the pattern' : `'${text[offset]}'`;
}

// ---------------------------------------------------------------------------------------------------
// Parser: a flat chain per parenthesis level, so both readings of a mixed chain can be built.

/** One parenthesis level as written: operands joined by the operators between them. */
type Chain = {
  operands: Array<Chain | Extract<Expression, { kind: 'test' }>>;
  operators: Array<'&&' | '||'>;
};

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }
  private next(): Token {
    return this.tokens[this.index++] as Token;
  }
  private fail(expected: string): never {
    const token = this.peek();
    throw new ParseError(token.at, expected, describeToken(token));
  }
  private expectPunct(text: '{' | '}' | ')'): void {
    const token = this.peek();
    if (token.kind === 'punct' && token.text === text) this.index++;
    else this.fail(`"${text}"`);
  }

  pattern(): Chain {
    const first = this.peek();
    if (!(first.kind === 'punct' && first.text === '{'))
      this.fail('"{" (only JSON filter patterns are understood)');
    this.index++;
    const chain = this.chain();
    this.expectPunct('}');
    if (this.peek().kind !== 'end') this.fail('the end of the pattern after "}"');
    return chain;
  }

  private chain(): Chain {
    const chain: Chain = { operands: [this.term()], operators: [] };
    for (;;) {
      const token = this.peek();
      if (token.kind === 'punct' && (token.text === '&&' || token.text === '||')) {
        this.index++;
        chain.operators.push(token.text);
        chain.operands.push(this.term());
      } else return chain;
    }
  }

  private term(): Chain['operands'][number] {
    const token = this.peek();
    if (token.kind === 'punct' && token.text === '(') {
      this.index++;
      const inner = this.chain();
      this.expectPunct(')');
      return inner;
    }
    if (token.kind !== 'path') this.fail('a selector such as $.eventName, or "("');
    this.index++;
    return { kind: 'test', path: token.text, test: this.test() };
  }

  private test(): Test {
    const token = this.next();
    if (token.kind === 'op') {
      if (token.text === '=' || token.text === '!=') return { op: token.text, value: this.value() };
      const value = this.value();
      if (value.kind !== 'number') {
        this.index--;
        this.fail(`a number after "${token.text}"`);
      }
      return { op: token.text, value };
    }
    if (token.kind === 'word') {
      const second = this.next();
      const words = `${token.text} ${second.kind === 'word' ? second.text : ''}`.toUpperCase();
      if (words === 'IS NULL' || words === 'NOT EXISTS' || words === 'IS TRUE' || words === 'IS FALSE')
        return { op: words };
      this.index--;
      if (token.text.toUpperCase() === 'IS') this.fail('NULL, TRUE or FALSE after IS');
      if (token.text.toUpperCase() === 'NOT') this.fail('EXISTS after NOT');
    }
    this.index--;
    this.fail('an operator (=, !=, <, >, <=, >=, IS NULL, NOT EXISTS, IS TRUE, IS FALSE)');
  }

  private value(): StringValue | NumberValue {
    const token = this.peek();
    if (token.kind === 'quoted' || token.kind === 'word') {
      if (token.text.startsWith('%') && token.text.endsWith('%') && token.text.length > 1)
        throw new ParseError(
          token.at,
          'a string or a number (regular expressions are not supported)',
          describeToken(token),
        );
      this.index++;
      if (token.kind === 'word' && NUMBER.test(token.text))
        return { kind: 'number', value: Number(token.text) };
      return { kind: 'string', text: token.text };
    }
    this.fail('a value (a string or a number)');
  }
}

function hasMixedChain(chain: Chain): boolean {
  if (new Set(chain.operators).size > 1) return true;
  return chain.operands.some((operand) => 'operands' in operand && hasMixedChain(operand));
}

function flatten(kind: 'and' | 'or', operands: Expression[]): Expression {
  if (operands.length === 1) return operands[0] as Expression;
  return { kind, operands: operands.flatMap((o) => (o.kind === kind ? o.operands : [o])) };
}

/** `&&` binds tighter: split the chain at each `||`, AND each run. */
function andFirst(chain: Chain): Expression {
  const runs: Expression[][] = [[]];
  chain.operands.forEach((operand, i) => {
    if (i > 0 && chain.operators[i - 1] === '||') runs.push([]);
    (runs[runs.length - 1] as Expression[]).push('operands' in operand ? andFirst(operand) : operand);
  });
  return flatten(
    'or',
    runs.map((run) => flatten('and', run)),
  );
}

/** Left to right: ((a op b) op c) … */
function leftToRight(chain: Chain): Expression {
  const toExpression = (operand: Chain['operands'][number]): Expression =>
    'operands' in operand ? leftToRight(operand) : operand;
  let result = toExpression(chain.operands[0] as Chain['operands'][number]);
  chain.operators.forEach((operator, i) => {
    const right = toExpression(chain.operands[i + 1] as Chain['operands'][number]);
    result = flatten(operator === '&&' ? 'and' : 'or', [result, right]);
  });
  return result;
}

export function parseFilterPattern(text: string): ParseResult {
  try {
    if (text.trim() === '')
      throw new ParseError(
        0,
        'a JSON filter pattern such as { $.eventName = "DeleteTrail" }',
        'an empty pattern',
      );
    const chain = new Parser(tokenize(text)).pattern();
    const pattern: FilterPattern = { text, expression: andFirst(chain) };
    if (hasMixedChain(chain)) pattern.leftToRight = leftToRight(chain);
    return { ok: true, pattern };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return {
      ok: false,
      offset: error.offset,
      expected: error.expected,
      found: error.found,
      message: error.message,
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

/** A field's value in an event: a JSON value, or `undefined` when the field is absent. */
export type FieldValue = string | number | boolean | null | undefined | object;

/** Does a string match a value that may hold `*` wildcards? */
export function globMatches(glob: string, value: string): boolean {
  if (!glob.includes('*')) return glob === value;
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(value);
}

export function testHolds(test: Test, value: FieldValue): boolean {
  switch (test.op) {
    case 'NOT EXISTS':
      return value === undefined;
    case 'IS NULL':
      return value === null;
    case 'IS TRUE':
      return value === true;
    case 'IS FALSE':
      return value === false;
    case '=':
    case '!=': {
      const equal =
        test.value.kind === 'string'
          ? typeof value === 'string' && globMatches(test.value.text, value)
          : typeof value === 'number' && value === test.value.value;
      // The type must fit either way: a missing or differently typed field fails `!=` too.
      const typed = test.value.kind === 'string' ? typeof value === 'string' : typeof value === 'number';
      return typed && (test.op === '=' ? equal : !equal);
    }
    default: {
      if (typeof value !== 'number') return false;
      const bound = test.value.value;
      if (test.op === '<') return value < bound;
      if (test.op === '>') return value > bound;
      if (test.op === '<=') return value <= bound;
      return value >= bound;
    }
  }
}

export function evaluate(expression: Expression, lookup: (path: string) => FieldValue): boolean {
  if (expression.kind === 'test') return testHolds(expression.test, lookup(expression.path));
  if (expression.kind === 'and') return expression.operands.every((o) => evaluate(o, lookup));
  return expression.operands.some((o) => evaluate(o, lookup));
}

/** The value at a selector such as `$.a.b[0]`, or undefined when any step is missing. */
export function valueAt(event: unknown, path: string): FieldValue {
  const steps = [...path.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)];
  let current: unknown = event;
  for (const [, name, index] of steps) {
    if (name !== undefined) {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, name)) return undefined;
      current = (current as Record<string, unknown>)[name];
    } else {
      if (!Array.isArray(current)) return undefined;
      const position = Number(index);
      if (position >= current.length) return undefined;
      current = current[position];
    }
  }
  return current as FieldValue;
}

/** Does the pattern (its `&&`-first reading) match this JSON event? */
export function matches(pattern: FilterPattern, event: unknown): boolean {
  return evaluate(pattern.expression, (path) => valueAt(event, path));
}

// ---------------------------------------------------------------------------------------------------
// Coverage: does a candidate catch every event a reference (CIS) pattern catches?
//
// Method. Write the reference in disjunctive normal form (CIS patterns are ORs of ANDs of field tests;
// the grammar has no negation, so this is exact). A pattern's truth on an event depends only on, per
// field, which of the tests on that field hold. So per field we build a small set of witness values, at
// least one in every region those tests carve out (see `witnesses`), and for each reference disjunct try
// every combination of witnesses that satisfies it: an event the disjunct matches and the candidate
// does not is a named miss. Fields are taken as independent (`$.a` and `$.a.b` are not related).
// Limits: with exact values and wildcards at either end (all CIS patterns, and what people write) the
// witnesses reach every region, so the answer is exact. Middle wildcards (`a*b`, `*x*`) get witnesses
// with up to two middle parts between a head and a tail, which a property test checks on random
// patterns but which is not a proof; combinations beyond a budget give "undecided", never "covers".

export type CoverageMiss = {
  /** The events missed, in the words the brief asks for: `eventName=DeleteTrail`. */
  summary: string;
  /** The reference's AND-term the miss belongs to, as pattern text. */
  referenceTerms: string;
  /** One concrete event (selector → value; absent fields left out) the reference matches and the candidate not. */
  example: Record<string, FieldValue>;
};

export type CoverageVerdict =
  | { verdict: 'covers' }
  | { verdict: 'misses'; misses: CoverageMiss[] }
  | { verdict: 'unparseable'; reason: string }
  | { verdict: 'undecided'; reason: string };

type Atom = Extract<Expression, { kind: 'test' }>;

/** Disjunctive normal form; `null` when it would exceed `limit` conjunctions. */
export function disjuncts(expression: Expression, limit = 4096): Atom[][] | null {
  if (expression.kind === 'test') return [[expression]];
  const parts = expression.operands.map((o) => disjuncts(o, limit));
  if (parts.some((p) => p === null)) return null;
  const lists = parts as Atom[][][];
  if (expression.kind === 'or') {
    const all = lists.flat();
    return all.length > limit ? null : all;
  }
  let product: Atom[][] = [[]];
  for (const list of lists) {
    if (product.length * list.length > limit) return null;
    product = product.flatMap((left) => list.map((right) => [...left, ...right]));
  }
  return product;
}

function atomsOf(expression: Expression): Atom[] {
  return expression.kind === 'test' ? [expression] : expression.operands.flatMap(atomsOf);
}

/**
 * Values for one field, at least one per region its tests carve out. With exact values and wildcards
 * at the ends only, a string region is fixed by the longest matching head (text before the first `*`),
 * the longest matching tail, and whether it equals a literal; `head + F + tail`, with F a text no
 * constant contains, reaches every such region, and the literals and glob fillings reach the rest.
 * Absent comes first so that a miss is shown with as few fields as possible.
 */
function witnesses(tests: readonly Test[]): { values: FieldValue[]; fresh: string } {
  const strings = tests.flatMap((t) => ('value' in t && t.value.kind === 'string' ? [t.value.text] : []));
  const numbers = tests.flatMap((t) => ('value' in t && t.value.kind === 'number' ? [t.value.value] : []));
  const fresh = ['~', '§', '¤', '\u0001'].find((f) => strings.every((s) => !s.includes(f))) ?? '\u0002';
  const globs = strings.filter((s) => s.includes('*'));
  const literals = strings.filter((s) => !s.includes('*'));
  const heads = new Set(['', ...globs.map((g) => g.slice(0, g.indexOf('*')))]);
  const tails = new Set(['', ...globs.map((g) => g.slice(g.lastIndexOf('*') + 1))]);
  const values = new Set<FieldValue>([undefined, ...literals]);
  const middles = new Set<string>();
  for (const glob of globs) {
    const segments = glob.split('*');
    values.add(segments.join(''));
    values.add(segments.join(fresh));
    for (const middle of segments.slice(1, -1)) if (middle !== '') middles.add(middle);
  }
  // Middle parts (`*x*`) are placed between head and tail, alone or two at a time.
  const insides = ['', ...[...middles].map((m) => m + fresh)];
  for (const first of middles)
    for (const second of middles) if (first !== second) insides.push(first + fresh + second + fresh);
  for (const head of heads)
    for (const inside of insides) for (const tail of tails) values.add(head + fresh + inside + tail);
  for (const n of numbers) for (const v of [n, n - 1, n + 1, n - 0.5, n + 0.5]) values.add(v);
  if (tests.some((t) => t.op === 'IS NULL')) values.add(null);
  if (tests.some((t) => t.op === 'IS TRUE' || t.op === 'IS FALSE')) {
    values.add(true);
    values.add(false);
  }
  return { values: [...values], fresh };
}

/** A value for people: the filler text of a witness reads as "…" (any text). */
function renderValue(value: FieldValue, fresh: string): string {
  return typeof value === 'string' ? value.split(fresh).join('…') : JSON.stringify(value);
}

function renderTest(atom: Atom): string {
  const { test } = atom;
  if (!('value' in test)) return `${atom.path} ${test.op}`;
  const value = test.value.kind === 'string' ? JSON.stringify(test.value.text) : String(test.value.value);
  return `${atom.path} ${test.op} ${value}`;
}

const fieldName = (path: string): string => path.replace(/^\$\.?/, '');

/** Combinations tried across all disjuncts before giving up with "undecided". */
const COMBINATION_BUDGET = 2_000_000;

/**
 * Does `candidate` catch every event `reference` catches? Every reading of the candidate must (see the
 * module comment on `&&` and `||`); `reference` is the meaning intended, already disambiguated.
 */
export function coverage(
  candidate: FilterPattern,
  reference: Expression,
  combinationBudget = COMBINATION_BUDGET,
): CoverageVerdict {
  const readings = [candidate.expression, ...(candidate.leftToRight ? [candidate.leftToRight] : [])];
  const referenceDisjuncts = disjuncts(reference);
  if (referenceDisjuncts === null)
    return { verdict: 'undecided', reason: 'the reference pattern has too many alternatives to compare' };

  const testsByPath = new Map<string, Test[]>();
  for (const atom of [...atomsOf(reference), ...readings.flatMap(atomsOf)]) {
    const tests = testsByPath.get(atom.path) ?? [];
    tests.push(atom.test);
    testsByPath.set(atom.path, tests);
  }
  const witnessesByPath = new Map([...testsByPath].map(([path, tests]) => [path, witnesses(tests)]));
  const candidatePaths = new Set(readings.flatMap(atomsOf).map((a) => a.path));

  const misses: CoverageMiss[] = [];
  let budget = combinationBudget;
  for (const conjunction of referenceDisjuncts) {
    const ownPaths = [...new Set(conjunction.map((a) => a.path))];
    // Fields the disjunct constrains take the witnesses it accepts; the candidate's other fields take
    // every witness; fields neither mentions cannot change the outcome and stay absent.
    const axes = [...new Set([...ownPaths, ...candidatePaths])].map((path) => {
      const own = conjunction.filter((a) => a.path === path).map((a) => a.test);
      const values = (witnessesByPath.get(path)?.values ?? [undefined]).filter((v) =>
        own.every((t) => testHolds(t, v)),
      );
      return { path, values };
    });
    if (axes.some((axis) => axis.values.length === 0)) continue; // the disjunct matches no event
    const positions = axes.map(() => 0);
    for (;;) {
      if (--budget < 0)
        return { verdict: 'undecided', reason: 'too many combinations of field values to compare' };
      const event = new Map(axes.map((axis, i) => [axis.path, axis.values[positions[i] as number]]));
      const lookup = (path: string): FieldValue => event.get(path);
      if (!readings.every((reading) => evaluate(reading, lookup))) {
        const example: Record<string, FieldValue> = {};
        for (const [path, value] of event) if (value !== undefined) example[path] = value;
        const describe = (path: string): string => {
          const value = event.get(path);
          return value === undefined
            ? `${fieldName(path)} absent`
            : `${fieldName(path)}=${renderValue(value, witnessesByPath.get(path)?.fresh ?? '')}`;
        };
        const extra = [...event.keys()].filter((p) => !ownPaths.includes(p) && event.get(p) !== undefined);
        misses.push({
          summary: [...ownPaths, ...extra].map(describe).join(', '),
          referenceTerms: conjunction.map(renderTest).join(' && '),
          example,
        });
        break;
      }
      // Next combination (odometer).
      let axis = 0;
      while (axis < axes.length) {
        positions[axis] = (positions[axis] as number) + 1;
        if ((positions[axis] as number) < (axes[axis] as { values: FieldValue[] }).values.length) break;
        positions[axis] = 0;
        axis++;
      }
      if (axis === axes.length) break;
    }
  }
  return misses.length === 0 ? { verdict: 'covers' } : { verdict: 'misses', misses };
}

/** Coverage from the candidate's text: an unparseable candidate is reported with the parser's reason. */
export function coverageOfText(candidateText: string, reference: Expression): CoverageVerdict {
  const parsed = parseFilterPattern(candidateText);
  if (!parsed.ok) return { verdict: 'unparseable', reason: parsed.message };
  return coverage(parsed.pattern, reference);
}
