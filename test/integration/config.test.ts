/** trailcheck.config.yaml and TRAILCHECK_* as a user meets them: the CLI run from the config's folder. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/cli/config.js';
import { packageRoot } from '../../src/util/package-root.js';
import { CLI, bareEnv } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';

function runIn(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: bareEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function folderWithConfig(config: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-cfg-'));
  await writeFile(join(dir, 'trailcheck.config.yaml'), config);
  return dir;
}

describe('trailcheck.config.yaml', () => {
  it('is read from the current directory, with paths relative to it', async () => {
    const dir = await folderWithConfig(
      'controls: [CloudTrail.1, CloudTrail.7]\nformat: [json, markdown]\noutput-dir: reports\noutput-name: audit\nfail-on: critical\n',
    );
    const result = await runIn(dir, ['demo']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((await readdir(join(dir, 'reports'))).sort(), ['audit.json', 'audit.md']);
  });

  it('yields to the environment, and both to a flag', async () => {
    const dir = await folderWithConfig('format: json\ncontrols: CloudTrail.1\n');
    const fromFile = await runIn(dir, ['demo']);
    assert.match(fromFile.stdout, /^\{/);
    const fromEnv = await runIn(dir, ['demo'], { TRAILCHECK_FORMAT: 'markdown' });
    assert.match(fromEnv.stdout, /^\*\*Security Assessment Summary/);
    const fromFlag = await runIn(dir, ['demo', '--format', 'text'], { TRAILCHECK_FORMAT: 'markdown' });
    assert.match(fromFlag.stdout, /^trailcheck \d/);
  });

  it('--config and TRAILCHECK_CONFIG name another file; a missing one is an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trailcheck-cfg-'));
    await mkdir(join(dir, 'etc'));
    await writeFile(join(dir, 'etc', 'team.yaml'), 'format: json\n');
    assert.match((await runIn(dir, ['demo', '--config', 'etc/team.yaml'])).stdout, /^\{/);
    assert.match((await runIn(dir, ['demo'], { TRAILCHECK_CONFIG: 'etc/team.yaml' })).stdout, /^\{/);
    const missing = await runIn(dir, ['demo', '--config', 'nope.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^trailcheck: config file .*nope\.yaml does not exist\.\n$/);
  });

  it('a misspelt key or a wrong value is one line and exit 2, before anything runs', async () => {
    for (const [config, pattern] of [
      ['region: eu-west-1\n', /unknown key 'region'; the keys are profile, regions,/],
      ['retention-days: forever\n', /'retention-days': --retention-days takes a whole number/],
    ] as const) {
      const dir = await folderWithConfig(config);
      const result = await runIn(dir, ['demo']);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0] ?? '', /^trailcheck: config file trailcheck\.config\.yaml: /);
      assert.match(lines[0] ?? '', pattern);
    }
  });

  it('the example in the README is a valid config file', async () => {
    const readme = await readFile(join(packageRoot(), 'README.md'), 'utf8');
    const example = /```yaml\n# trailcheck\.config\.yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'the README has the example');
    const { values } = parseConfig(example, 'README', '/project');
    assert.equal(values.region, 'eu-west-1,us-east-1');
    assert.equal(values['output-dir'], '/project/reports');
  });

  it('the example with every key in docs/reference.md is a valid config file', async () => {
    const reference = await readFile(join(packageRoot(), 'docs', 'reference.md'), 'utf8');
    const example = /```yaml\n# trailcheck\.config\.yaml\n([\s\S]*?)```/.exec(reference)?.[1];
    assert.ok(example, 'docs/reference.md has the example');
    const { values } = parseConfig(example, 'docs/reference.md', '/project');
    assert.equal(values.framework, 'cis-5.0');
    assert.equal(values['max-delivery-age'], '24');
  });
});
