/**
 * The store, on both databases it runs on: every operation in one table, run against the embedded
 * SQLite store and a real PostgreSQL (bytea columns, RETURNING, counts that PostgreSQL returns as
 * strings). Then the stores it must refuse: one written by a newer trailcheck, a file that is no
 * SQLite database, a database holding someone else's tables.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import type { JsonReport } from '../../report/json.js';
import type { OrganizationAccount, OrganizationSnapshotHeader } from '../../snapshot/organization.js';
import { CannotRunError } from '../../util/errors.js';
import { TestPostgres } from '../../../test/support/postgres.js';
import { openDatabase, STORE_FILE } from './database.js';
import type { StoreLocation } from './database.js';
import { OrganizationRuns } from './organization-runs.js';
import { Store } from './store.js';

/** A report with just what the store reads from it: summary, accounts, findings. */
function report(account: string, status: 'PASS' | 'FAIL'): JsonReport {
  return {
    account,
    organization: null,
    regions: ['us-east-1'],
    integer_result: status === 'PASS' ? 0 : 1,
    pretty_result: status === 'PASS' ? 'all pass' : 'one fails',
    summary: { PASS: status === 'PASS' ? 1 : 0, FAIL: status === 'FAIL' ? 1 : 0, UNKNOWN: 0, total: 1 },
    accounts: [{ id: account, assessed: true, controls: [{ id: 'CloudTrail.1', status }] }],
    findings: [
      { account, control: 'CloudTrail.1', status },
      { account, control: 'CloudTrail.1', status: 'UNKNOWN' },
    ],
  } as unknown as JsonReport;
}

const HEADER: OrganizationSnapshotHeader = {
  tool: { name: 'trailcheck', version: 'test' },
  startedAt: '2026-01-01T00:00:00.000Z',
  organization: { Id: 'o-abc', MasterAccountId: '111111111111' },
  caller: { Account: '111111111111', Arn: 'arn:aws:iam::111111111111:root', Partition: 'aws' },
  leftOut: 0,
  managementForContextOnly: false,
};
const account = (id: string): OrganizationAccount => ({ Id: id, Name: `n${id}`, Status: 'ACTIVE' });

