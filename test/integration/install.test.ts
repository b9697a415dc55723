/**
 * trailcheck as a user installs it: packed into a tarball and installed globally into a temporary prefix,
 * or installed globally from the checkout, then run from a directory that is not the checkout.
 * Dependencies come from npm's cache where it has them (--prefer-offline).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/util/package-root.js';
import { TOOL_VERSION } from '../../src/version.js';

const run = promisify(execFile);

// The installed bin starts with `#!/usr/bin/env node`: let it find the Node that runs the tests.
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

async function npm(args: string[], cwd: string) {
  return run('npm', args, { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
}

async function trailcheck(prefix: string, args: string[], cwd: string) {
  return run(join(prefix, 'bin', 'trailcheck'), args, { cwd, env, timeout: 60_000 });
}

describe('installing trailcheck', { timeout: 120_000 }, () => {
  let work: string;
  let elsewhere: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'trailcheck-install-'));
    elsewhere = await mkdtemp(join(tmpdir(), 'trailcheck-cwd-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  });

  it('packs the built code and installs it from the tarball without dev dependencies', async () => {
    // --ignore-scripts: the tests run from dist/, which `prepare` would rebuild under their feet.
    const { stdout } = await npm(
      ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
      packageRoot(),
    );
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    assert.ok(packed);
    const files = packed.files.map((f) => f.path);
    assert.ok(files.includes('dist/src/cli/main.js'), 'the tarball holds the built CLI');
    assert.ok(files.includes('demo/mooncloud-cis-test.snapshot.json'), 'and the demo snapshot');
    assert.deepEqual(
      files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || /\.test\.js$/.test(f)),
      [],
      'no sources or tests',
    );

    const prefix = join(work, 'prefix');
    await npm(['install', '--global', '--prefix', prefix, ...NPM_QUIET, join(work, packed.filename)], work);
    const installed = join(prefix, 'lib', 'node_modules', 'trailcheck');
    const modules = await readdir(join(installed, 'node_modules'));
    assert.ok(!modules.includes('typescript'), 'no dev dependency is installed');
    // A tarball install must not try to build: there is nothing to build it with.
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const prepare = manifest.scripts.prepare ?? '';
    await run('sh', ['-c', prepare], { cwd: installed, env });
    assert.ok((await readdir(join(installed, 'dist', 'src', 'cli'))).includes('main.js'));

    const version = await trailcheck(prefix, ['-V'], elsewhere);
    assert.equal(version.stdout, `trailcheck ${TOOL_VERSION}\n`);
    const help = await trailcheck(prefix, ['scan', '--help'], elsewhere);
    assert.match(help.stdout, /^Usage: trailcheck scan/);
    const demo = await trailcheck(prefix, ['demo'], elsewhere).catch(
      (error: { code?: number; stdout?: string }) => error,
    );
    // The demo account fails a check on purpose, so the demo exits 1 with its report.
    assert.match(demo.stdout ?? '', /CloudTrail\.1/);
    assert.match(demo.stdout ?? '', /MooncloudCisTest|account 123456789012/);

    // `trailcheck serve` is the third thing a user tries: it works with nothing else installed.
    const serve = spawn(join(prefix, 'bin', 'trailcheck'), ['serve', '--port', '0'], {
      cwd: elsewhere,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        serve.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /serving on (http:\/\/\S+) /.exec(stderr);
          if (match?.[1]) resolve(match[1]);
        });
        serve.on('exit', (code) => reject(new Error(`serve ended (${code}): ${stderr}`)));
      });
      const health = (await (await fetch(`${url}/healthz`)).json()) as { ok: boolean; store: string };
      assert.deepEqual(health, { ok: true, store: 'embedded', runningScans: 0 });
      // The dashboard's chart library comes from the installed dependencies, not from the network.
      const chart = await fetch(`${url}/assets/chart.js`);
      assert.equal(chart.status, 200);
      assert.ok((await readdir(join(elsewhere, 'trailcheck-data'))).includes('trailcheck.db'));
    } finally {
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.once('exit', resolve));
    }
  });

  it('installs globally from the checkout (npm install -g .)', async () => {
    const prefix = join(work, 'from-checkout');
    await npm(
      ['install', '--global', '--ignore-scripts', '--prefix', prefix, ...NPM_QUIET, '.'],
      packageRoot(),
    );
    const version = await trailcheck(prefix, ['--version'], elsewhere);
    assert.equal(version.stdout, `trailcheck ${TOOL_VERSION}\n`);
  });
});
