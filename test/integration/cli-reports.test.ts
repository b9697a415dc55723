/**
 * The reporting flags through the real CLI: several formats per run, audiences, --fail-on, --ignore,
 * colour on a terminal (and NO_COLOR), the progress display, and every bad flag or file in one line.
 */
/* eslint-disable no-control-regex -- these tests look for the terminal's escape sequences on purpose */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_SNAPSHOT } from '../../src/cli/commands/demo.js';
import { JsonReportSchema } from '../../src/report/json.js';
import { packageRoot } from '../../src/util/package-root.js';
import { serializeSnapshot } from '../../src/snapshot/io.js';
import { motoEnv } from '../support/aws.js';
import { assertOneLine, bareEnv, runTrailcheck, runTrailcheckInTty } from '../support/cli.js';
import { useMoto } from '../support/moto-suite.js';
import { seedScenario } from '../support/scenarios/seed.js';
import { bucket, loggingOff, snapshot, trail } from '../support/snapshot-builder.js';

const suite = useMoto();

/** The demo's evidence, assessed by scan: the gate, where demo is not one. */
const DEMO_FILE = join(packageRoot(), DEMO_SNAPSHOT);
const SEED = ['--controls', 'CloudTrail.1,CloudTrail.2,CloudTrail.4,CloudTrail.7'];

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'trailcheck-reports-'));
}

async function tempFile(name: string, content: string): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, content);
  return path;
}

/** A snapshot file with a medium failure (no KMS key) and two low ones; the high check passes. */
async function mixedSnapshotFile(): Promise<string> {
  const snap = snapshot({
    trails: [trail({ Name: 'Audit', S3BucketName: 'audit-logs', LogFileValidationEnabled: false })],
    buckets: [bucket('audit-logs', loggingOff())],
  });
  return tempFile('mixed.snapshot.json', serializeSnapshot(snap));
}

const SUPPRESS_BOTH = `suppressions:
  - control: CloudTrail.4
    resource: MooncloudCisTest
    reason: validation is being rolled out with the next release (TICKET-42)
    expires: 2099-12-31
  - control: CloudTrail.7
    resource: arn:aws:s3:::mooncloud-cftrail
    reason: the organization's archive logs access to this bucket
    expires: 2099-12-31
`;

