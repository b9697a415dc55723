/**
 * `trailcheck diff` through the real CLI, on the seed report and a later one in which log file
 * validation was fixed, encryption was lost, a second trail appeared and the bucket could not be read.
 * Text and Markdown match golden files (UPDATE_GOLDEN=1 npm test accepts intended changes). And the
 * user's report, end to end on moto: one Region stops logging between two scans.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { DiffReportSchema } from '../../src/report/diff.js';
import type { JsonReport } from '../../src/report/json.js';
import { JsonReportSchema } from '../../src/report/json.js';
import { packageRoot } from '../../src/util/package-root.js';
import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { motoEnv } from '../support/aws.js';
import { runTrailcheck } from '../support/cli.js';
import { useMoto } from '../support/moto-suite.js';
import { createTrail, createTrailBucket } from '../support/scenarios/builders.js';

let dir = '';
let oldPath = '';
let newPath = '';
let fixedOnlyPath = '';

type Finding = JsonReport['findings'][number];

/** The seed report a week later: one gap fixed, one new failure, one new trail, one finding gone dark. */
function later(seed: JsonReport): JsonReport {
  const next = structuredClone(seed);
  next.finishedAt = '2026-12-01T09:00:00.000Z';
  const byControl = (id: string) => next.findings.find((f) => f.control === id) as Finding;
  Object.assign(byControl('CloudTrail.4'), {
    status: 'PASS',
    remediation: null,
    message: 'Trail MooncloudCisTest has log file validation enabled.',
  });
  const encryption = byControl('CloudTrail.2');
  const second: Finding = {
    ...structuredClone(encryption),
    resource: {
      ...encryption.resource,
      id: encryption.resource.id.replace('MooncloudCisTest', 'Backup'),
      name: 'Backup',
    },
    message: 'Trail Backup encrypts its log files with a KMS key.',
  };
  Object.assign(encryption, {
    status: 'FAIL',
    message: 'Trail MooncloudCisTest does not encrypt its log files with a KMS key.',
  });
  Object.assign(byControl('CloudTrail.7'), {
    status: 'UNKNOWN',
    message: 'Access logging could not be read for mooncloud-cftrail (AccessDenied).',
  });
  next.findings.push(second);
  return JsonReportSchema.parse(next);
}

describe('trailcheck diff', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailcheck-diff-'));
    const seed = await runTrailcheck(['demo', '--format', 'json'], {});
    const seedReport = JsonReportSchema.parse(JSON.parse(seed.stdout));
    oldPath = join(dir, 'old.json');
    newPath = join(dir, 'new.json');
    fixedOnlyPath = join(dir, 'fixed.json');
    await writeFile(oldPath, seed.stdout);
    await writeFile(newPath, JSON.stringify(later(seedReport)));
    const fixed = structuredClone(seedReport);
    for (const f of fixed.findings) Object.assign(f, { status: 'PASS', remediation: null });
    await writeFile(fixedOnlyPath, JSON.stringify(fixed));
  });

  for (const [format, golden] of [
    ['text', 'diff.txt'],
    ['markdown', 'diff.md'],
  ] as const) {
    it(`prints the ${format} diff of the golden file and exits 1 (something got worse)`, async () => {
      const result = await runTrailcheck(['diff', oldPath, newPath, '--format', format], {});
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stderr, '');
      const path = join(packageRoot(), 'test', 'golden', golden);
      if (process.env.UPDATE_GOLDEN) await writeFile(path, result.stdout);
      assert.equal(result.stdout, await readFile(path, 'utf8'), `differs from test/golden/${golden}`);
    });
  }

  it('the JSON diff follows its schema and sorts every finding into one bucket', async () => {
    const result = await runTrailcheck(['diff', oldPath, newPath, '--format', 'json'], {});
    assert.equal(result.code, 1);
    const diff = DiffReportSchema.parse(JSON.parse(result.stdout));
    const ids = (changes: typeof diff.fixed) =>
      changes.map((c) => `${c.control} ${c.resource.name} ${c.before}→${c.after}`);
    assert.deepEqual(ids(diff.fixed), ['CloudTrail.4 MooncloudCisTest FAIL→PASS']);
    assert.deepEqual(ids(diff.newlyFailing), ['CloudTrail.2 MooncloudCisTest PASS→FAIL']);
    assert.deepEqual(ids(diff.newlyUnknown), ['CloudTrail.7 mooncloud-cftrail FAIL→UNKNOWN']);
    assert.deepEqual(ids(diff.unchanged), ['CloudTrail.1 123456789012 PASS→PASS']);
    assert.deepEqual(ids(diff.added), ['CloudTrail.2 Backup null→PASS']);
    assert.deepEqual(diff.removed, []);
    assert.deepEqual(diff.notes, []);
  });

  it('exits 0 when nothing got worse; -o FILE.md writes Markdown', async () => {
    const out = join(dir, 'diff.md');
    const result = await runTrailcheck(['diff', oldPath, fixedOnlyPath, '-o', out], {});
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^trailcheck: wrote the markdown diff to .*diff\.md\n$/);
    const md = await readFile(out, 'utf8');
    assert.match(md, /### Fixed \(2\)/);
    assert.match(md, /\*\*Nothing got worse, and some gaps were closed\.\*\*/);
  });

  it('notes swapped reports', async () => {
    const result = await runTrailcheck(['diff', newPath, oldPath], {});
    assert.match(
      result.stdout,
      /! The old report \(2026-12-01T09:00:00\.000Z\) is newer than the new one .*; were they swapped\?/,
    );
    assert.match(result.stdout, /No longer reported \(1\):\n {2}CloudTrail\.2 \(medium\) {2}Backup/);
  });

  describe('bad input: one line, exit 2', () => {
    const cases: Array<[() => string[] | Promise<string[]>, RegExp]> = [
      [() => ['diff', oldPath], /'trailcheck diff' takes two JSON reports, OLD and NEW \(got 1\)/],
      [
        () => ['diff', oldPath, newPath, '--format', 'html'],
        /unknown diff format 'html'; choose one of: text, markdown, json\./,
      ],
      [
        () => ['diff', oldPath, '/nonexistent/new.json'],
        /new report \/nonexistent\/new\.json does not exist\./,
      ],
      [
        async () => {
          const path = join(dir, 'broken.json');
          await writeFile(path, '{\n  "reportVersion": 1,\n');
          return ['diff', oldPath, path];
        },
        /new report .*broken\.json is not valid JSON: .*\(line \d+, column \d+\)\./,
      ],
      [
        async () => {
          const path = join(dir, 'snapshot.json');
          await writeFile(
            path,
            await readFile(join(packageRoot(), 'demo', 'mooncloud-cis-test.snapshot.json'), 'utf8'),
          );
          return ['diff', path, newPath];
        },
        /old report .*snapshot\.json is not a trailcheck JSON report \(made with --format json\): at reportVersion: /,
      ],
      [
        async () => {
          const path = join(dir, 'failed.json');
          const failed = JSON.parse(await readFile(oldPath, 'utf8')) as Record<string, unknown>;
          Object.assign(failed, { integer_result: 2, error: 'no AWS credentials found', findings: [] });
          await writeFile(path, JSON.stringify(failed));
          return ['diff', path, newPath];
        },
        /old report .*failed\.json is the report of a run that could not run \(no AWS credentials found\)/,
      ],
      [
        async () => {
          const path = join(dir, 'other.json');
          const other = JSON.parse(await readFile(oldPath, 'utf8')) as Record<string, unknown>;
          other.account = '210987654321';
          await writeFile(path, JSON.stringify(other));
          return ['diff', path, newPath];
        },
        /the reports are of different accounts \(210987654321 and 123456789012\)/,
      ],
    ];
    cases.forEach(([args, pattern], index) => {
      it(`case ${index + 1}: ${pattern.source.slice(0, 50)}`, async () => {
        const result = await runTrailcheck(await args(), {});
        assert.equal(result.code, 2, result.stdout);
        assert.equal(result.stdout, '');
        const lines = result.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0]!, /^trailcheck: /);
        assert.match(lines[0]!, pattern);
      });
    });
  });
});

