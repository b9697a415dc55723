/**
 * The pg-boss queue in-process, on a real PostgreSQL, with an engine that answers at once (or fails on
 * purpose): retries with backoff, a member whose job gives up, a user error that is not retried, a job
 * sent twice, and alerts run by serve for scans a worker stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonReport } from '../report/json.js';
import { parseOrganizationSnapshot } from '../snapshot/organization.js';
import type { OrganizationAccount, OrganizationSnapshotHeader } from '../snapshot/organization.js';
import { UsageError } from '../util/errors.js';
import { TestPostgres } from '../../test/support/postgres.js';
import type { EngineResult, ScanEngine } from './engine.js';
import { PgQueue, accountJobId, jobTimingFromEnv } from './pg-queue.js';
import type { JobTiming } from './pg-queue.js';
import { ScanExecutor } from './runner.js';
import { openDatabase } from './store/database.js';
import { Store } from './store/store.js';
import type { Scan } from './store/store.js';

const TIMING: JobTiming = {
  heartbeatSeconds: 10,
  expireInSeconds: 60,
  retryLimit: 1,
  retryDelaySeconds: 1,
  stopTimeoutMs: 2000,
};

const MANAGEMENT: OrganizationAccount = { Id: '111111111111', Name: 'management', Status: 'ACTIVE' };
const FLAKY: OrganizationAccount = { Id: '222222222222', Name: 'flaky', Status: 'ACTIVE' };
const BROKEN: OrganizationAccount = { Id: '333333333333', Name: 'broken', Status: 'ACTIVE' };
const HEADER: OrganizationSnapshotHeader = {
  tool: { name: 'trailcheck', version: 'test' },
  startedAt: new Date().toISOString(),
  organization: { Id: 'o-test', MasterAccountId: MANAGEMENT.Id },
  caller: { Account: MANAGEMENT.Id, Arn: 'arn:aws:iam::111111111111:root', Partition: 'aws' },
  leftOut: 0,
  managementForContextOnly: false,
};

function report(accounts: string[]): JsonReport {
  return {
    account: accounts[0] ?? null,
    organization: accounts.length > 1 ? { id: 'o-test' } : null,
    regions: ['us-east-1'],
    integer_result: 0,
    pretty_result: 'fine',
    summary: { PASS: 0, FAIL: 0, UNKNOWN: 0, total: 0 },
    accounts: accounts.map((id) => ({ id, assessed: true, controls: [] })),
    findings: [],
  } as unknown as JsonReport;
}

const failedLine = (account: OrganizationAccount, reason: string) =>
  JSON.stringify({ account, outcome: { ok: false, stage: 'collect', reason } });

/** An engine that records what it was asked; the flaky member fails its first try, the broken one every try. */
function fakeEngine(options: { planError?: Error } = {}) {
  const calls = { scan: 0, collect: new Map<string, number>(), judged: [] as string[] };
  const engine: ScanEngine = {
    formats: ['json'],
    check: () => Promise.resolve(),
    scan(): Promise<EngineResult> {
      calls.scan += 1;
      return Promise.resolve({
        report: report(['123456789012']),
        snapshot: '{}',
        startedAt: new Date().toISOString(),
      });
    },
    judge(snapshot): Promise<EngineResult> {
      calls.judged.push(snapshot);
      const parsed = parseOrganizationSnapshot(snapshot, 'assembled');
      const ids = [...parsed.entries()].map((e) => e.account.Id);
      return Promise.resolve({ report: report(ids), snapshot, startedAt: HEADER.startedAt });
    },
    planOrganization() {
      if (options.planError) return Promise.reject(options.planError);
      return Promise.resolve({
        header: HEADER,
        management: { account: MANAGEMENT, line: failedLine(MANAGEMENT, 'management: fake') },
        members: [FLAKY, BROKEN],
      });
    },
    collectMember(_request, _header, account) {
      const n = (calls.collect.get(account.Id) ?? 0) + 1;
      calls.collect.set(account.Id, n);
      if (account.Id === BROKEN.Id) return Promise.reject(new Error('the store went away'));
      if (account.Id === FLAKY.Id && n === 1) return Promise.reject(new Error('connection reset'));
      return Promise.resolve(failedLine(account, `collected on try ${n}`));
    },
    render: () => Promise.reject(new Error('not used')),
  };
  return { engine, calls };
}

let postgres: TestPostgres;
const opened: Array<{ queue: PgQueue; store: Store }> = [];

before(async () => {
  postgres = await TestPostgres.start();
});
after(async () => {
  for (const { queue, store } of opened) {
    await queue.stop();
    await store.close();
  }
  await postgres?.stop();
});

