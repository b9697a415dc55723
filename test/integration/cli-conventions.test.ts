/**
 * The command-line conventions a new user relies on without reading the manual: which commands are gates
 * (exit 1 for findings) and which are not, how output files are named, and how a typo or an impossible
 * input is answered – in one line, with the closest valid name, and never by hanging.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_SNAPSHOT } from '../../src/cli/commands/demo.js';
import { packageRoot } from '../../src/util/package-root.js';
import { bareEnv, runTrailcheck } from '../support/cli.js';

const DEMO_FILE = join(packageRoot(), DEMO_SNAPSHOT);

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'trailcheck-conventions-'));
}

function assertOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0]!, /^trailcheck: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
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

  it('the README has one exit-code table, and no other list of codes', async () => {
    const readme = await readFile(join(packageRoot(), 'README.md'), 'utf8');
    assert.equal(readme.match(/^\| Code \| Meaning/gm)?.length, 1);
    assert.doesNotMatch(readme, /Exit codes of `fix`|`plan` exits 0 when there is nothing to do/);
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