describe('trailcheck diff on moto: a Region that stops logging', () => {
  const suite = useMoto();

  it('two single-Region trails, eu-west-1 stopped between two scans: diff says eu-west-1 newly fails, exits 1', async () => {
    const aws = suite.aws;
    for (const region of ['us-east-1', 'eu-west-1']) {
      await createTrailBucket(aws, `logs-${region}`, `trail-${region}`, region);
      await createTrail(aws, { name: `trail-${region}`, bucket: `logs-${region}`, region });
    }
    const work = await mkdtemp(join(tmpdir(), 'trailcheck-diff-moto-'));
    const env = motoEnv(suite.moto);
    const scan = async (file: string) => {
      const args = ['scan', '--region', 'us-east-1,eu-west-1', '--controls', 'CloudTrail.3'];
      const result = await runTrailcheck([...args, '-f', 'json', '-o', join(work, file)], env);
      assert.ok(result.code === 0 || result.code === 1, result.stderr);
      return JsonReportSchema.parse(JSON.parse(await readFile(join(work, file), 'utf8')));
    };
    const first = await scan('r1.json');
    assert.deepEqual(first.findings.map((f) => `${f.resource.region} ${f.status}`).sort(), [
      'eu-west-1 PASS',
      'us-east-1 PASS',
    ]);
    await aws.cloudtrail('eu-west-1').send(new StopLoggingCommand({ Name: 'trail-eu-west-1' }));
    const second = await scan('r2.json');
    assert.ok(second.findings.some((f) => f.resource.region === 'eu-west-1' && f.status === 'FAIL'));

    const text = await runTrailcheck(['diff', join(work, 'r1.json'), join(work, 'r2.json')], env);
    assert.equal(text.code, 1, text.stdout);
    assert.match(
      text.stdout,
      /Newly failing \(1\):\n {2}CloudTrail\.3 \(high\) {2}eu-west-1 \(eu-west-1\) {2}PASS → FAIL/,
    );
    assert.doesNotMatch(text.stdout, /Nothing got worse/);
    assert.match(text.stdout, /One finding got worse since the old report\.\n$/);

    const json = await runTrailcheck(
      ['diff', join(work, 'r1.json'), join(work, 'r2.json'), '-f', 'json'],
      env,
    );
    const diff = DiffReportSchema.parse(JSON.parse(json.stdout));
    assert.deepEqual(
      diff.newlyFailing.map((c) => c.resource.region),
      ['eu-west-1'],
    );
    assert.deepEqual(
      diff.unchanged.map((c) => c.resource.region),
      ['us-east-1'],
    );
  });
});
