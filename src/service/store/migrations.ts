/**
 * The schema, as migrations in order. A migration, once released, is never edited: a new one is added.
 * Column types differ only for bytes (SQLite's blob, PostgreSQL's bytea); everything else is text or
 * integer in both.
 */
import type { Kysely } from 'kysely';
import { SqliteAdapter } from 'kysely';

interface NamedMigration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/**
 * Asked of the dialect, not by a probing query: on PostgreSQL a failed probe would abort the migration's
 * transaction (every later statement refused), so the store could never be created there.
 */
function bytesType(db: Kysely<unknown>): Promise<'blob' | 'bytea'> {
  return Promise.resolve(db.getExecutor().adapter instanceof SqliteAdapter ? 'blob' : 'bytea');
}

export const MIGRATIONS: NamedMigration[] = [
  {
    name: '0001-initial',
    async up(db) {
      const bytes = await bytesType(db);
      await db.schema
        .createTable('trailcheck_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('token_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('cron', 'text')
        .addColumn('interval_seconds', 'integer')
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_run_at', 'text')
        .execute();
      await db.schema
        .createTable('scans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('schedule_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('duration_ms', 'bigint')
        .addColumn('integer_result', 'integer')
        .addColumn('pretty_result', 'text')
        .addColumn('summary', 'text')
        .addColumn('error', 'text')
        .addColumn('subject', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('scans_by_time').on('scans').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('scans_by_status').on('scans').columns(['status', 'created_at']).execute();
      await db.schema
        .createTable('scan_results')
        .addColumn('scan_id', 'text', (c) => c.primaryKey())
        .addColumn('report', bytes, (c) => c.notNull())
        .addColumn('snapshot', bytes, (c) => c.notNull())
        .addColumn('suppressions', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('scan_controls')
        .addColumn('scan_id', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('control', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('pass', 'integer', (c) => c.notNull())
        .addColumn('fail', 'integer', (c) => c.notNull())
        .addColumn('unknown', 'integer', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('scan_controls_pk', ['scan_id', 'account', 'control'])
        .execute();
      await db.schema
        .createIndex('scan_controls_by_control')
        .on('scan_controls')
        .columns(['control', 'finished_at'])
        .execute();
      await db.schema
        .createIndex('scan_controls_by_account')
        .on('scan_controls')
        .columns(['account', 'finished_at'])
        .execute();
      await db.schema
        .createTable('suppressions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('control', 'text', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('region', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('expires', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scan_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('deliveries', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('account_jobs')
        .addColumn('scan_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('entry', bytes)
        .addPrimaryKeyConstraint('account_jobs_pk', ['scan_id', 'account_id'])
        .execute();
    },
  },
  {
    // An organization scan run as one job per account (PostgreSQL with pg-boss) keeps its listing here.
    name: '0002-organization-runs',
    async up(db) {
      await db.schema
        .createTable('organization_runs')
        .addColumn('scan_id', 'text', (c) => c.primaryKey())
        .addColumn('header', 'text', (c) => c.notNull())
        .addColumn('members', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
