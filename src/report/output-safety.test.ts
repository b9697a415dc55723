/**
 * Names, error messages and notes that try to break out of the report: Markdown table pipes, newlines,
 * HTML, ANSI and other control characters, bidi overrides, very long strings. Every format in FORMATS is
 * checked, so a format added later is covered: by the default rules below unless it declares its own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLS } from '../controls/index.js';
import { reportOf } from '../report/model.js';
import type { BucketRecord, Observation, Snapshot } from '../snapshot/schema.js';
import { ACCOUNT_ID, bucket, failed, snapshot, trail } from '../../test/support/snapshot-builder.js';
import { OrganizationReportBuilder } from './organization.js';
import type { Report } from './model.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { FORMATS, render } from './index.js';

const MARKER = 'INJECTED-LINE';
const HTML = '<img src=x onerror=alert(1)>';
const PAYLOADS = [
  `pipe|in|name`,
  `new\n${MARKER}`,
  `cr\r${MARKER}`,
  `sep\u2028${MARKER}`,
  HTML,
  '\u001b[2J\u001b[31mred\u001b]0;title\u0007',
  '\u009b31mC1 escape',
  '\u202eright-to-left override',
  '`tick` ``` fence ~~~ **bold** [x](javascript:alert(1))',
  '=HYPERLINK("http://evil")',
  'x'.repeat(900),
];

function withMessage<T>(observation: Observation<T>, message: string): Observation<T> {
  if (observation.ok) return observation;
  return { ok: false, failure: { ...observation.failure, message } };
}

/** A snapshot where every string a report prints from AWS carries a payload, in every kind of finding. */
function hostileSnapshot(): Snapshot {
  const trails = PAYLOADS.map((payload, i) =>
    trail({
      Name: `t${i}-${payload}`,
      S3BucketName: `b${i}-${payload}`,
      // PASS, FAIL and UNKNOWN findings alike.
      LogFileValidationEnabled: i % 3 === 0 ? true : i % 3 === 1 ? false : undefined,
      ...(i % 2 === 0 ? { KmsKeyId: `key-${payload}` } : {}),
      HomeRegion: i === 1 ? `us-east-1\n${MARKER}` : 'us-east-1',
      status:
        i % 4 === 3
          ? withMessage(
              failed('cloudtrail:GetTrailStatus', 'access-denied', `Code${payload}`),
              `denied: ${payload}`,
            )
          : undefined,
      // Tags are shown by key (CloudTrail.9): hostile keys and values.
      tags: {
        ok: true,
        value: { TagsList: [{ Key: `owner-${payload}`, Value: payload }] },
        source: { operation: 'cloudtrail:ListTags', region: 'us-east-1' },
      },
    }),
  );
  const buckets: BucketRecord[] = PAYLOADS.map((payload, i) => {
    const record = bucket(`b${i}-${payload}`, null);
    record.logging =
      i % 2 === 0
        ? withMessage(failed('s3:GetBucketLogging', 'throttled', 'SlowDown'), `slow: ${payload}`)
        : {
            ok: true,
            value: { LoggingEnabled: { TargetBucket: `target-${payload}`, TargetPrefix: payload } },
            source: { operation: 's3:GetBucketLogging', region: 'us-east-1' },
          };
    return record;
  });
  const snap = snapshot({
    trails,
    buckets,
    failedDiscovery: {
      'eu-west-1': withMessage(
        failed('cloudtrail:DescribeTrails', 'other', `Weird${PAYLOADS[1]}`, 'eu-west-1'),
        PAYLOADS.join(' '),
      ),
    },
  });
  snap.notes = PAYLOADS.map((p) => `note: ${p}`);
  return snap;
}

interface FormatRules {
  /** Raw HTML from the data may appear (a terminal shows it as text). */
  htmlIsInert?: boolean;
  /** The output without its literal parts (code spans and blocks), where markup is not interpreted. */
  withoutLiterals?: (output: string) => string;
  /** A line break inside a value is data, not a new line of the document (HTML, XML, quoted CSV). */
  lineBreaksAreData?: boolean;
  /** Characters besides the newline the medium's own syntax uses (CSV and XML line endings). */
  allowedControls?: string;
  /** A check of the format's own structure. */
  structure?: (output: string) => void;
}

/** Cells a spreadsheet would run as a formula. */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * Formats whose medium makes a payload harmless say so here; every other format, including ones added
 * later, gets the strictest rules: no raw HTML unless its output is a JSON document, no line a payload
 * starts.
 */
