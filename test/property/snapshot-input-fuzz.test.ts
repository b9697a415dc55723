/**
 * Snapshot files as hostile input, with fast-check: random JSON, valid snapshots with one random mutation,
 * truncated files, and a few hand-picked nasties (deep nesting, __proto__, huge numbers, a byte order
 * mark). Loading either gives a snapshot that every control and every format can handle, or one usage
 * error line that names the problem and where it is; never anything else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CONTROLS } from '../../src/controls/index.js';
import { reportOf } from '../../src/report/model.js';
import { FORMATS, render } from '../../src/report/index.js';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/io.js';
import { UsageError } from '../../src/util/errors.js';
import { hostileString, snapshotArbitrary } from '../support/arbitraries.js';

const RUNS = 500;
const LABEL = 'snapshot fuzz.json';

/** Loads, and if it loads, assesses and renders in every format. Returns the error line, if any. */
function load(text: string): string | undefined {
  let snapshot;
  try {
    snapshot = parseSnapshot(text, LABEL);
  } catch (error) {
    assert.ok(error instanceof UsageError, `not a usage error: ${String(error)}`);
    const message = error.message;
    assert.ok(message.startsWith(LABEL), message);
    assert.ok(message.length <= 1000, `an error line of ${message.length} characters`);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(message, /[\u0000-\u001f\u007f-\u009f]/, 'no control characters in the error line');
    return message;
  }
  const assessment = reportOf(snapshot, CONTROLS);
  for (const format of FORMATS) render(assessment, format);
  return undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths to every value in a JSON tree. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

type Mutation = 'delete' | 'replace' | 'hostile' | 'extra-key' | 'wrap' | 'duplicate';

function mutate(
  root: Json,
  path: Array<string | number>,
  how: Mutation,
  replacement: Json,
  text: string,
): Json {
  if (path.length === 0) return how === 'wrap' ? [root] : replacement;
  let parent: Json = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json;
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = key as number;
    if (how === 'delete') parent.splice(index, 1);
    else if (how === 'replace') parent[index] = replacement;
    else if (how === 'hostile') parent[index] = text;
    else if (how === 'extra-key') parent.push(replacement);
    else if (how === 'wrap') parent[index] = [parent[index] as Json];
    else parent.push(structuredClone(parent[index] as Json));
    return root;
  }
  const record = parent as Record<string, Json>;
  const name = String(key);
  if (how === 'delete') delete record[name];
  else if (how === 'replace') record[name] = replacement;
  else if (how === 'hostile') record[name] = text;
  else if (how === 'extra-key') record[`${text}\u001b[2J`] = replacement;
  else if (how === 'wrap') record[name] = [record[name] as Json];
  else record[`${name}`] = structuredClone(record[name] as Json);
  return root;
}

describe('snapshot files as hostile input (fast-check)', () => {
  it('random JSON: a usage error naming the problem, never a crash', (t) => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        assert.notEqual(load(JSON.stringify(value)), undefined);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        load(text);
      }),
      { numRuns: RUNS },
    );
    t.diagnostic(`input fuzz: ${RUNS} random JSON documents and ${RUNS} random texts, crashes: 0`);
  });

  it('a valid snapshot with one random mutation loads cleanly or is refused with its location', (t) => {
    let refused = 0;
    let accepted = 0;
    fc.assert(
      fc.property(
        snapshotArbitrary,
        fc.nat(),
        fc.constantFrom<Mutation>('delete', 'replace', 'hostile', 'extra-key', 'wrap', 'duplicate'),
        fc.jsonValue({ maxDepth: 2 }),
        hostileString,
        (snapshot, pick, how, replacement, text) => {
          const tree = JSON.parse(serializeSnapshot(snapshot)) as Json;
          const all = paths(tree);
          const path = all[pick % all.length]!;
          const mutated = mutate(tree, path, how, replacement as Json, text);
          const error = load(JSON.stringify(mutated));
          if (error === undefined) accepted += 1;
          else {
            refused += 1;
            assert.match(error, /malformed at |is not a trailcheck snapshot|snapshot; this trailcheck reads/);
          }
        },
      ),
      { numRuns: RUNS },
    );
    t.diagnostic(
      `mutation fuzz: ${RUNS} mutated snapshots, ${refused} refused with a location, ${accepted} loaded and assessed, crashes: 0`,
    );
  });

  it('a truncated snapshot says where the JSON breaks', (t) => {
    fc.assert(
      fc.property(snapshotArbitrary, fc.double({ min: 0, max: 0.999, noNaN: true }), (snapshot, fraction) => {
        const text = serializeSnapshot(snapshot).trimEnd();
        const error = load(text.slice(0, Math.floor(text.length * fraction)));
        assert.match(
          error ?? '',
          /is not valid JSON: .*(line \d+, column \d+|end of JSON input)|not a trailcheck snapshot/,
        );
      }),
      { numRuns: 200 },
    );
    t.diagnostic('truncation fuzz: 200 truncated snapshots, each refused with its location');
  });

  it('hand-picked nasties: deep nesting, __proto__, huge numbers, control characters in keys, a BOM', () => {
    const valid = JSON.parse(
      serializeSnapshot(fc.sample(snapshotArbitrary, { numRuns: 1, seed: 42 })[0]!),
    ) as Record<string, unknown>;
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.match(load(deep) ?? '', /not a trailcheck snapshot/);
    // Built as text: JSON.stringify itself would overflow the stack on it.
    const nested = JSON.stringify({ ...valid, notes: [] }).replace('"notes":[]', `"notes":[${deep}]`);
    assert.match(load(nested) ?? '', /malformed at notes\[0\]/);
    assert.match(
      load(JSON.stringify(valid).replace('{', '{"__proto__":{"polluted":true},')) ?? '',
      /malformed at the top level: Unrecognized key/,
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    const infinite = JSON.stringify({ ...valid, stats: { durationMs: 12345, apiCalls: [] } }).replace(
      '"durationMs":12345',
      '"durationMs":1e400',
    );
    assert.match(load(infinite) ?? '', /malformed at stats\.durationMs/);
    const evilKey = load(JSON.stringify({ ...valid, ['\u001b]0;pwned\u0007\nline']: 1 })) ?? '';
    assert.match(evilKey, /Unrecognized key/);
    assert.equal(load(`\uFEFF${JSON.stringify(valid)}`), undefined, 'a byte order mark is not an error');
  });
});
