/** Which left-out event sources each monitoring pattern needs: read from its terms, per benchmark version. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { CIS_MONITORING_PATTERNS, cisMeanings } from './cis-patterns.js';
import { EXCLUDABLE_EVENT_SOURCES, neededExcludableSources, toleratedExclusions } from './event-sources.js';
import { parseFilterPattern } from './filter-pattern.js';

const KMS = 'kms.amazonaws.com';
const RDS_DATA = 'rdsdata.amazonaws.com';

function needs(text: string): string[] {
  const parsed = parseFilterPattern(text);
  assert.ok(parsed.ok, text);
  return neededExcludableSources([parsed.pattern.expression]);
}

describe('the event sources a monitoring pattern needs', () => {
  it('of the CIS patterns, in every version, only CloudWatch.7 needs KMS events, and none RDS Data API events', () => {
    for (const [id, versions] of Object.entries(CIS_MONITORING_PATTERNS))
      for (const [version, pattern] of Object.entries(versions)) {
        const expected = id === 'CloudWatch.7' ? [KMS] : [];
        assert.deepEqual(neededExcludableSources(cisMeanings(pattern)), expected, `${id} ${version}`);
        assert.deepEqual(
          toleratedExclusions(cisMeanings(pattern)),
          id === 'CloudWatch.7' ? [RDS_DATA] : [KMS, RDS_DATA],
          `${id} ${version}`,
        );
      }
  });

  const cases: Array<[string, string, string[]]> = [
    ['eventSource pinned to KMS', '{ $.eventSource = kms.amazonaws.com }', [KMS]],
    ['eventSource as a wildcard that KMS matches', '{ $.eventSource = "kms.*" }', [KMS]],
    [
      'eventSource of another service, with a KMS event name',
      '{ ($.eventSource = s3.amazonaws.com) && ($.eventName = Decrypt) }',
      [],
    ],
    ['a KMS event name without a source', '{ $.eventName = ScheduleKeyDeletion }', [KMS]],
    [
      'an RDS Data API event name',
      '{ ($.eventName = ExecuteStatement) || ($.eventName = CreateTrail) }',
      [RDS_DATA],
    ],
    ['a wildcard event name both sources have', '{ $.eventName = "*Key" }', [KMS]],
    [
      'only a negated event name pins nothing',
      '{ ($.errorCode = "AccessDenied*") && ($.eventName != "DisableKey") }',
      [],
    ],
    ['a source-agnostic pattern (root use)', '{ $.userIdentity.type = "Root" }', []],
    ['event names of neither source', '{ ($.eventName = CreateTrail) || ($.eventName = StopLogging) }', []],
  ];
  for (const [name, text, expected] of cases)
    it(`${name}: ${expected.length > 0 ? expected.join(', ') : 'none'}`, () =>
      assert.deepEqual(needs(text), expected));

  it('knows every KMS operation of the pinned SDK, so a KMS event name is never taken for another service’s', () => {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@aws-sdk/client-kms/package.json'));
    const operations = readdirSync(join(root, 'dist-types', 'commands'))
      .filter((f) => f.endsWith('Command.d.ts'))
      .map((f) => f.replace(/Command\.d\.ts$/, ''))
      .sort();
    assert.deepEqual([...(EXCLUDABLE_EVENT_SOURCES[KMS] ?? [])].sort(), operations);
  });
});
