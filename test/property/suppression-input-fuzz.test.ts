/**
 * Suppression files (YAML or JSON) as hostile input: random text, mutated valid files, alias bombs,
 * deep nesting. Loading gives a suppression list or one printable usage error line; never anything else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseSuppressions } from '../../src/judge/suppressions.js';
import { UsageError } from '../../src/util/errors.js';
import { oneLine } from '../../src/util/text.js';

const LABEL = 'suppression file fuzz.yaml';
const VALID = `suppressions:\n  - control: CloudTrail.7\n    resource: mooncloud-cftrail\n    reason: logged by the log archive (SEC-142)\n    expires: 2026-12-31\n`;

function load(text: string): string | undefined {
  try {
    parseSuppressions(text, LABEL);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof UsageError, `not a usage error: ${String(error)}`);
    assert.ok(error.message.startsWith(LABEL), error.message);
    // What the CLI prints: one bounded, printable line.
    assert.ok(oneLine(error.message, 2000).length > LABEL.length);
    return error.message;
  }
}

describe('suppression files as hostile input (fast-check)', () => {
  it('random text and random JSON: a usage error or a list, never a crash', (t) => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void load(text)),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => void load(JSON.stringify(value))),
      { numRuns: 500 },
    );
    t.diagnostic('suppression fuzz: 500 random texts and 500 random JSON documents, crashes: 0');
  });

  it('a valid file cut anywhere or with a character changed: a usage error naming the place, or a list', () => {
    fc.assert(
      fc.property(fc.nat({ max: VALID.length }), fc.string({ maxLength: 3 }), (cut, insert) => {
        load(VALID.slice(0, cut) + insert + VALID.slice(cut + 1));
      }),
      { numRuns: 500 },
    );
  });

  it('an alias bomb and deep nesting are refused, not expanded', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'suppressions: [*g]',
    ].join('\n');
    assert.notEqual(load(bomb), undefined);
    assert.notEqual(load(`${'['.repeat(5000)}${']'.repeat(5000)}`), undefined);
    assert.match(
      load(`suppressions:\n  - control: "\\e[31mCloudTrail.7"\n`) ?? '',
      /malformed at suppressions\[0\]/,
    );
  });
});
