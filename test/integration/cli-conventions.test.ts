/**
 * The command-line conventions a new user relies on without reading the manual: which commands are gates
 * (exit 1 for findings) and which are not, how output files are named, and how a typo or an impossible
 * input is answered – in one line, with the closest valid name, and never by hanging.
 */
import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { DEMO_SNAPSHOT } from '../../src/cli/commands/demo.js';
import { packageRoot } from '../../src/util/package-root.js';
import { assertOneLine, bareEnv, runTrailcheck } from '../support/cli.js';

const DEMO_FILE = join(packageRoot(), DEMO_SNAPSHOT);

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'trailcheck-conventions-'));
}

describe('exit codes: only the gates exit 1 for findings', () => {
  it('demo exits 0 although two of its checks fail (the README starts with it)', async () => {
    const result = await runTrailcheck(['demo'], bareEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Two of the four checks passed/);
  });

  it('demo refuses --fail-on in one line: it is not a gate', async () => {
    const result = await runTrailcheck(['demo', '--fail-on', 'low'], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /demo is not a gate/);
  });

  it('scan of the same evidence is a gate and exits 1', async () => {
    const result = await runTrailcheck(
      ['scan', '--snapshot', DEMO_FILE, '--controls', 'CloudTrail.1,CloudTrail.2,CloudTrail.4,CloudTrail.7'],
      bareEnv(),
    );
    assert.equal(result.code, 1, result.stderr);
  });

  it('plan -o fix.tf exits 0 when the plan has steps, so `&& terraform plan` goes on', async () => {
    const path = join(await tempDir(), 'fix.tf');
    const result = await runTrailcheck(
      ['plan', '--snapshot', DEMO_FILE, '--controls', 'CloudTrail.4', '-o', path],
      bareEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(await readFile(path, 'utf8'), /resource|import/);
  });

  it('--help has the one table of exit codes', async () => {
    const result = await runTrailcheck(['--help'], bareEnv());
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Exit codes:\n {2}0 {2}success: demo, plan, collect, controls, explain/);
    for (const code of ['1', '2', '3']) assert.match(result.stdout, new RegExp(`\\n {2}${code} {2}\\S`));
  });

  it('the reference has one exit-code table, and the README names exactly its codes', async () => {
    const reference = await readFile(join(packageRoot(), 'docs', 'reference.md'), 'utf8');
    const readme = await readFile(join(packageRoot(), 'README.md'), 'utf8');
    assert.equal(reference.match(/^\| Code \| Meaning/gm)?.length, 1);
    assert.equal(readme.match(/^\| Code \| Meaning/gm), null, 'the table lives in docs/reference.md');
    const codes = [...reference.matchAll(/^\| (\d+) +\|/gm)].map((m) => m[1]);
    const section = /## Exit codes\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const named = [...section.matchAll(/(?:^|· )(\d+) /gm)].map((m) => m[1]);
    assert.deepEqual(named, codes);
    for (const text of [readme, reference])
      assert.doesNotMatch(text, /Exit codes of `fix`|`plan` exits 0 when there is nothing to do/);
  });
});

describe('--output-dir that can never be made', () => {
  it(
    '/proc/nope/x fails in one line, at once (it used to spin at full CPU)',
    { timeout: 30_000 },
    async () => {
      const result = await runTrailcheck(
        ['demo', '--format', 'html', '--output-dir', '/proc/nope/x'],
        bareEnv(),
        20_000,
      );
      assert.equal(result.code, 2);
      assertOneLine(
        result.stderr,
        /^trailcheck: cannot create directory \/proc\/nope\/x \(no directory can be made in \/proc\)\.$/,
      );
    },
  );
});

