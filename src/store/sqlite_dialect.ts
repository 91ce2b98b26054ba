/**
 * kysely's SqliteDialect over Deno's built-in `node:sqlite` `DatabaseSync`: a statement adapter
 * (reader = the statement has result columns; parameters spread; booleans as 0/1), write
 * transactions that BEGIN IMMEDIATE (so a second writer waits on busy_timeout instead of failing
 * at its first write), one connection at a time within a process, and transactional migrations.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  type SqliteStatement,
} from "kysely";

/** Prepared statements kept per database (same SQL text = same statement). */
const STATEMENT_CACHE_SIZE = 64;

function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as SQLInputValue;
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  const spread = (parameters: ReadonlyArray<unknown>): SQLInputValue[] => parameters.map(toSqlite);
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...spread(parameters)),
    run: (parameters) => statement.run(...spread(parameters)),
    iterate: (parameters) => statement.iterate(...spread(parameters)),
  };
}

/**
 * `database` in the shape kysely's SqliteDialect expects (better-sqlite3's): `prepare(sql)` returns
 * a statement with `reader` and `all/run/iterate` taking one parameter array.
 */
export function adaptDatabaseSync(database: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached !== undefined) return cached;
      const statement = adaptStatement(database.prepare(sql));
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      cache.set(sql, statement);
      return statement;
    },
  };
}

/** SqliteDriver whose transactions BEGIN IMMEDIATE and whose one connection is held exclusively. */
class ImmediateSqliteDriver extends SqliteDriver {
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;

  override async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return await super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
    await Promise.resolve();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/** SQLite runs DDL inside transactions, so migrations (and their version bump) are atomic. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** The dialect of the results store over `database` (which the dialect closes on destroy). */
export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;

  /** A dialect over `database` (see {@link adaptDatabaseSync}). */
  constructor(database: DatabaseSync) {
    const adapted = adaptDatabaseSync(database);
    super({ database: adapted });
    this.#database = adapted;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}