const RULES: Partial<Record<string, FormatRules>> = {
  text: { htmlIsInert: true },
  markdown: {
    withoutLiterals: (output) =>
      output
        // Fenced blocks, then backslash escapes (an escaped backtick opens no span), then code spans.
        .replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
        .replace(/\\[\s\S]/g, '')
        .replace(/(`+)(?:(?!\1)[^`]|`(?!\1))*?\1/g, ''),
  },
  html: { lineBreaksAreData: true, allowedControls: '\r' },
  junit: { lineBreaksAreData: true, allowedControls: '\r' },
  csv: {
    htmlIsInert: true,
    lineBreaksAreData: true,
    allowedControls: '\r',
    structure: (output) => {
      const rows: string[][] = parseCsv(output, { relax_quotes: false, relax_column_count: false });
      assert.ok(rows.length > 1, 'a header and rows');
      for (const row of rows.slice(1)) {
        const formula = row.find((cell) => FORMULA.test(cell));
        assert.equal(formula, undefined, `a cell a spreadsheet would run: ${formula?.slice(0, 80)}`);
      }
    },
  },
};
// Everything but newline: C0, DEL, C1, line/paragraph separators, bidi overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Unescaped pipes in a Markdown table row: its number of cells plus one. */
function pipes(row: string): number {
  let count = 0;
  let inCode = 0;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (c === '`') {
      let run = 0;
      while (row[i + run] === '`') run += 1;
      inCode = inCode === 0 ? run : inCode === run ? 0 : inCode;
      i += run - 1;
      continue;
    }
    if (c === '|') count += 1;
  }
  return count;
}

/**
 * The hostile snapshot as an organization's report: the management account's and a member's evidence,
 * members whose names are payloads, and one that could not be read for a hostile reason.
 */
function hostileOrganization(): Report {
  const builder = new OrganizationReportBuilder({
    controls: CONTROLS,
    options: {},
    keepFixAsCode: true,
    organization: { Id: `o-${PAYLOADS[1]}`, MasterAccountId: ACCOUNT_ID },
    leftOut: 0,
    managementForContextOnly: false,
    partition: 'aws',
    controlRegion: 'us-east-1',
    startedAt: '2026-11-24T10:00:00.000Z',
  });
  const management = hostileSnapshot();
  builder.add({ Id: ACCOUNT_ID, Name: PAYLOADS[4]!, Status: 'ACTIVE' }, { ok: true, snapshot: management });
  const member = { ...hostileSnapshot(), account: { ...management.account, Account: '222222222222' } };
  builder.add(
    { Id: '222222222222', Name: PAYLOADS.slice(0, 4).join(' '), Status: 'ACTIVE', Email: PAYLOADS[2]! },
    { ok: true, snapshot: member },
  );
  builder.add(
    { Id: '333333333333', Name: PAYLOADS.slice(5).join(' '), Status: 'ACTIVE' },
    { ok: false, stage: 'assume-role', reason: PAYLOADS.join(' ') },
  );
  return builder.finish('2026-11-24T10:00:05.000Z');
}

for (const [scope, build] of [
  ['one account', () => reportOf(hostileSnapshot(), CONTROLS)],
  ['an organization', hostileOrganization],
] as const)
  describe(`output safety: hostile names, messages and notes in every format (${scope})`, () => {
    const assessment = build();

    it('the hostile snapshot produces PASS, FAIL and UNKNOWN findings to render, tags included', () => {
      const statuses = new Set(assessment.findings.map((f) => f.status));
      assert.deepEqual([...statuses].sort(), ['FAIL', 'PASS', 'UNKNOWN']);
      assert.ok(render(assessment, 'json').includes('owner-'), 'the hostile tag keys reach the reports');
    });

    for (const format of FORMATS) {
      describe(format, () => {
        const output = render(assessment, format);
        const lines = output.split('\n');

        it('has no control, separator or bidi characters (only newlines)', () => {
          const allowed = RULES[format]?.allowedControls ?? '';
          const bad = lines.findIndex((line) =>
            UNSAFE.test([...line].filter((c) => !allowed.includes(c)).join('')),
          );
          assert.equal(bad, -1, `line ${bad + 1}: ${JSON.stringify(lines[bad])}`);
        });

        it('no payload starts a line of its own', () => {
          if (RULES[format]?.lineBreaksAreData) return;
          const injected = lines.filter((line) => line.trimStart().startsWith(MARKER));
          assert.deepEqual(injected, []);
        });

        it('no raw HTML from the data, unless the medium makes it inert', () => {
          const rules = RULES[format];
          if (rules?.htmlIsInert || isJson(output)) return;
          const interpreted = rules?.withoutLiterals ? rules.withoutLiterals(output) : output;
          const raw = interpreted.split('\n').find((line) => line.includes('<img'));
          assert.equal(raw, undefined, 'raw <img> in the output');
        });

        it('keeps every string bounded (no line longer than the data allows)', () => {
          const longest = Math.max(...lines.map((l) => l.length));
          assert.ok(longest < 200_000, `a line of ${longest} characters`);
        });

        const structure = RULES[format]?.structure;
        if (structure) it('keeps its own structure', () => structure(output));

        if (format === 'markdown') {
          it('keeps every table row to its header’s columns', () => {
            let header: number | undefined;
            for (const line of lines) {
              if (!line.startsWith('|')) {
                header = undefined;
                continue;
              }
              const count = pipes(line);
              header ??= count;
              assert.equal(count, header, `row breaks its table: ${line.slice(0, 200)}`);
            }
          });
        }

        if (isJson(output)) {
          it('keeps the data as data: the names come back exactly', () => {
            for (const payload of [PAYLOADS[0]!, PAYLOADS[1]!, HTML]) {
              assert.ok(
                JSON.stringify(JSON.parse(output)).includes(
                  JSON.stringify(`t${PAYLOADS.indexOf(payload)}-${payload}`).slice(1, -1),
                ),
              );
            }
          });
        }
      });
    }
  });