async function open(
  url: string,
  engine: ScanEngine,
  role: 'service' | 'worker',
  concurrency: number,
  announced: Scan[] = [],
) {
  const store = new Store(await openDatabase({ kind: 'postgres', url }));
  // As in `trailcheck worker`, a worker's executor has nothing to run after a scan: serve does that.
  const executor = new ScanExecutor(
    store,
    engine,
    role === 'service'
      ? {
          afterScan: (scan) => {
            announced.push(scan);
            return Promise.resolve();
          },
        }
      : undefined,
  );
  const queue = await PgQueue.open({ url, store, engine, executor, concurrency, role, timing: TIMING });
  await queue.start();
  opened.push({ queue, store });
  return { store, queue };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const finished = (store: Store, id: string) => async () => {
  const scan = await store.getScan(id);
  return scan && (scan.status === 'done' || scan.status === 'failed') ? scan : undefined;
};

describe('PgQueue on PostgreSQL', () => {
  it('an organization scan: a flaky member retried with backoff, a broken one given up, the rest judged', async () => {
    const url = await postgres.database();
    const { engine, calls } = fakeEngine();
    const announced: Scan[] = [];
    const { store } = await open(url, engine, 'service', 2, announced);
    const scan = await store.createScan({ request: { organization: {} }, trigger: 'api:t' });
    const queue = opened.at(-1)?.queue;
    await queue?.enqueue(scan);
    const done = await until('the scan', finished(store, scan.id), 45_000);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.equal(calls.collect.get(FLAKY.Id), 2, 'the flaky member was tried again');
    assert.equal(calls.collect.get(BROKEN.Id), 2, 'the broken member was tried retryLimit + 1 times');
    assert.equal(calls.judged.length, 1, 'judged once, by the last account in');
    const entries = [...parseOrganizationSnapshot(calls.judged[0] ?? '', 'judged').entries()];
    assert.deepEqual(
      entries.map((e) => e.account.Id),
      [MANAGEMENT.Id, FLAKY.Id, BROKEN.Id],
    );
    const [, flaky, broken] = entries;
    assert.equal(flaky?.outcome.ok === false && flaky.outcome.reason, 'collected on try 2');
    assert.match(
      broken?.outcome.ok === false ? broken.outcome.reason : '',
      /^the job that reads account 333333333333 failed 2 times/,
    );
    assert.deepEqual(
      announced.map((s) => s.id),
      [scan.id],
    );
  });

  it('a user error while planning fails the scan at once, with its message, and is not retried', async () => {
    const url = await postgres.database();
    const { engine } = fakeEngine({ planError: new UsageError('--ou: ou-x is not an organizational unit.') });
    const { store, queue } = await open(url, engine, 'service', 1);
    const scan = await store.createScan({ request: { organization: {} }, trigger: 'api:t' });
    await queue.enqueue(scan);
    const failed = await until('the scan', finished(store, scan.id));
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, '--ou: ou-x is not an organizational unit.');
    assert.equal(failed.attempts, 1);
  });

  it('a scan sent twice is one job; a worker stores it and serve (with --jobs 0) sends its alerts', async () => {
    const url = await postgres.database();
    const { engine, calls } = fakeEngine();
    const serviceAlerts: Scan[] = [];
    const service = await open(url, engine, 'service', 0, serviceAlerts);
    const scan = await service.store.createScan({ request: {}, trigger: 'api:t' });
    await service.queue.enqueue(scan);
    await service.queue.enqueue(scan);
    await open(url, engine, 'worker', 1);
    const done = await until('the scan', finished(service.store, scan.id));
    assert.equal(done.status, 'done');
    await until('the alert', () => Promise.resolve(serviceAlerts.length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(calls.scan, 1, 'one job, one scan');
    assert.deepEqual(
      serviceAlerts.map((s) => s.id),
      [scan.id],
    );
  });
});

describe('job settings', () => {
  it('come from the environment, checked, with defaults', () => {
    assert.deepEqual(jobTimingFromEnv({}), {
      heartbeatSeconds: 30,
      expireInSeconds: 3600,
      retryLimit: 3,
      retryDelaySeconds: 5,
      stopTimeoutMs: 30_000,
    });
    assert.equal(jobTimingFromEnv({ TRAILCHECK_JOB_HEARTBEAT_SECONDS: '12' }).heartbeatSeconds, 12);
    assert.throws(
      () => jobTimingFromEnv({ TRAILCHECK_JOB_HEARTBEAT_SECONDS: '5' }),
      /^UsageError: TRAILCHECK_JOB_HEARTBEAT_SECONDS takes a whole number from 10 to 3600, not '5'\.$/,
    );
  });

  it('a member job id is a UUID fixed by scan and account', () => {
    const id = accountJobId('scan-1', '222222222222');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(accountJobId('scan-1', '222222222222'), id);
    assert.notEqual(accountJobId('scan-2', '222222222222'), id);
  });
});
