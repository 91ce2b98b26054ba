import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { sql } from "kysely";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
import { openStore } from "./open_store.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-store-open-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function pragma(path: string, name: string): unknown {
  const database = new DatabaseSync(path);
  try {
    return Object.values(database.prepare(`pragma ${name}`).get() as object)[0];
  } finally {
    database.close();
  }
}

Deno.test("openStore: creates parent directories, WAL, foreign keys, every table at the latest version", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "a", "b", "results.sqlite");
    const store = await openStore(path);
    assert.equal(store.path, path);
    assert.equal(store.schemaVersion, SCHEMA_VERSION);
    const tables = (await store.db.introspection.getTables()).map((t) => t.name).sort();
    assert.deepEqual(tables, [
      "artefacts",
      "bench_results",
      "calibration",
      "cells",
      "claims",
      "comparisons",
      "curves",
      "latency",
      "metrics",
      "per_query",
      "regress_checks",
      "runs",
      "sizes",
      "timings",
    ]);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
    assert.equal(fk.rows[0]?.foreign_keys, 1);
    await store.close();
    await store.close();
    assert.equal(pragma(path, "journal_mode"), "wal");
    assert.equal(pragma(path, "user_version"), SCHEMA_VERSION);
    // Reopening an up-to-date store changes nothing.
    const again = await openStore(path);
    assert.equal(again.schemaVersion, SCHEMA_VERSION);
    await again.close();
  });
});

Deno.test("openStore: a store of an older schema is upgraded in place, its rows kept", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "old.sqlite");
    const old = await openStore(path, { migrations: MIGRATIONS.slice(0, 1) });
    assert.equal(old.schemaVersion, 1);
    const { id: runId } = await old.db.insertInto("runs").values({
      kind: "reproduce",
      experiment: "table2",
      preset: "tiny",
      run_key: "old-key",
      code_commit: null,
      code_dirty: 0,
      config: "{}",
      dataset_checksums: "{}",
      model_hashes: "{}",
      backend: "cpu",
      threads: 1,
      blas: null,
      machine: "{}",
      seeds: "[1]",
      started_at: "2026-01-01T00:00:00Z",
      finished_at: null,
      status: "ok",
      paper_values: "{}",
    }).returning("id").executeTakeFirstOrThrow();
    const { id: cellId } = await old.db.insertInto("cells").values({
      run_id: runId,
      cell_id: "teacher/full/-",
      method: "teacher",
      size: "full",
      mode: "-",
      seed: null,
      status: "ok",
      error: null,
      chosen: "{}",
      provenance: "{}",
      finished_at: "2026-01-01T00:00:01Z",
    }).returning("id").executeTakeFirstOrThrow();
    await old.db.insertInto("metrics").values({
      cell_id: cellId,
      measure: "nDCG@10",
      value: 0.5,
      queries: 2,
    }).execute();
    await old.db.insertInto("per_query").values([
      { cell_id: cellId, measure: "nDCG@10", query_id: "q1", value: 0.25 },
      { cell_id: cellId, measure: "nDCG@10", query_id: "q2", value: 0.75 },
    ]).execute();
    await old.close();
    assert.equal(pragma(path, "user_version"), 1);

    const store = await openStore(path);
    assert.equal(store.schemaVersion, SCHEMA_VERSION);
    assert.equal(pragma(path, "user_version"), SCHEMA_VERSION);
    const metric = (await store.db.selectFrom("metrics").selectAll().execute()).map((r) => ({
      ...r,
    }));
    assert.deepEqual(metric, [{ cell_id: cellId, measure: "nDCG@10", value: 0.5, queries: 2 }]);
    const perQuery = (await store.db.selectFrom("per_query").select(["query_id", "value"])
      .orderBy("query_id").execute()).map((r) => ({ ...r }));
    assert.deepEqual(perQuery, [{ query_id: "q1", value: 0.25 }, { query_id: "q2", value: 0.75 }]);
    // The new tables work on the upgraded file.
    await store.db.insertInto("timings").values({
      cell_id: cellId,
      phase: "train",
      seconds: 1,
      throughput: null,
    }).execute();
    await store.db.insertInto("calibration").values({
      run_id: runId,
      position: 0,
      statement: "teacher >= BM25",
      verdict: "holds",
      evidence: "",
    }).execute();
    await store.close();
  });
});

