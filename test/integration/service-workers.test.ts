/**
 * `serve --database URL --jobs 0` and two `trailcheck worker` processes on a real PostgreSQL, against an
 * organization on moto reached through a latency proxy (so a member's collection takes long enough to
 * kill a worker in the middle of it). Two organization scans at once: every account is assessed, one
 * worker SIGKILLed mid-job has its job finished by the other, no account is collected by two jobs at
 * once, serve SIGKILLed and restarted shows no half-written scan, and SIGTERM stops a worker cleanly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { CLI, assertOneLine, runTrailcheck } from '../support/cli.js';
import { motoEnv } from '../support/aws.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { MotoServer } from '../support/moto.js';
import { buildOrganization } from '../support/moto-org.js';
import type { OrganizationFixture } from '../support/moto-org.js';
import { TestPostgres } from '../support/postgres.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A CLI process whose standard error is kept line by line, each with the time it arrived. */
class Running {
  readonly lines: Array<{ at: number; text: string }> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private partial = '';

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = this.partial + chunk.toString();
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) this.lines.push({ at: Date.now(), text: line });
    });
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(name: string, args: string[], env: NodeJS.ProcessEnv): Running {
    return new Running(
      name,
      spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] }),
    );
  }

  get text(): string {
    return this.lines.map((l) => l.text).join('\n');
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (const { text } of this.lines) {
        const match = text.match(pattern);
        if (match) return match;
      }
      if (Date.now() > until) throw new Error(`${this.name} never printed ${pattern}:\n${this.text}`);
      await sleep(50);
    }
  }
}

let moto: MotoServer;
let proxy: FaultProxy;
let postgres: TestPostgres;
let org: OrganizationFixture;
const started: Running[] = [];

before(async () => {
  [moto, postgres] = await Promise.all([MotoServer.start(), TestPostgres.start()]);
  org = await buildOrganization(moto, { members: 3 });
  // Every AWS call 60 ms late: a member's collection then takes seconds, time enough to kill its worker.
  proxy = await FaultProxy.start(moto.endpoint, { latency: { ms: 60 } });
});

after(async () => {
  for (const process of started) process.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
  await proxy?.stop();
  await moto?.stop();
  await postgres?.stop();
});

function env(): NodeJS.ProcessEnv {
  return {
    ...motoEnv(moto),
    AWS_ENDPOINT_URL: proxy.endpoint,
    TRAILCHECK_JOB_HEARTBEAT_SECONDS: '10',
    TRAILCHECK_JOB_RETRY_DELAY_SECONDS: '1',
    TRAILCHECK_JOB_STOP_SECONDS: '20',
  };
}

function start(name: string, args: string[], extra: NodeJS.ProcessEnv = {}): Running {
  const process = Running.start(name, args, { ...env(), ...extra });
  started.push(process);
  return process;
}

async function startServe(url: string): Promise<{ serve: Running; base: string }> {
  const serve = start('serve', ['serve', '--database', url, '--jobs', '0', '--port', '0']);
  const [, base] = await serve.waitFor(/serving on (http:\/\/\S+)/);
  return { serve, base: base ?? '' };
}