/** Each operation, checked the same on both databases. */
const OPERATIONS: Array<[string, (store: Store) => Promise<void>]> = [
  [
    'a scan is queued, claimed (RETURNING), stored whole (bytes) and read back',
    async (store) => {
      const scan = await store.createScan({ request: { regions: ['US-EAST-1'] }, trigger: 'api:t' });
      assert.equal(scan.status, 'queued');
      const claimed = await store.claimNextQueued();
      assert.equal(claimed?.id, scan.id);
      assert.equal(claimed?.status, 'running');
      assert.equal(claimed?.attempts, 1);
      assert.deepEqual(claimed?.request, { regions: ['us-east-1'] });
      assert.equal(await store.claimNextQueued(), undefined);
      const snapshot = `{"big":"${'x'.repeat(100_000)}\u00e9"}`;
      const done = await store.finishScan(scan.id, {
        report: report('123456789012', 'FAIL'),
        snapshot,
        suppressions: '',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:02.000Z',
      });
      assert.equal(done.status, 'done');
      assert.equal(done.durationMs, 2000);
      assert.equal(done.integer_result, 1);
      assert.equal(done.subject, '123456789012');
      assert.equal(done.summary?.FAIL, 1);
      assert.equal((await store.getReport(scan.id))?.account, '123456789012');
      assert.deepEqual(await store.getEvidence(scan.id), { snapshot, suppressions: '' });
      // Done stays done: a late failure does not overwrite it.
      assert.equal(await store.failScan(scan.id, 'late'), undefined);
      assert.equal((await store.getScan(scan.id))?.status, 'done');
      const history = await store.history({ control: 'CloudTrail.1' });
      assert.deepEqual(history, [
        {
          scanId: scan.id,
          finishedAt: '2026-01-01T00:00:02.000Z',
          account: '123456789012',
          control: 'CloudTrail.1',
          status: 'FAIL',
          pass: 0,
          fail: 1,
          unknown: 1,
        },
      ]);
    },
  ],
  [
    'scans list newest first, by status; a failed scan keeps its reason',
    async (store) => {
      const a = await store.createScan({ request: {}, trigger: 'api:t', createdAt: '2026-01-01T00:00:00Z' });
      const b = await store.createScan({ request: {}, trigger: 'api:t', createdAt: '2026-01-02T00:00:00Z' });
      assert.deepEqual(
        (await store.listScans()).map((s) => s.id),
        [b.id, a.id],
      );
      const claimed = await store.claimScan(a.id);
      assert.equal(claimed?.status, 'running');
      const failed = await store.failScan(a.id, 'no credentials', new Date(Date.now() - 5000).toISOString());
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.integer_result, 2);
      assert.equal(failed?.error, 'no credentials');
      assert.ok((failed?.durationMs ?? 0) >= 5000);
      assert.deepEqual(
        (await store.listScans({ status: 'failed' })).map((s) => s.id),
        [a.id],
      );
      assert.equal(await store.claimScan(a.id), undefined);
    },
  ],
  [
    'running scans go back on the queue (the count is a number)',
    async (store) => {
      await store.createScan({ request: {}, trigger: 'api:t' });
      await store.createScan({ request: {}, trigger: 'api:t' });
      const first = await store.claimNextQueued();
      await store.claimNextQueued();
      assert.equal(await store.requeue([]), 0);
      assert.equal(await store.requeue([first?.id ?? '']), 1);
      assert.equal(await store.requeue(), 1);
      assert.equal((await store.listScans({ status: 'queued' })).length, 2);
    },
  ],
  [
    'the previous finished scan of the same request and subject',
    async (store) => {
      const finish = async (at: string, request = {}) => {
        const scan = await store.createScan({ request, trigger: 'api:t' });
        await store.claimScan(scan.id);
        return store.finishScan(scan.id, {
          report: report('123456789012', 'PASS'),
          snapshot: '{}',
          suppressions: '',
          startedAt: at,
          finishedAt: at,
        });
      };
      const first = await finish('2026-01-01T00:00:00.000Z');
      await finish('2026-01-01T12:00:00.000Z', { regions: ['eu-west-1'] });
      const second = await finish('2026-01-02T00:00:00.000Z');
      assert.equal((await store.previousDone(second))?.id, first.id);
      assert.equal(await store.previousDone(first), undefined);
      // Two scans finishing in the same millisecond: one is the other's previous, never each other's.
      const tieA = await finish('2026-01-03T00:00:00.000Z');
      const tieB = await finish('2026-01-03T00:00:00.000Z');
      const [earlier, later] = tieA.id < tieB.id ? [tieA, tieB] : [tieB, tieA];
      assert.equal((await store.previousDone(later))?.id, earlier.id);
      assert.equal((await store.previousDone(earlier))?.id, second.id);
      assert.equal((await store.previousFinished(later))?.id, earlier.id);
      assert.equal((await store.previousFinished(earlier))?.id, second.id);
    },
  ],
  [
    'schedules: made, listed, marked, deleted',
    async (store) => {
      const s = await store.createSchedule({
        name: 'nightly',
        cron: '0 3 * * *',
        intervalSeconds: null,
        request: {},
      });
      const i = await store.createSchedule({
        name: 'hourly',
        cron: null,
        intervalSeconds: 3600,
        request: {},
      });
      assert.deepEqual(
        (await store.listSchedules()).map((x) => x.name),
        ['hourly', 'nightly'],
      );
      assert.equal((await store.getSchedule(i.id))?.intervalSeconds, 3600);
      assert.equal((await store.getSchedule(s.id))?.enabled, true);
      await store.markScheduleRun(s.id, '2026-01-01T03:00:00.000Z');
      assert.equal((await store.getSchedule(s.id))?.lastRunAt, '2026-01-01T03:00:00.000Z');
      assert.equal(await store.deleteSchedule(s.id), true);
      assert.equal(await store.deleteSchedule(s.id), false);
    },
  ],
  [
    'suppressions: in force until their day, or until ended early',
    async (store) => {
      const base = { control: 'CloudTrail.1', resource: '*', reason: 'r', createdBy: 'api:t' };
      const live = await store.createSuppression({ ...base, expires: '2026-06-30' });
      await store.createSuppression({ ...base, expires: '2026-01-01', region: 'us-east-1' });
      assert.equal((await store.activeSuppressions('2026-01-01')).length, 2);
      assert.equal((await store.activeSuppressions('2026-01-02')).length, 1);
      assert.equal(await store.expireSuppression(live.id), true);
      assert.equal(await store.expireSuppression(live.id), false);
      assert.equal((await store.activeSuppressions('2026-01-02')).length, 0);
      assert.equal((await store.listSuppressions()).length, 2);
    },
  ],
  [
    'tokens and sessions: counted (a number, not a string), found by secret, revoked',
    async (store) => {
      const admin = await store.createToken('admin', 'admin', 'tc_secret1');
      await store.createToken('reader', 'read', 'tc_secret2');
      assert.strictEqual(await store.countTokens(), 2);
      assert.equal((await store.tokenBySecret('tc_secret1'))?.id, admin.id);
      await store.createSession(admin.id, 'cookie', '2999-01-01T00:00:00.000Z');
      assert.equal((await store.tokenBySession('cookie'))?.id, admin.id);
      await store.deleteSession('cookie');
      assert.equal(await store.tokenBySession('cookie'), undefined);
      await store.createToken('admin', 'admin', 'tc_secret3');
      await store.revokeTokensNamed('admin', (await import('./store.js')).sha256('tc_secret3'));
      assert.equal(await store.tokenBySecret('tc_secret1'), undefined);
      assert.strictEqual(await store.countTokens(), 2);
      const reader = (await store.listTokens()).find((t) => t.name === 'reader');
      assert.equal(await store.revokeToken(reader?.id ?? ''), true);
      assert.equal(await store.revokeToken(reader?.id ?? ''), false);
    },
  ],
  [
    'alerts: recorded and listed with their JSON',
    async (store) => {
      await store.recordAlert({ scanId: 's', kind: 'regressed', body: { a: 1 }, deliveries: [{ ok: true }] });
      const [alert] = await store.listAlerts();
      assert.equal(alert?.kind, 'regressed');
      assert.deepEqual(alert?.body, { a: 1 });
      assert.deepEqual(alert?.deliveries, [{ ok: true }]);
    },
  ],
  [
    'organization runs: planned once, each account stored once, the last one counted in turn',
    async (store) => {
      const runs = new OrganizationRuns(store);
      const scan = await store.createScan({ request: { organization: {} }, trigger: 'api:t' });
      const members = [account('222222222222'), account('333333333333'), account('444444444444')];
      const management = { account: account('111111111111'), line: '{"m":1}' };
      assert.equal(await runs.plan(scan.id, HEADER, management, members), true);
      assert.equal(await runs.plan(scan.id, HEADER, management, []), false);
      const run = await runs.get(scan.id);
      assert.deepEqual(run?.header, HEADER);
      assert.equal(run?.pending.length, 3);
      assert.equal(await runs.lines(scan.id), undefined);
      // Accounts finishing at once: every record sees a distinct count, and exactly one sees zero.
      const counts = await Promise.all(
        members.map((m, i) => runs.record(scan.id, m.Id, `{"a":${i}}`).then((r) => r.remaining)),
      );
      assert.deepEqual([...counts].sort(), [0, 1, 2]);
      // A job run again changes nothing.
      assert.deepEqual(await runs.record(scan.id, '222222222222', '{"again":1}'), { remaining: 0 });
      assert.deepEqual(await runs.lines(scan.id), ['{"m":1}', '{"a":0}', '{"a":1}', '{"a":2}']);
      assert.equal((await runs.get(scan.id))?.pending.length, 0);
    },
  ],
];

