/**
 * Opening the results store: one SQLite file (parent directories created) in WAL mode with foreign
 * keys and a busy timeout, its schema checked before anything is written (not SQLite, read-only, or
 * newer than this code: a clear error naming the file, the file untouched) and brought up to date
 * by kysely's Migrator.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { migrationProvider, MIGRATIONS, type NumberedMigration } from "./migrations.ts";
import type { StoreSchema } from "./schema.ts";
import { NodeSqliteDialect } from "./sqlite_dialect.ts";

/** The default store: `results/results.sqlite` under the repository root (git-ignored). */
export const DEFAULT_STORE_PATH: string = fileURLToPath(
  new URL("../../results/results.sqlite", import.meta.url),
);

/** How long a writer waits for another process's write transaction before failing, ms. */
export const BUSY_TIMEOUT_MS = 60_000;

/** The first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = "SQLite format 3\0";

/** An open results store. */
export interface Store {
  /** The database file (absolute). */
  readonly path: string;
  /** Typed queries over the store's tables. */
  readonly db: Kysely<StoreSchema>;
  /** The schema version of the file (`PRAGMA user_version`). */
  readonly schemaVersion: number;
  /** Close the database (idempotent). */
  close(): Promise<void>;
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** The migrations to apply (tests pass a prefix to build an older schema). Default: all. */
  readonly migrations?: readonly NumberedMigration[];
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fail(path: string, what: string): Error {
  return new Error(`Cannot open results store "${path}": ${what}`);
}

async function checkFile(path: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw fail(path, reason(error));
  }
  if (!info.isFile) throw fail(path, "it is not a file");
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true, write: true });
  } catch (error) {
    throw fail(path, `the file is not writable (${reason(error)})`);
  }
  try {
    if (info.size === 0) return;
    const head = new Uint8Array(16);
    const n = (await file.read(head)) ?? 0;
    const text = new TextDecoder("latin1").decode(head.subarray(0, n));
    if (text !== SQLITE_HEADER) {
      throw fail(
        path,
        `it is not an SQLite database (found ${info.size} bytes starting with ${
          JSON.stringify(text.replace(/[^\x20-\x7e]/g, "."))
        })`,
      );
    }
  } finally {
    file.close();
  }
}

async function checkDirectory(path: string): Promise<void> {
  const dir = dirname(path);
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (error) {
    throw fail(path, `cannot create its directory "${dir}" (${reason(error)})`);
  }
  let probe: string;
  try {
    probe = await Deno.makeTempFile({ dir, prefix: ".store-probe-" });
  } catch (error) {
    throw fail(
      path,
      `its directory "${dir}" is not writable; SQLite keeps its -wal and -shm files beside the ` +
        `database (${reason(error)})`,
    );
  }
  await Deno.remove(probe);
}

function userVersion(database: DatabaseSync): number {
  const row = database.prepare("pragma user_version").get() as { user_version: number };
  return row.user_version;
}

/** Tables of a database that is not a store: any table when kysely's migration table is absent. */
function foreignTables(database: DatabaseSync): string[] {
  const rows = database.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  ).all() as { name: string }[];
  const names = rows.map((r) => r.name);
  return names.includes("kysely_migration") ? [] : names.slice(0, 5);
}

/** Migration names recorded in the file that this code does not know (a newer schema). */
function unknownMigrations(
  database: DatabaseSync,
  known: readonly NumberedMigration[],
): string[] {
  const table = database.prepare(
    "select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'",
  ).get();
  if (table === undefined) return [];
  const names = new Set(known.map((m) => m.name));
  const rows = database.prepare("select name from kysely_migration order by name").all() as {
    name: string;
  }[];
  return rows.map((r) => r.name).filter((name) => !names.has(name));
}

/**
 * Open (or create) the results store at `path`: parent directories created, WAL journal, foreign
 * keys on, busy timeout {@link BUSY_TIMEOUT_MS}, schema migrated to the latest version. A file
 * that is not SQLite, is read-only, sits in a read-only directory, or has a newer schema than this
 * code is refused with an error naming it, and left as it was.
 *
 * @example
 * ```ts
 * const store = await openStore("results/results.sqlite");
 * try {
 *   console.log(await listRuns(store));
 * } finally {
 *   await store.close();
 * }
 * ```
 */
export async function openStore(path: string, options: OpenStoreOptions = {}): Promise<Store> {
  const file = resolve(path);
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  await checkDirectory(file);
  await checkFile(file);
  let database: DatabaseSync;
  try {
    database = new DatabaseSync(file, {
      timeout: BUSY_TIMEOUT_MS,
      enableForeignKeyConstraints: true,
    });
  } catch (error) {
    throw fail(file, reason(error));
  }
  let version: number;
  try {
    version = userVersion(database);
    const foreign = foreignTables(database);
    if (foreign.length > 0) {
      throw fail(
        file,
        `it is an SQLite database of something else (schema version ${version}, tables ${
          foreign.join(", ")
        }, no store migrations)`,
      );
    }
    const unknown = unknownMigrations(database, migrations);
    if (version > latest || unknown.length > 0) {
      throw fail(
        file,
        `its schema version is ${version}` +
          (unknown.length > 0
            ? ` with migrations this code does not know (${unknown.join(", ")})`
            : "") +
          `, newer than this code's ${latest}; use a newer embeddistill or another --db`,
      );
    }
    // Only now, the file being a store this code can use, anything is written to it.
    const mode = database.prepare("pragma journal_mode = wal").get() as { journal_mode: string };
    if (mode.journal_mode !== "wal") {
      throw fail(file, `cannot switch it to WAL mode (journal mode stays "${mode.journal_mode}")`);
    }
  } catch (error) {
    database.close();
    throw error instanceof Error && error.message.startsWith("Cannot open results store")
      ? error
      : fail(file, reason(error));
  }
  const db = new Kysely<StoreSchema>({ dialect: new NodeSqliteDialect(database) });
  if (version < latest) {
    const migrator = new Migrator({ db, provider: migrationProvider(migrations) });
    const { error } = await migrator.migrateToLatest();
    if (error !== undefined) {
      await db.destroy();
      throw fail(file, `cannot upgrade its schema from version ${version}: ${reason(error)}`);
    }
    version = userVersion(database);
  }
  let closed = false;
  return {
    path: file,
    db,
    schemaVersion: version,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