describe('output file names', () => {
  it('-o r.sarif.json writes SARIF, not trailcheck JSON', async () => {
    const path = join(await tempDir(), 'r.sarif.json');
    const result = await runTrailcheck(['demo', '-o', path], bareEnv());
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(await readFile(path, 'utf8')) as { version?: string; $schema?: string };
    assert.equal(doc.version, '2.1.0');
  });

  it('--format html -o r.json is refused in one line, and nothing is written', async () => {
    const path = join(await tempDir(), 'r.json');
    const result = await runTrailcheck(['demo', '--format', 'html', '-o', path], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /--format html contradicts -o .*r\.json, whose ending is json's/);
    await assert.rejects(access(path));
  });

  it('--format json -o r.asff.json is refused too; a matching or unknown ending is fine', async () => {
    const dir = await tempDir();
    const asff = await runTrailcheck(['demo', '-f', 'json', '-o', join(dir, 'r.asff.json')], bareEnv());
    assert.equal(asff.code, 2);
    const plain = await runTrailcheck(['demo', '-f', 'sarif', '-o', join(dir, 'r.sarif.json')], bareEnv());
    assert.equal(plain.code, 0, plain.stderr);
    const log = await runTrailcheck(['demo', '-f', 'markdown', '-o', join(dir, 'r.log')], bareEnv());
    assert.equal(log.code, 0, log.stderr);
  });

  it('--output-dir names files by account and UTC time, so a second run keeps the first', async () => {
    const dir = await tempDir();
    const args = ['demo', '--format', 'html,json', '--output-dir', dir];
    assert.equal((await runTrailcheck(args, bareEnv())).code, 0);
    assert.equal((await runTrailcheck(args, bareEnv())).code, 0);
    const files = (await readdir(dir)).sort();
    assert.equal(files.length, 4, files.join(', '));
    for (const file of files)
      assert.match(file, /^trailcheck-123456789012-\d{8}T\d{6}Z(-\d+)?\.(html|json)$/);
  });

  it('--output-name STEM gives a fixed name, and needs --output-dir', async () => {
    const dir = await tempDir();
    const result = await runTrailcheck(
      ['demo', '--format', 'html,csv', '--output-dir', dir, '--output-name', 'nightly'],
      bareEnv(),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((await readdir(dir)).sort(), ['nightly.csv', 'nightly.html']);
    const alone = await runTrailcheck(['demo', '--output-name', 'nightly'], bareEnv());
    assert.equal(alone.code, 2);
    assertOneLine(alone.stderr, /--output-name names the files of --output-dir/);
    const path = await runTrailcheck(
      ['demo', '-f', 'html', '--output-dir', dir, '--output-name', '../x'],
      bareEnv(),
    );
    assert.equal(path.code, 2);
    assertOneLine(path.stderr, /--output-name takes a plain file name without a folder/);
  });
});

describe('typos get the closest name, bad values one clear line', () => {
  const cases: Array<[string[], RegExp]> = [
    [['demo', '--controls', 'CloudTral.4'], /unknown control 'CloudTral\.4'; did you mean CloudTrail\.4\?/],
    [['sacn'], /unknown command 'sacn'; did you mean scan\?/],
    [['scan', '--contrls', 'CloudTrail.1'], /Unknown option '--contrls'; did you mean --controls\?/],
    [['diff', '--ouptut', 'x.md', 'a.json', 'b.json'], /Unknown option '--ouptut'; did you mean --output\?/],
    [['explain', 'CloudTral.4'], /unknown control 'CloudTral\.4'; did you mean CloudTrail\.4\?/],
    [['demo', '--framework', 'cis-3.O'], /unknown framework 'cis-3\.O'; did you mean cis-3\.0\?/],
    [
      ['explain', '3.2'],
      // v1.2's 3.2 is the sign-in without MFA alarm; later versions' 3.2 is log file validation.
      /'3\.2' is a framework number: say which framework, e\.g\. trailcheck explain 3\.2 --framework cis-1\.2; it is cis-1\.2 \(CloudWatch\.3\), cis-1\.4 \(CloudTrail\.4\)/,
    ],
    [
      ['explain', '9.9', '--framework', 'cis-3.0'],
      /CIS AWS Foundations Benchmark v3\.0\.0 has no control numbered 9\.9/,
    ],
    [['demo', '--controls', 'CloudTrail.1,'], /--controls has an empty item in 'CloudTrail\.1,'/],
    [['demo', '--controls', 'CloudTrail.1,,CloudTrail.4'], /--controls has an empty item/],
    [
      ['demo', '--retention-days', '-5'],
      /--retention-days takes a whole number from 1 to 36500, not '-5'\.$/,
    ],
    [
      ['demo', '--max-delivery-age', '-1'],
      /--max-delivery-age takes a whole number from 1 to 8760, not '-1'\.$/,
    ],
    [
      ['demo', '--flow-log-bucket', 'arn:aws:s3:::logs'],
      /--flow-log-bucket takes the name of an S3 bucket such as audit-logs-123456789012, not 'arn:aws:s3:::logs'\.$/,
    ],
    [['demo', '--config-bucket', 'Config_Logs'], /--config-bucket takes the name of an S3 bucket/],
    [['scan', '--timeout', '-3'], /--timeout needs a number of seconds from 1 to 3600/],
  ];
  for (const [args, pattern] of cases) {
    it(`trailcheck ${args.join(' ')}`, async () => {
      const result = await runTrailcheck(args, bareEnv());
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assertOneLine(result.stderr, pattern);
    });
  }

  it('explain takes a framework number with --framework', async () => {
    const result = await runTrailcheck(['explain', '3.2', '--framework', 'cis-3.0'], bareEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^CloudTrail\.4 – /);
    const cis12 = await runTrailcheck(['explain', 'CIS 2.3', '--framework', 'cis-1.2'], bareEnv());
    assert.match(cis12.stdout, /^CloudTrail\.6 – /);
    const byId = await runTrailcheck(['explain', 'CloudTrail.4', '--framework', 'cis-3.0'], bareEnv());
    assert.equal(byId.stdout, result.stdout);
  });
});

describe('AWS settings that point nowhere', () => {
  it('AWS_PROFILE=nosuch and --profile nosuch give the same line and exit code', async () => {
    const byFlag = await runTrailcheck(['scan', '--profile', 'nosuch'], bareEnv());
    const byEnv = await runTrailcheck(['scan'], bareEnv({ AWS_PROFILE: 'nosuch' }));
    assert.equal(byFlag.code, 2);
    assertOneLine(
      byFlag.stderr,
      /AWS profile 'nosuch' was not found in the AWS config or credentials file\.$/,
    );
    assert.equal(byEnv.code, byFlag.code);
    assert.equal(byEnv.stderr, byFlag.stderr);
  });

  it('an endpoint answering 404 with an empty body: what was reached and what was expected, one line', async () => {
    const server = createServer((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await runTrailcheck(
        ['scan', '--region', 'us-east-1'],
        bareEnv({
          AWS_ENDPOINT_URL: endpoint,
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          AWS_REGION: 'us-east-1',
          AWS_MAX_ATTEMPTS: '1',
        }),
      );
      assert.equal(result.code, 3);
      assertOneLine(
        result.stderr,
        new RegExp(
          `^trailcheck: the endpoint ${endpoint.replace(/\./g, '\\.')} answered sts:GetCallerIdentity with HTTP 404 and an empty body, not as AWS STS does: it is not an AWS endpoint; check AWS_ENDPOINT_URL\\.$`,
        ),
      );
    } finally {
      server.close();
    }
  });
});
