/**
 * Bad input and unusable credentials: one clear line on stderr, the right exit code, never a stack trace,
 * never a partial report.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_SNAPSHOT_BYTES } from '../../src/snapshot/io.js';
import { motoEnv } from '../support/aws.js';
import { assertOneLine, bareEnv, runTrailcheck } from '../support/cli.js';
import { useMoto } from '../support/moto-suite.js';

const suite = useMoto();

async function tempFile(name: string, content: string) {
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('usage errors exit 2 with one line', () => {
  const cases: Array<[string[], RegExp]> = [
    [['bogus'], /unknown command 'bogus'/],
    [['scan', '--bogus'], /Unknown option '--bogus'/],
    [
      ['scan', '--format', 'pdf'],
      /unknown format 'pdf'; choose one of: text, markdown, html, json, sarif, asff, ocsf, csv, junit\./,
    ],
    [
      ['scan', '--controls', 'CloudTrail.99'],
      /unknown control 'CloudTrail\.99'; did you mean CloudTrail\.9\?/,
    ],
    [['scan', '--region', 'not a region'], /'not a region' is not an AWS Region name/],
    [['scan', '--region'], /--region/],
    [['scan', 'extra'], /takes no argument 'extra'/],
    [['scan', '--snapshot', '/nonexistent/snap.json'], /snapshot \/nonexistent\/snap\.json does not exist/],
    [
      ['scan', '--snapshot', 'x.json', '--region', 'us-east-1'],
      /--profile, --region and --timeout do not apply/,
    ],
    [
      ['demo', '--output', '/nonexistent-dir/report.md'],
      /cannot write \/nonexistent-dir\/report\.md: the directory \/nonexistent-dir does not exist/,
    ],
  ];
  for (const [args, pattern] of cases) {
    it(`trailcheck ${args.join(' ')}`, async () => {
      const result = await runTrailcheck(args, bareEnv());
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assertOneLine(result.stderr, pattern);
    });
  }

  it('a malformed snapshot names the place: broken JSON', async () => {
    const path = await tempFile('broken.json', '{\n  "format": "trailcheck-snapshot",\n  "version": 1,\n');
    const result = await runTrailcheck(['scan', '--snapshot', path], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /is not valid JSON: .*line \d+, column \d+/);
  });

  it('a malformed snapshot names the place: wrong field', async () => {
    const demo = JSON.parse(
      await (
        await import('node:fs/promises')
      ).readFile(join(process.cwd(), 'demo', 'mooncloud-cis-test.snapshot.json'), 'utf8'),
    ) as { cloudtrail: { trails: Array<{ config: { TrailARN: unknown } }> } };
    demo.cloudtrail.trails[0]!.config.TrailARN = 42;
    const path = await tempFile('wrong.json', JSON.stringify(demo));
    const result = await runTrailcheck(['scan', '--snapshot', path], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /malformed at cloudtrail\.trails\[0\]\.config\.TrailARN: .*expected string/);
  });

  it('an oversized snapshot is refused before it is read', async () => {
    const path = await tempFile('huge.json', '');
    // Sparse: the size is there without writing a quarter of a gigabyte.
    await truncate(path, MAX_SNAPSHOT_BYTES + 1);
    const result = await runTrailcheck(['scan', '--snapshot', path], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(
      result.stderr,
      /is 268435457 bytes, more than the 268435456-byte limit; is it the right file\?/,
    );
  });

  it('a directory given as a snapshot says so', async () => {
    const result = await runTrailcheck(['scan', '--snapshot', tmpdir()], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /is a directory, not a file/);
  });

  it('a hostile snapshot cannot write escape sequences or extra lines to the terminal', async () => {
    const demo = JSON.parse(
      await readFile(join(process.cwd(), 'demo', 'mooncloud-cis-test.snapshot.json'), 'utf8'),
    ) as Record<string, unknown>;
    const hostile = { ...demo, '\u001b[2J\u001b]0;pwned\u0007\nFAKE LINE': 1 };
    const path = await tempFile('hostile.json', JSON.stringify(hostile));
    const result = await runTrailcheck(['scan', '--snapshot', path], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /malformed at the top level: Unrecognized key/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(result.stderr, /\u001b|\u0007/);
  });

  it('flag values with control characters are refused, naming the flag and the place', async () => {
    const result = await runTrailcheck(['scan', '--region', 'us-east-1\u001b[31m'], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /--region contains the control character U\+001B at position 10/);
  });

  it('a file that is not a snapshot says so', async () => {
    const path = await tempFile('other.json', '{"hello": "world"}');
    const result = await runTrailcheck(['scan', '--snapshot', path], bareEnv());
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /is not a trailcheck snapshot/);
  });
});

describe('credentials and Regions', () => {
  it('no credentials at all: exit 3, one line saying what to do', async () => {
    const result = await runTrailcheck(
      ['scan'],
      bareEnv({ AWS_ENDPOINT_URL: suite.moto.endpoint, AWS_REGION: 'us-east-1' }),
    );
    assert.equal(result.code, 3);
    assertOneLine(result.stderr, /no AWS credentials found: set AWS_PROFILE or pass --profile/);
  });

  it('no credentials with --format json: the JSON still says integer_result 2', async () => {
    const result = await runTrailcheck(
      ['scan', '--format', 'json'],
      bareEnv({ AWS_ENDPOINT_URL: suite.moto.endpoint, AWS_REGION: 'us-east-1' }),
    );
    assert.equal(result.code, 3);
    const report = JSON.parse(result.stdout) as { integer_result: number; pretty_result: string };
    assert.equal(report.integer_result, 2);
    assert.match(report.pretty_result, /^The probe could not run: no AWS credentials found/);
  });

  it('a profile that does not exist: exit 2', async () => {
    const result = await runTrailcheck(
      ['scan', '--profile', 'nope'],
      bareEnv({ AWS_ENDPOINT_URL: suite.moto.endpoint, AWS_REGION: 'us-east-1' }),
    );
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /AWS profile 'nope' was not found in the AWS config or credentials file/);
  });

  it('credentials AWS rejects: exit 3', async () => {
    await suite.moto.enforceIam();
    const result = await runTrailcheck(['scan'], motoEnv(suite.moto));
    assert.equal(result.code, 3);
    assertOneLine(result.stderr, /AWS rejected the credentials \(InvalidClientTokenId\)/);
  });

  it('an endpoint nobody answers: exit 3', async () => {
    const env = { ...motoEnv(suite.moto), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const result = await runTrailcheck(['scan'], env);
    assert.equal(result.code, 3);
    assertOneLine(result.stderr, /cannot reach AWS STS in us-east-1 \(ECONNREFUSED\)/);
  });

  it('a Region that is not enabled: exit 2', async () => {
    const result = await runTrailcheck(['scan', '--region', 'me-south-1'], motoEnv(suite.moto));
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /Region me-south-1 is not enabled for account 123456789012/);
  });

  it('a Region that does not exist: exit 2', async () => {
    const result = await runTrailcheck(['scan', '--region', 'eu-wst-1'], motoEnv(suite.moto));
    assert.equal(result.code, 2);
    assertOneLine(result.stderr, /Region eu-wst-1 does not exist/);
  });
});