describe('several formats in one run', () => {
  it('--format html,json,sarif --output-dir writes one file each and says so', async () => {
    const dir = join(await tempDir(), 'new', 'nested');
    const result = await runTrailcheck(['demo', '--format', 'html,json,sarif', '--output-dir', dir], {});
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    const files = (await readdir(dir)).sort();
    assert.equal(files.length, 3);
    const stem = /^(trailcheck-123456789012-\d{8}T\d{6}Z)\.html$/.exec(files[0]!)?.[1];
    assert.ok(stem, `named by account and UTC time: ${files.join(', ')}`);
    assert.deepEqual(files, [`${stem}.html`, `${stem}.json`, `${stem}.sarif`]);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(
      lines[0]!,
      /^trailcheck: wrote the html report \(two of the four checks passed\) to .*trailcheck-123456789012-\d{8}T\d{6}Z\.html$/,
    );
    JsonReportSchema.parse(JSON.parse(await readFile(join(dir, `${stem}.json`), 'utf8')));
    assert.match(await readFile(join(dir, `${stem}.html`), 'utf8'), /^<!DOCTYPE html>/);
  });

  for (const [file, pattern] of [
    ['report.sarif', /"version": "2\.1\.0"/],
    ['report.sarif.json', /"version": "2\.1\.0"/],
    ['report.asff.json', /^\{\n {2}"Findings": \[/],
    ['report.ocsf.json', /"class_uid": 2003/],
    ['report.junit.xml', /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="trailcheck"/],
    ['report.csv', /^"finding_id","account_id"/],
    ['report.html', /^<!DOCTYPE html>/],
  ] as const) {
    it(`-o ${file} chooses the format by its ending`, async () => {
      const path = join(await tempDir(), file);
      const result = await runTrailcheck(['demo', '-o', path], {});
      assert.equal(result.code, 0);
      assert.match(await readFile(path, 'utf8'), pattern);
    });
  }
});

describe('--audience', () => {
  it('executive leaves out evidence and commands; engineer (the default) has both', async () => {
    const executive = await runTrailcheck(['demo', '--format', 'markdown', '--audience', 'executive'], {});
    const engineer = await runTrailcheck(['demo', '--format', 'markdown', '--audience', 'engineer'], {});
    const byDefault = await runTrailcheck(['demo', '--format', 'markdown'], {});
    assert.equal(executive.code, 0);
    assert.doesNotMatch(executive.stdout, /### Evidence|```sh|aws cloudtrail update-trail/);
    assert.match(executive.stdout, /\*\*Score: \d+ out of 100\*\*[\s\S]*### Next steps/);
    assert.match(engineer.stdout, /### Evidence/);
    assert.match(engineer.stdout, /aws cloudtrail update-trail --region us-east-1 --name MooncloudCisTest/);
    assert.equal(byDefault.stdout, engineer.stdout);
    const html = await runTrailcheck(['demo', '--format', 'html', '--audience', 'executive'], {});
    assert.doesNotMatch(html.stdout, /id="findings"|class="copy"/);
    assert.match(html.stdout, /executive summary/);
  });
});

describe('--fail-on sets the exit-code threshold', () => {
  for (const [level, code] of [
    ['low', 1],
    ['medium', 0],
    ['high', 0],
    ['critical', 0],
  ] as const) {
    it(`the seed's two low-severity failures with --fail-on ${level}: exit ${code}`, async () => {
      const result = await runTrailcheck(
        ['scan', '--snapshot', DEMO_FILE, ...SEED, '--fail-on', level],
        bareEnv(),
      );
      assert.equal(result.code, code, result.stderr);
      assert.match(
        result.stdout,
        /Two of the four checks passed/,
        'the report is the same whatever the threshold',
      );
    });
  }

  it('a medium failure (no KMS key) fails --fail-on medium but not --fail-on high', async () => {
    const file = await mixedSnapshotFile();
    const seedControls = ['--controls', 'CloudTrail.1,CloudTrail.2,CloudTrail.4,CloudTrail.7'];
    assert.equal(
      (await runTrailcheck(['scan', '--snapshot', file, ...seedControls, '--fail-on', 'medium'], bareEnv()))
        .code,
      1,
    );
    assert.equal(
      (await runTrailcheck(['scan', '--snapshot', file, ...seedControls, '--fail-on', 'high'], bareEnv()))
        .code,
      0,
    );
  });
});

describe('--ignore FILE', () => {
  it('suppressed findings are reported as such and do not fail the run', async () => {
    const ignore = await tempFile('ignore.yaml', SUPPRESS_BOTH);
    const result = await runTrailcheck(['demo', '--ignore', ignore, '--format', 'json'], {});
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    assert.equal(report.integer_result, 0);
    assert.deepEqual(report.summary, { PASS: 2, FAIL: 2, UNKNOWN: 0, total: 4, suppressed: 2 });
    const bucket = report.findings.find((f) => f.control === 'CloudTrail.7');
    assert.equal(bucket?.status, 'FAIL', 'the verdict is kept');
    assert.deepEqual(bucket?.suppressed, {
      reason: "the organization's archive logs access to this bucket",
      expires: '2099-12-31',
      source: `suppression file ${ignore}, entry 2`,
    });
    const text = await runTrailcheck(['demo', '--ignore', ignore], {});
    assert.equal(text.code, 0);
    assert.match(text.stdout, /SUPPRESSED +CloudTrail\.4/);
    assert.match(text.stdout, /Suppressed until 2099-12-31: validation is being rolled out/);
  });

  it('suppressing one of two failures still fails the run', async () => {
    const ignore = await tempFile(
      'one.json',
      JSON.stringify({
        suppressions: [{ control: 'CloudTrail.7', resource: '*', reason: 'accepted', expires: '2099-01-01' }],
      }),
    );
    const result = await runTrailcheck(
      ['scan', '--snapshot', DEMO_FILE, ...SEED, '--ignore', ignore, '--format', 'markdown'],
      bareEnv(),
    );
    assert.equal(result.code, 1);
    assert.match(result.stdout, /### Accepted risks \(suppressed\)/);
    assert.match(result.stdout, /🔕 Accepted risk \(suppressed\)/);
  });

  it('an entry that matches no finding is named in one line on stderr, and is not an error', async () => {
    const ignore = await tempFile(
      'stale.yaml',
      `${SUPPRESS_BOTH}  - control: CloudTrail.7
    resource: mooncloud-cftrail
    region: eu-west-1
    reason: the bucket is in us-east-1, so this matches nothing
    expires: 2099-12-31
`,
    );
    const result = await runTrailcheck(['demo', '--ignore', ignore, '--format', 'json'], {});
    assert.equal(result.code, 0, result.stderr);
    assertOneLine(
      result.stderr,
      /stale\.yaml: entry 3 \(CloudTrail\.7 on mooncloud-cftrail in eu-west-1\) matches no finding that failed or could not be assessed;/,
    );
    assert.equal(JsonReportSchema.parse(JSON.parse(result.stdout)).summary.suppressed, 2);
  });

  it('an expired suppression fails loudly: the report is written unsuppressed, one line, exit 2', async () => {
    const ignore = await tempFile(
      'old.yaml',
      SUPPRESS_BOTH.replace(
        'expires: 2099-12-31\n  - control: CloudTrail.7',
        'expires: 2021-03-31\n  - control: CloudTrail.7',
      ),
    );
    const result = await runTrailcheck(['demo', '--ignore', ignore, '--format', 'json'], {});
    assert.equal(result.code, 2);
    assertOneLine(
      result.stderr,
      /suppression file .*old\.yaml: a suppression has expired: entry 1 \(CloudTrail\.4 on MooncloudCisTest\) expired on 2021-03-31\. The findings are reported unsuppressed/,
    );
    const report = JsonReportSchema.parse(JSON.parse(result.stdout));
    assert.equal(report.findings.find((f) => f.control === 'CloudTrail.4')?.suppressed, undefined);
    assert.ok(report.findings.find((f) => f.control === 'CloudTrail.7')?.suppressed);
  });

  it('the suppression file is checked before any AWS call: a bad one stops scan with exit 2', async () => {
    const ignore = await tempFile(
      'bad.yaml',
      'suppressions:\n  - control: CloudTrail.7\n    resource: x\n    reason: r\n    expires: tomorrow\n',
    );
    const result = await runTrailcheck(['scan', '--ignore', ignore], bareEnv());
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assertOneLine(
      result.stderr,
      /bad\.yaml is malformed at suppressions\[0\]\.expires \(line 5, column 14\): expected a date like 2026-12-31\.$/,
    );
  });
});

describe('bad reporting flags: one line, exit 2', () => {
  const cases: Array<[string[], RegExp]> = [
    [['demo', '--audience', 'board'], /unknown audience 'board'; choose one of: executive, engineer\./],
    [
      ['scan', '--fail-on', 'severe'],
      /unknown --fail-on level 'severe'; choose one of: low, medium, high, critical\./,
    ],
    [['demo', '--format', 'html,json'], /2 formats need --output-dir DIR \(one file each\)/],
    [['demo', '--format', 'html,pdf', '--output-dir', '/tmp'], /unknown format 'pdf'/],
    [
      ['demo', '--output', 'r.html', '--output-dir', '/tmp'],
      /--output writes one file and --output-dir one file per format; use one of them\./,
    ],
    [['demo', '--output-dir', '/tmp'], /--output-dir needs --format to say which reports to write/],
    [
      ['demo', '--format', 'html', '--output-dir', '/dev/null/reports'],
      /cannot create directory \/dev\/null\/reports \(part of the path is a file, not a directory\)\./,
    ],
    [
      ['demo', '--ignore', '/nonexistent/ignore.yaml'],
      /suppression file \/nonexistent\/ignore\.yaml does not exist\./,
    ],
    [['scan', '--fail-on'], /--fail-on/],
  ];
  for (const [args, pattern] of cases) {
    it(`trailcheck ${args.join(' ')}`, async () => {
      const result = await runTrailcheck(args, bareEnv());
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assertOneLine(result.stderr, pattern);
    });
  }
});

describe('in a terminal', () => {
  it('the summary is coloured on a TTY', async () => {
    const result = await runTrailcheckInTty(['demo']);
    assert.equal(result.code, 0);
    assert.match(result.output, /\u001b\[32mPASS/);
    assert.match(result.output, /\u001b\[31mFAIL/);
    assert.match(result.output, /\u001b\[1mTwo of the four checks passed/);
  });

  it('NO_COLOR turns colour off, even on a TTY', async () => {
    const result = await runTrailcheckInTty(['demo'], { NO_COLOR: '1' });
    assert.equal(result.code, 0);
    assert.match(result.output, /PASS +CloudTrail\.1/);
    assert.ok(!result.output.includes('\u001b'), 'no escape sequences at all');
  });

  it('a report written to a file has no colour, even from a TTY', async () => {
    const path = join(await tempDir(), 'summary.txt');
    const result = await runTrailcheckInTty(['demo', '-o', path]);
    assert.equal(result.code, 0);
    assert.ok(!(await readFile(path, 'utf8')).includes('\u001b'));
  });

  it('scan shows its progress on a TTY and clears it before the report', async () => {
    await seedScenario(suite.aws);
    const result = await runTrailcheckInTty(['scan', '--region', 'us-east-1,eu-west-1'], {
      ...motoEnv(suite.moto),
      NO_COLOR: '1',
    });
    assert.equal(result.code, 1, result.output);
    assert.match(
      result.output,
      /\r\u001b\[2Ktrailcheck: Identifying the account \(us-east-1\)… \(\d+\.\ds\)/,
    );
    assert.match(result.output, /trailcheck: Listing trails in 2 Regions…/);
    assert.match(result.output, /trailcheck: Reading the settings of 1 buckets…/);
    // The line is cleared, then the report starts on a clean line.
    assert.match(
      result.output,
      /\r\u001b\[2Ktrailcheck 0\.1\.0 – CloudTrail assessment of account 123456789012/,
    );
  });

  it('without a TTY there is no progress and no colour', async () => {
    await seedScenario(suite.aws);
    const result = await runTrailcheck(['scan', '--region', 'us-east-1'], motoEnv(suite.moto));
    assert.equal(result.code, 1);
    assert.equal(result.stderr, '');
    assert.ok(!result.stdout.includes('\u001b'));
  });
});

describe('when the assessment cannot run', () => {
  it('the JSON among several formats still says integer_result 2', async () => {
    const dir = await tempDir();
    const result = await runTrailcheck(
      ['scan', '--format', 'html,json', '--output-dir', dir],
      bareEnv({ AWS_ENDPOINT_URL: suite.moto.endpoint, AWS_REGION: 'us-east-1' }),
    );
    assert.equal(result.code, 3);
    const files = await readdir(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^trailcheck-\d{8}T\d{6}Z\.json$/, 'no account was identified: named by time');
    const report = JsonReportSchema.parse(JSON.parse(await readFile(join(dir, files[0]!), 'utf8')));
    assert.equal(report.integer_result, 2);
  });
});