async function api(base: string, token: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

interface ScanView {
  id: string;
  status: string;
  error: string | null;
  summary: { accounts: number; accountsNotAssessed: number; organization: string | null } | null;
}

async function scans(base: string, token: string): Promise<ScanView[]> {
  const answer = (await (await api(base, token, '/api/scans')).json()) as ScanView[] | { scans: ScanView[] };
  return Array.isArray(answer) ? answer : answer.scans;
}

/** Each account's collection as the workers' logs show it: [start, end) per job, end = kill time if killed. */
function intervals(workers: Array<{ run: Running; killedAt?: number }>) {
  const spans: Array<{ scan: string; account: string; from: number; to: number; worker: string }> = [];
  for (const { run, killedAt } of workers) {
    const open = new Map<string, number>();
    for (const { at, text } of run.lines) {
      const begin = text.match(/scan (\S+): collecting account (\d{12})/);
      if (begin) open.set(`${begin[1]}/${begin[2]}`, at);
      const end = text.match(/scan (\S+): account (\d{12}) collected/);
      if (end) {
        const key = `${end[1]}/${end[2]}`;
        spans.push({
          scan: end[1] ?? '',
          account: end[2] ?? '',
          from: open.get(key) ?? at,
          to: at,
          worker: run.name,
        });
        open.delete(key);
      }
    }
    for (const [key, from] of open) {
      const [scan = '', account = ''] = key.split('/');
      spans.push({ scan, account, from, to: killedAt ?? Date.now(), worker: run.name });
    }
  }
  return spans;
}

describe('trailcheck worker on PostgreSQL', () => {
  it('a bad or unreachable --database is one line and a non-zero exit', async () => {
    const unreachable = await runTrailcheck(
      ['worker', '--database', 'postgres://nobody:secret@127.0.0.1:1/none'],
      env(),
    );
    assert.equal(unreachable.code, 3);
    assertOneLine(unreachable.stderr, /cannot reach the database postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
    assert.doesNotMatch(unreachable.stderr, /secret/);
    const malformed = await runTrailcheck(['worker', '--database', 'mysql://x@y/z'], env());
    assert.equal(malformed.code, 2);
    assertOneLine(malformed.stderr, /--database takes a postgres:\/\/ URL/);
    // --jobs 0 (only workers scan) needs the shared store workers take jobs from.
    const alone = await runTrailcheck(['serve', '--jobs', '0', '--data', '/nonexistent/never-made'], env());
    assert.equal(alone.code, 2);
    assertOneLine(alone.stderr, /--jobs takes a whole number from 1 to 16 \(scans run at once\), not '0'/);
    const missing = await runTrailcheck(['worker'], env());
    assert.equal(missing.code, 2);
    assertOneLine(missing.stderr, /needs the service's PostgreSQL store/);
  });

  it('two workers share two organization scans; one killed mid-job, the other finishes; serve killed and restarted', async () => {
    const url = await postgres.database();
    let { serve, base } = await startServe(url);
    const [, token = ''] = await serve.waitFor(/admin token, shown this once[^:]*: (tc_\S+)/);
    const one = start('worker-1', ['worker', '--database', url]);
    const two = start('worker-2', ['worker', '--database', url]);
    await Promise.all([one.waitFor(/takes scan jobs/), two.waitFor(/takes scan jobs/)]);

    const request = { regions: ['us-east-1'], organization: {} };
    const first = (await (await api(base, token, '/api/scans', request)).json()) as ScanView;
    const second = (await (await api(base, token, '/api/scans', request)).json()) as ScanView;
    assert.ok(first.id && second.id, 'both scans were queued');

    // Kill whichever worker is first seen collecting a member, while it collects it.
    let victim: Running | undefined;
    const until = Date.now() + 60_000;
    while (!victim && Date.now() < until) {
      victim = [one, two].find((w) => {
        const spans = intervals([{ run: w }]);
        return spans.some(
          (s) =>
            !w.lines.some(
              (l) => l.text.includes(`account ${s.account} collected`) && l.text.includes(s.scan),
            ),
        );
      });
      if (!victim) await sleep(20);
    }
    assert.ok(victim, 'a worker took a member job');
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    const survivor = victim === one ? two : one;

    // serve killed outright while the scans run, then started again on the same database.
    serve.child.kill('SIGKILL');
    await serve.exited;
    ({ serve, base } = await startServe(url));
    for (const scan of await scans(base, token)) {
      // Nothing half-written: a scan is finished with its report, or has none yet.
      const report = await api(base, token, `/api/scans/${scan.id}/report`);
      if (scan.status === 'done') assert.equal(report.status, 200);
      else assert.notEqual(report.status, 200, `scan ${scan.id} is ${scan.status} yet has a report`);
    }

    // The survivor finishes both, the dead worker's job included (after its heartbeat stops).
    const deadline = Date.now() + 75_000;
    let finished: ScanView[] = [];
    while (Date.now() < deadline) {
      finished = (await scans(base, token)).filter((s) => s.status === 'done' || s.status === 'failed');
      if (finished.length === 2) break;
      await sleep(500);
    }
    assert.equal(finished.length, 2, `both scans finished:\n${survivor.text}`);
    for (const scan of finished) {
      assert.equal(scan.status, 'done', scan.error ?? '');
      assert.equal(scan.summary?.organization, org.organizationId);
      assert.equal(scan.summary?.accounts, 4, 'the management account and the three members');
      assert.equal(scan.summary?.accountsNotAssessed, 0);
      const report = (await (await api(base, token, `/api/scans/${scan.id}/report`)).json()) as {
        accounts: Array<{ id: string; assessed: boolean }>;
      };
      assert.deepEqual(
        report.accounts.map((a) => a.id).sort(),
        [org.managementAccount, ...org.members.map((m) => m.id)].sort(),
      );
      assert.ok(report.accounts.every((a) => a.assessed));
    }
    assert.match(survivor.text, /collecting account \d{12} \(attempt 2\)/, 'the killed job ran again');

    // No account was collected by two jobs at once, across both scans and both workers.
    const spans = intervals([{ run: victim, killedAt }, { run: survivor }]);
    assert.ok(spans.length >= 6, `every member of both scans was collected (${spans.length} spans)`);
    for (const a of spans)
      for (const b of spans)
        if (a !== b && a.account === b.account)
          assert.ok(
            a.to <= b.from || b.to <= a.from,
            `account ${a.account} collected twice at once: ${JSON.stringify([a, b])}`,
          );

    // SIGTERM: the worker stops taking jobs and exits 0.
    survivor.child.kill('SIGTERM');
    const exit = await survivor.exited;
    assert.equal(exit.code, 0, survivor.text);
    assert.match(survivor.text, /worker stopped/);
    serve.child.kill('SIGTERM');
    assert.equal((await serve.exited).code, 0, serve.text);
  });

  it('SIGTERM mid-job: the worker hands its job back and exits 0 at once; another worker runs it', async () => {
    const url = await postgres.database();
    const { serve, base } = await startServe(url);
    const [, token = ''] = await serve.waitFor(/admin token, shown this once[^:]*: (tc_\S+)/);
    // One second to finish, far less than a member's collection behind the slow proxy.
    const leaving = start('leaving', ['worker', '--database', url], { TRAILCHECK_JOB_STOP_SECONDS: '1' });
    await leaving.waitFor(/takes scan jobs/);
    const scan = (await (
      await api(base, token, '/api/scans', { regions: ['us-east-1'], organization: {} })
    ).json()) as ScanView;
    const [, account = ''] = await leaving.waitFor(/collecting account (\d{12}) \(attempt 1\)/, 60_000);
    // From now on every AWS call takes 3 s: the member cannot finish in the second it is given.
    const slow = proxy.addRule({ fault: { kind: 'delay', ms: 3000 } });
    const signalled = Date.now();
    leaving.child.kill('SIGTERM');
    const exit = await leaving.exited;
    assert.equal(exit.code, 0, leaving.text);
    assert.ok(Date.now() - signalled < 8000, `stopped in ${Date.now() - signalled} ms`);
    assert.match(
      leaving.text,
      /worker stopped; 1 job\(s\) that did not finish in time went back to the queue/,
    );
    assert.doesNotMatch(leaving.text, new RegExp(`account ${account} collected`));
    slow.remove();

    const staying = start('staying', ['worker', '--database', url]);
    // Handed back, the job runs again at once: no waiting for a heartbeat to lapse.
    await staying.waitFor(new RegExp(`collecting account ${account} \\(attempt 2\\)`), 30_000);
    const deadline = Date.now() + 60_000;
    let view: ScanView | undefined;
    while (Date.now() < deadline) {
      view = (await (await api(base, token, `/api/scans/${scan.id}`)).json()) as ScanView;
      if (view.status === 'done' || view.status === 'failed') break;
      await sleep(500);
    }
    assert.equal(view?.status, 'done', `${view?.error ?? ''}\n${staying.text}`);
    assert.equal(view?.summary?.accounts, 4);
    assert.equal(view?.summary?.accountsNotAssessed, 0);
    staying.child.kill('SIGTERM');
    assert.equal((await staying.exited).code, 0, staying.text);
    serve.child.kill('SIGTERM');
    assert.equal((await serve.exited).code, 0, serve.text);
  });
});