const LOCAL: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trailcheck-store-'));
  LOCAL.push(dir);
  return dir;
}

let postgres: TestPostgres;
before(async () => {
  postgres = await TestPostgres.start();
});
after(async () => {
  await postgres?.stop();
  for (const dir of LOCAL) await rm(dir, { recursive: true, force: true });
});

const BACKENDS: Array<[string, () => Promise<StoreLocation>]> = [
  ['embedded SQLite', async () => ({ kind: 'embedded', dir: await tempDir() })],
  ['PostgreSQL', async () => ({ kind: 'postgres', url: await postgres.database() })],
];

for (const [backend, location] of BACKENDS) {
  describe(`the store on ${backend}`, () => {
    for (const [name, operation] of OPERATIONS)
      it(name, async () => {
        const where = await location();
        const store = new Store(await openDatabase(where));
        try {
          await operation(store);
        } finally {
          await store.close();
        }
        // Opened again, the schema is current and nothing is migrated twice.
        const again = new Store(await openDatabase(where));
        await again.close();
      });

    it('refuses a store written by a newer trailcheck, in one line, and leaves it as it was', async () => {
      const where = await location();
      const store = new Store(await openDatabase(where));
      await store.db
        .insertInto('trailcheck_migration' as never)
        .values({ name: '9999-from-the-future', timestamp: '2030-01-01T00:00:00.000Z' })
        .execute();
      const before = await store.listScans();
      await store.createScan({ request: {}, trigger: 'api:t' });
      await store.close();
      await assert.rejects(openDatabase(where), (error: Error) => {
        assert.ok(error instanceof CannotRunError);
        assert.match(
          error.message,
          /written by a newer trailcheck \(schema 9999-from-the-future\).*Nothing was changed\.$/,
        );
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
      // Untouched: its rows are still there, the future migration too.
      const raw = where.kind === 'postgres' ? new pg.Client(where.url) : undefined;
      if (raw) {
        await raw.connect();
        const { rows } = await raw.query<{ n: string }>('select count(*) as n from scans');
        assert.equal(Number(rows[0]?.n), before.length + 1);
        await raw.end();
      } else if (where.kind === 'embedded') {
        assert.ok((await readFile(join(where.dir, STORE_FILE))).length > 0);
      }
    });

    it('refuses a database that holds tables that are not trailcheck’s', async () => {
      const where = await location();
      if (where.kind === 'postgres') {
        const raw = new pg.Client(where.url);
        await raw.connect();
        await raw.query('create table invoices (id int)');
        await raw.end();
      } else {
        const open = await openDatabase(where);
        await open.db.destroy();
        await rm(join(where.dir, STORE_FILE), { force: true });
        await rm(join(where.dir, `${STORE_FILE}-wal`), { force: true });
        await rm(join(where.dir, `${STORE_FILE}-shm`), { force: true });
        const { NodeSqliteDatabase } = await import('./sqlite.js');
        const db = new NodeSqliteDatabase(join(where.dir, STORE_FILE));
        db.prepare('create table invoices (id integer)').run([]);
        db.close();
      }
      await assert.rejects(openDatabase(where), (error: Error) => {
        assert.ok(error instanceof CannotRunError);
        assert.match(
          error.message,
          /holds tables that are not trailcheck's \(invoices\).*Nothing was changed\.$/,
        );
        return true;
      });
      if (where.kind === 'postgres') {
        // Not a table of trailcheck's was made.
        const check = new pg.Client(where.url);
        await check.connect();
        const { rows } = await check.query<{ n: string }>(
          "select count(*) as n from information_schema.tables where table_schema = 'public'",
        );
        assert.equal(Number(rows[0]?.n), 1);
        await check.end();
      }
    });
  });
}

describe('the embedded store refuses a file that is not one', () => {
  it('a garbage trailcheck.db is refused in one line and left as it was', async () => {
    const dir = await tempDir();
    const garbage = Buffer.from('this is not a database at all, just some text\n'.repeat(200));
    await writeFile(join(dir, STORE_FILE), garbage);
    await assert.rejects(openDatabase({ kind: 'embedded', dir }), (error: Error) => {
      assert.ok(error instanceof CannotRunError);
      assert.match(error.message, /trailcheck\.db is not a usable trailcheck store \(.*\); move it aside/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    assert.deepEqual(await readFile(join(dir, STORE_FILE)), garbage);
  });

  it('PostgreSQL that cannot be reached (wrong password) is one line', async () => {
    const url = postgres.url('postgres', 'wrong-password');
    await assert.rejects(openDatabase({ kind: 'postgres', url }), (error: Error) => {
      assert.ok(error instanceof CannotRunError);
      assert.match(
        error.message,
        /^cannot reach the database postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres: /,
      );
      assert.doesNotMatch(error.message, /wrong-password/);
      return true;
    });
  });

  it('the migration is one transaction on PostgreSQL: the kysely tables and ours are all there', async () => {
    const url = await postgres.database();
    const open = await openDatabase({ kind: 'postgres', url });
    const { rows } = await sql<{ name: string }>`select name from trailcheck_migration order by name`.execute(
      open.db,
    );
    assert.deepEqual(
      rows.map((r) => r.name),
      ['0001-initial', '0002-organization-runs'],
    );
    await open.db.destroy();
  });
});
