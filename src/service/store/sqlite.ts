/**
 * The embedded store: SQLite through Node's built-in `node:sqlite` (nothing to install or compile), in
 * write-ahead-log mode with full syncs, so a SIGKILL at any moment loses no committed transaction and
 * shows no half-written one. Kysely's SqliteDialect takes any database with better-sqlite3's shape;
 * `NodeSqliteDatabase` gives node:sqlite that shape.
 */
import { createRequire } from 'node:module';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

type SqliteValue = null | number | bigint | string | Uint8Array;
interface NodeStatement {
  all(...params: SqliteValue[]): unknown[];
  run(...params: SqliteValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: SqliteValue[]): IterableIterator<unknown>;
  columns?(): unknown[];
}
interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
}
type NodeSqliteModule = { DatabaseSync: new (path: string) => NodeDatabase };

/**
 * node:sqlite is loaded on first use, with Node 22's "experimental" warning silenced (Node 24 no longer
 * prints it): only `serve` needs the module, and the warning would fill every service log.
 */
function nodeSqlite(): NodeSqliteModule {
  const original = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  const filtered = (warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (!/SQLite/i.test(text)) emit(warning, ...rest);
  };
  Object.defineProperty(process, 'emitWarning', { value: filtered, configurable: true, writable: true });
  try {
    return createRequire(import.meta.url)('node:sqlite') as NodeSqliteModule;
  } finally {
    if (original) Object.defineProperty(process, 'emitWarning', original);
  }
}

function toSqlite(value: unknown): SqliteValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`cannot store a ${typeof value} in SQLite`);
}

/** Statements that return rows: a SELECT, a WITH, a PRAGMA or anything with RETURNING. */
const READER = /^\s*(select|with|pragma|values)\b|\breturning\b/i;

class Statement implements SqliteStatement {
  readonly reader: boolean;
  constructor(
    private readonly statement: NodeStatement,
    sql: string,
  ) {
    this.reader = statement.columns ? statement.columns().length > 0 : READER.test(sql);
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.statement.all(...parameters.map(toSqlite));
  }
  run(parameters: ReadonlyArray<unknown>) {
    return this.statement.run(...parameters.map(toSqlite));
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.statement.iterate(...parameters.map(toSqlite));
  }
}

export class NodeSqliteDatabase implements SqliteDatabase {
  private readonly db: NodeDatabase;
  constructor(path: string) {
    const { DatabaseSync } = nodeSqlite();
    this.db = new DatabaseSync(path);
    // WAL with FULL sync: every committed transaction is on disk before COMMIT returns.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    this.db.exec('PRAGMA foreign_keys = ON;');
  }
  prepare(sql: string): SqliteStatement {
    return new Statement(this.db.prepare(sql), sql);
  }
  close(): void {
    this.db.close();
  }
}
