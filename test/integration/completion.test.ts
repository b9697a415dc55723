/** The completion scripts, loaded into the real shells the way the README says. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { COMPLETIONS } from '../../src/cli/commands/completion.js';
import { COMMANDS } from '../../src/cli/run.js';
import { CLI } from '../support/cli.js';

const run = promisify(execFile);

/** The words bash offers for a command line; `line` ends where the cursor is (a trailing space: a new word). */
async function complete(line: string): Promise<string[]> {
  const words = line.split(' ');
  const script = `source <("${process.execPath}" "${CLI}" completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_trailcheck; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('bash', ['-c', script]);
  return stdout.split('\n').filter((w) => w !== '');
}

async function hasShell(shell: string): Promise<boolean> {
  return run(shell, ['-c', 'true']).then(
    () => true,
    () => false,
  );
}

describe('shell completion', () => {
  it('covers every command trailcheck runs', () => {
    assert.deepEqual(Object.keys(COMPLETIONS).sort(), Object.keys(COMMANDS).sort());
  });

  it('the bash script is valid bash', async () => {
    await run('bash', ['-c', `bash -n <("${process.execPath}" "${CLI}" completion bash)`]);
  });

  it('completes commands, each command’s own flags, and their values', async () => {
    assert.deepEqual(await complete('trailcheck sc'), ['scan']);
    assert.deepEqual(await complete('trailcheck scan --form'), ['--format']);
    assert.deepEqual(await complete('trailcheck scan --format html,js'), ['html,json']);
    assert.deepEqual(await complete('trailcheck scan --framework cis-5'), ['cis-5.0']);
    assert.deepEqual(await complete('trailcheck scan --fail-on h'), ['high']);
    assert.deepEqual(await complete('trailcheck demo -c CloudTrail.1,TC.S3'), [
      'CloudTrail.1,TC.S3ObjectWrites',
      'CloudTrail.1,TC.S3ObjectReads',
    ]);
    assert.deepEqual(await complete('trailcheck explain CloudTrail.1'), ['CloudTrail.1', 'CloudTrail.10']);
    assert.deepEqual(await complete('trailcheck plan --format t'), ['terraform']);
    assert.deepEqual(await complete('trailcheck iam-policy --for '), ['scan', 'fix', 'org']);
    assert.deepEqual(await complete('trailcheck completion '), ['bash', 'zsh']);
    const collectFlags = await complete('trailcheck collect --');
    assert.ok(collectFlags.includes('--region') && collectFlags.includes('--config'));
    assert.ok(!collectFlags.includes('--format'), 'collect takes no --format');
    assert.deepEqual(await complete('trailcheck scan --region '), [], 'no guesses for a free value');
  });

  it('the zsh script is valid zsh and registers itself', async (t) => {
    if (!(await hasShell('zsh'))) {
      // CI installs zsh (.ci/run): there, a missing shell is a failure, not a reason to skip.
      assert.ok(process.env.CI !== 'true', 'zsh is missing under CI=true; .ci/run installs it');
      t.skip('zsh is not installed');
      return;
    }
    const { stdout } = await run('zsh', [
      '-c',
      `autoload -U compinit && compinit -u -D && source <("${process.execPath}" "${CLI}" completion zsh) && print -r -- $_comps[trailcheck]`,
    ]);
    assert.equal(stdout.trim(), '_trailcheck');
    await run('zsh', ['-c', `zsh -n <("${process.execPath}" "${CLI}" completion zsh)`]);
  });

  it('asks for one shell', async () => {
    const result = await run(process.execPath, [CLI, 'completion', 'fish']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal('code' in result ? result.code : 0, 2);
    assert.match(result.stderr, /^trailcheck: 'trailcheck completion' takes one shell: bash or zsh/);
  });
});
