/**
 * The service's life: first start, restarts, SIGTERM and SIGKILL in the middle of a scan, and stores it
 * must not touch (a corrupt file, a newer trailcheck's, one in use). Scans go through a proxy that slows
 * every AWS call, so a scan is still running when the signal comes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { motoEnv } from '../support/aws.js';
import { assertOneLine, runTrailcheck } from '../support/cli.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { useMoto } from '../support/moto-suite.js';
import { api, startServe, waitForScan } from '../support/service.js';
import type { ScanView } from '../support/service.js';

const REQUEST = { regions: ['us-east-1', 'eu-west-1'] };

async function fileHash(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Waits until the service has a scan running. */
async function untilRunning(url: string, token: string, id: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await api<ScanView>(url, token, 'GET', `/api/scans/${id}`);
    if (body.status === 'running') return;
    if (body.status !== 'queued') throw new Error(`scan ${id} is ${body.status} before the signal`);
    if (Date.now() > deadline) throw new Error('the scan never started');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('trailcheck serve: start, stop, crash', () => {
  const suite = useMoto();
  let dir: string;
  let proxy: FaultProxy;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trailcheck-serve-life-'));
    proxy = await FaultProxy.start(suite.moto.endpoint);
    env = { ...motoEnv(suite.moto), AWS_ENDPOINT_URL: proxy.endpoint };
  });
  after(async () => {
    await proxy.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows a first admin token once, keeps only its hash, and refuses a second service on the same data', async () => {
    const data = join(dir, 'first');
    const serve = await startServe(['--data', data], env);
    const token = (
      await serve.waitFor(/admin token, shown this once \(only its hash is kept\): (tc_\S+)/)
    )[1];
    assert.ok(token, serve.stderr());
    assert.equal((await api(serve.url, token, 'GET', '/api/scans')).status, 200);
    const second = await runTrailcheck(['serve', '--port', '0', '--data', data], env, 20_000);
    assert.equal(second.code, 3);
    assertOneLine(
      second.stderr,
      /another trailcheck serve \(pid \d+\) uses the data directory .*first; stop it or give another --data\./,
    );
    assert.equal((await serve.stop('SIGTERM')).code, 0);
    const db = new DatabaseSync(join(data, 'trailcheck.db'), { readOnly: true });
    const stored = db.prepare('select hash from tokens').all() as Array<{ hash: string }>;
    db.close();
    assert.deepEqual(
      stored.map((r) => r.hash),
      [createHash('sha256').update(token).digest('hex')],
    );
    assert.ok(
      !(await readFile(join(data, 'trailcheck.db'))).includes(Buffer.from(token)),
      'the token itself is not stored',
    );
    const again = await startServe(['--data', data], env);
    assert.doesNotMatch(again.stderr(), /admin token/);
    assert.equal((await api(again.url, token, 'GET', '/api/scans')).status, 200);
    assert.equal((await again.stop('SIGTERM')).code, 0);
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`${signal} in the middle of a scan loses nothing: the scan runs again at the next start`, async () => {
      const data = join(dir, signal);
      const token = `tc_${signal}-token`;
      const withToken = { ...env, TRAILCHECK_API_TOKEN: token };
      const serve = await startServe(['--data', data], withToken);
      // A finished scan first, which must survive untouched.
      const finished = await api<{ id: string }>(serve.url, token, 'POST', '/api/scans', REQUEST);
      const done = await waitForScan(serve.url, token, finished.body.id);
      assert.equal(done.status, 'done');
      proxy.setLatency({ ms: 400 });
      const started = await api<{ id: string }>(serve.url, token, 'POST', '/api/scans', REQUEST);
      await untilRunning(serve.url, token, started.body.id);
      const ended = await serve.stop(signal);
      proxy.setLatency(undefined);
      if (signal === 'SIGTERM') {
        assert.equal(ended.code, 0, serve.stderr());
        assert.match(serve.stderr(), /SIGTERM: stopping; running scans go back on the queue/);
      } else assert.equal(ended.signal, 'SIGKILL');

      const restarted = await startServe(['--data', data], withToken);
      if (signal === 'SIGKILL')
        await restarted.waitFor(/1 scan\(s\) left running by a stopped service are queued again/);
      const rerun = await waitForScan(restarted.url, token, started.body.id);
      assert.equal(rerun.status, 'done');
      assert.equal(rerun.attempts, 2);
      const kept = await api<ScanView>(restarted.url, token, 'GET', `/api/scans/${done.id}`);
      assert.deepEqual(kept.body, done);
      const report = await api(restarted.url, token, 'GET', `/api/scans/${done.id}/report?format=json`);
      assert.equal(report.status, 200);
      assert.equal((await restarted.stop('SIGTERM')).code, 0);
      const db = new DatabaseSync(join(data, 'trailcheck.db'), { readOnly: true });
      assert.deepEqual(JSON.parse(JSON.stringify(db.prepare('pragma integrity_check').all())), [
        { integrity_check: 'ok' },
      ]);
      // No scan is "done" without its result.
      assert.deepEqual(
        db
          .prepare(
            "select id from scans where status = 'done' and id not in (select scan_id from scan_results)",
          )
          .all(),
        [],
      );
      db.close();
    });
  }

  it('refuses a store it cannot trust, in one line, and leaves it as it was', async () => {
    const garbage = join(dir, 'garbage');
    await mkdir(garbage, { recursive: true });
    await writeFile(join(garbage, 'trailcheck.db'), 'this is not a database, just some text'.repeat(200));
    const before = await fileHash(join(garbage, 'trailcheck.db'));
    const corrupt = await runTrailcheck(['serve', '--port', '0', '--data', garbage], env, 20_000);
    assert.equal(corrupt.code, 3);
    assertOneLine(
      corrupt.stderr,
      /trailcheck\.db is not a usable trailcheck store \(.*\); move it aside or choose another --data\. Nothing was changed\./,
    );
    assert.equal(await fileHash(join(garbage, 'trailcheck.db')), before);

    // A store a newer trailcheck migrated.
    const newer = join(dir, 'newer');
    const serve = await startServe(['--data', newer], { ...env, TRAILCHECK_API_TOKEN: 'tc_x' });
    await serve.stop('SIGTERM');
    const db = new DatabaseSync(join(newer, 'trailcheck.db'));
    db.exec(
      "insert into trailcheck_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01')",
    );
    db.close();
    const newerHash = await fileHash(join(newer, 'trailcheck.db'));
    const refused = await runTrailcheck(['serve', '--port', '0', '--data', newer], env, 20_000);
    assert.equal(refused.code, 3);
    assertOneLine(
      refused.stderr,
      /was written by a newer trailcheck \(schema 9999-from-the-future\); upgrade trailcheck/,
    );
    assert.equal(await fileHash(join(newer, 'trailcheck.db')), newerHash);
  });

  it('refuses bad flags in one line', async () => {
    for (const [args, code, pattern] of [
      [['--port', 'http'], 2, /--port takes a port number from 0 to 65535/],
      [['--port', '70000'], 2, /--port takes a port number/],
      [['--database', 'mysql://db/x'], 2, /--database takes a postgres:\/\/ URL \(got a mysql URL\)/],
      [['--database', 'postgres://h/db', '--data', 'x'], 2, /give one of them/],
      [['--jobs', '0'], 2, /--jobs takes a whole number from 1 to 16/],
      [['--colour'], 2, /unknown option '--colour'|--colour/],
      [['--host', '203.0.113.9', '--data', join(dir, 'host')], 3, /cannot listen on 203\.0\.113\.9/],
    ] as const) {
      const result = await runTrailcheck(['serve', ...args], env, 20_000);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
      assertOneLine(result.stderr, pattern);
    }
  });
});
