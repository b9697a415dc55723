/**
 * Opens the service's store and brings its schema up to date: the embedded SQLite file in a data
 * directory, or a PostgreSQL database. Both speak through Kysely, so every query is written once. A
 * store written by a newer trailcheck, or a file that is not a trailcheck store, is refused with one
 * line and never touched.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Migration, MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import { CannotRunError, UsageError } from '../../util/errors.js';
import { NodeSqliteDatabase } from './sqlite.js';
import type { Database } from './schema.js';
import { MIGRATIONS } from './migrations.js';

export type StoreLocation = { kind: 'embedded'; dir: string } | { kind: 'postgres'; url: string };

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: StoreLocation['kind'];
  /** Where it is, for messages (a PostgreSQL URL without its password). */
  label: string;
}

export const STORE_FILE = 'trailcheck.db';
const MIGRATION_TABLE = 'trailcheck_migration';
const MIGRATION_LOCK_TABLE = 'trailcheck_migration_lock';

/** postgres://user:secret@host/db → postgres://user@host/db: messages never show a password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/:@/, '@');
  } catch {
    return '(an unreadable database URL)';
  }
}

export function parseDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `--database takes a PostgreSQL URL like postgres://user:password@host:5432/trailcheck (got '${url}').`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new UsageError(
      `--database takes a postgres:// URL (got a ${parsed.protocol.replace(/:$/, '')} URL); without it the service keeps its data in --data DIR.`,
    );
  return url;
}

class InlineMigrations implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(Object.fromEntries(MIGRATIONS.map((m) => [m.name, m])));
  }
}

function cause(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function migrate(db: Kysely<Database>, label: string): Promise<void> {
  // Refuse a store from a newer trailcheck before Kysely's migrator sees it: its own message would be about
  // "corrupted migrations", and nothing may be written to a store this version does not understand.
  let applied: string[] = [];
  try {
    const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    applied = rows.rows.map((r) => r.name);
  } catch {
    // No migration table yet: a new store, or one that is not trailcheck's (checked below).
  }
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new CannotRunError(
      `${label} was written by a newer trailcheck (schema ${unknown.sort().at(-1)}); upgrade trailcheck, or point the service at another store. Nothing was changed.`,
    );
  if (applied.length === 0) {
    const tables = await db.introspection.getTables();
    const foreign = tables.filter((t) => !t.name.startsWith('trailcheck_migration'));
    if (foreign.length > 0)
      throw new CannotRunError(
        `${label} holds tables that are not trailcheck's (${foreign
          .slice(0, 3)
          .map((t) => t.name)
          .join(', ')}); give the service an empty database or data directory. Nothing was changed.`,
      );
  }
  const migrator = new Migrator({
    db,
    provider: new InlineMigrations(),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new CannotRunError(`could not bring ${label} up to date: ${cause(error)}.`);
}

async function openEmbedded(dir: string): Promise<OpenDatabase> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot use ${dir} as the data directory: ${cause(error)}.`);
  }
  const file = join(dir, STORE_FILE);
  const label = `the data directory ${dir}`;
  let database: NodeSqliteDatabase;
  try {
    database = new NodeSqliteDatabase(file);
  } catch (error) {
    throw new CannotRunError(
      `${file} is not a usable trailcheck store (${cause(error)}); move it aside or choose another --data. Nothing was changed.`,
    );
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  try {
    await migrate(db, label);
  } catch (error) {
    await db.destroy();
    if (error instanceof CannotRunError) throw error;
    throw new CannotRunError(
      `${file} is not a usable trailcheck store (${cause(error)}); move it aside or choose another --data. Nothing was changed.`,
    );
  }
  return { db, kind: 'embedded', label };
}

async function openPostgres(url: string): Promise<OpenDatabase> {
  const label = `the database ${redactUrl(url)}`;
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle client's error (the server restarted) must not end the process: the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new CannotRunError(`cannot reach ${label}: ${cause(error)}.`);
  }
  try {
    await migrate(db, label);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, kind: 'postgres', label };
}

export async function openDatabase(location: StoreLocation): Promise<OpenDatabase> {
  return location.kind === 'embedded' ? openEmbedded(location.dir) : openPostgres(location.url);
}