Deno.test("openStore: a newer schema is refused before migrating, naming the file; the file is untouched", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "new.sqlite");
    await (await openStore(path)).close();
    const database = new DatabaseSync(path);
    database.exec(`pragma user_version = ${SCHEMA_VERSION + 1}`);
    database.close();
    const before = await Deno.readFile(path);
    await assert.rejects(
      openStore(path),
      (error: Error) => {
        assert.match(error.message, new RegExp(`Cannot open results store "${path}"`));
        assert.match(
          error.message,
          new RegExp(
            `schema version is ${SCHEMA_VERSION + 1}, newer than this code's ${SCHEMA_VERSION}`,
          ),
        );
        return true;
      },
    );
    assert.deepEqual(await Deno.readFile(path), before);

    // A migration this code does not know, recorded in kysely's table, is refused the same way.
    const other = join(dir, "unknown.sqlite");
    await (await openStore(other)).close();
    const db2 = new DatabaseSync(other);
    db2.exec("insert into kysely_migration (name, timestamp) values ('0003_future', 'x')");
    db2.close();
    await assert.rejects(openStore(other), /migrations this code does not know \(0003_future\)/);
  });
});

Deno.test("openStore: a file that is not SQLite (or another program's database) is refused with what was found; nothing is written", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "notes.sqlite");
    const text = "these are my notes, not a database\n".repeat(10);
    await Deno.writeTextFile(path, text);
    await assert.rejects(
      openStore(path),
      new RegExp(
        `Cannot open results store "${path}": it is not an SQLite database \\(found 350 bytes ` +
          `starting with "these are my not"\\)`,
      ),
    );
    assert.equal(await Deno.readTextFile(path), text);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["notes.sqlite"]);
    // An SQLite database of another program is not taken over.
    const other = join(dir, "other.sqlite");
    const database = new DatabaseSync(other);
    database.exec("create table photos (id integer primary key, path text)");
    database.close();
    const otherBytes = await Deno.readFile(other);
    await assert.rejects(
      openStore(other),
      new RegExp(
        `Cannot open results store "${other}": it is an SQLite database of something else ` +
          `\\(schema version 0, tables photos, no store migrations\\)`,
      ),
    );
    assert.deepEqual(await Deno.readFile(other), otherBytes);
    // A directory where the file should be.
    await Deno.mkdir(join(dir, "d.sqlite"));
    await assert.rejects(openStore(join(dir, "d.sqlite")), /d\.sqlite": it is not a file/);
  });
});

/** Make `path` read-only: chmod, and as root (where chmod does not stop writes) chattr +i. */
async function makeReadOnly(path: string, mode: number): Promise<(() => Promise<void>) | null> {
  await Deno.chmod(path, mode);
  const restore = async () => {
    await Deno.chmod(path, 0o755);
  };
  if (Deno.uid() !== 0) return restore;
  try {
    const out = await new Deno.Command("chattr", { args: ["+i", path], stderr: "null" }).output();
    if (!out.success) return null;
  } catch {
    return null;
  }
  return async () => {
    await new Deno.Command("chattr", { args: ["-i", path] }).output();
    await restore();
  };
}

Deno.test("openStore: a read-only file or directory is refused naming it; the stored rows stay", async () => {
  await withDir(async (dir) => {
    const sub = join(dir, "ro");
    const path = join(sub, "results.sqlite");
    const store = await openStore(path);
    await store.db.insertInto("runs").values({
      kind: "bench",
      experiment: "e",
      preset: "p",
      run_key: "k",
      code_commit: null,
      code_dirty: 0,
      config: "{}",
      dataset_checksums: "{}",
      model_hashes: "{}",
      backend: "cpu",
      threads: 1,
      blas: null,
      machine: "{}",
      seeds: "[]",
      started_at: "x",
      finished_at: null,
      status: "ok",
      paper_values: "{}",
    }).execute();
    await store.close();
    const before = await Deno.readFile(path);

    const restoreFile = await makeReadOnly(path, 0o444);
    if (restoreFile === null) {
      // deno-lint-ignore no-console
      console.warn("read-only test skipped: running as root without chattr");
      return;
    }
    try {
      await assert.rejects(
        openStore(path),
        new RegExp(`Cannot open results store "${path}": the file is not writable`),
      );
    } finally {
      await restoreFile();
    }
    const restoreDir = await makeReadOnly(sub, 0o555);
    try {
      await assert.rejects(
        openStore(path),
        new RegExp(`Cannot open results store "${path}": its directory "${sub}" is not writable`),
      );
      await assert.rejects(
        openStore(join(sub, "other.sqlite")),
        /other\.sqlite": its directory .* is not writable/,
      );
    } finally {
      await restoreDir?.();
    }
    assert.deepEqual(await Deno.readFile(path), before);
    const reopened = await openStore(path);
    assert.equal((await reopened.db.selectFrom("runs").selectAll().execute()).length, 1);
    await reopened.close();
  });
});
