import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type Generated, Kysely, sql } from "kysely";
import { adaptDatabaseSync, NodeSqliteDialect } from "./sqlite_dialect.ts";

async function withDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-store-dialect-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

interface T {
  t: { id: Generated<number>; name: string; flag: number };
}

Deno.test("adaptDatabaseSync: reader iff result columns, parameters spread, booleans as 0/1", async () => {
  await withDir((dir) => {
    const database = new DatabaseSync(join(dir, "a.sqlite"));
    const adapted = adaptDatabaseSync(database);
    adapted.prepare("create table t (id integer primary key, name text, flag integer)").run([]);
    const insert = adapted.prepare("insert into t (name, flag) values (?, ?)");
    assert.equal(insert.reader, false);
    const result = insert.run(["a", true]);
    assert.equal(Number(result.changes), 1);
    assert.equal(Number(result.lastInsertRowid), 1);
    assert.equal(
      adapted.prepare("insert into t (name, flag) values (?, ?) returning id").reader,
      true,
    );
    const select = adapted.prepare("select name, flag from t where id = ? and name = ?");
    assert.equal(select.reader, true);
    assert.deepEqual(select.all([1, "a"]).map((r) => ({ ...(r as object) })), [{
      name: "a",
      flag: 1,
    }]);
    assert.deepEqual([...select.iterate([1, "a"])].length, 1);
    adapted.close();
  });
});

Deno.test("NodeSqliteDialect: kysely queries, RETURNING and transactions on a real file", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "k.sqlite");
    const db = new Kysely<T>({ dialect: new NodeSqliteDialect(new DatabaseSync(path)) });
    await db.schema.createTable("t").addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("name", "text").addColumn("flag", "integer").execute();
    const { id } = await db.insertInto("t").values({ name: "x", flag: 0 }).returning("id")
      .executeTakeFirstOrThrow();
    assert.equal(id, 1);
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ name: "rolled back", flag: 1 }).execute();
        throw new Error("abort");
      }),
      /abort/,
    );
    // Two transactions started at once in one process run one after the other (one connection).
    await Promise.all([0, 1, 2].map((i) =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ name: `p${i}`, flag: i }).execute();
        await new Promise((r) => setTimeout(r, 5));
        await trx.insertInto("t").values({ name: `q${i}`, flag: i }).execute();
      })
    ));
    const names = (await db.selectFrom("t").select("name").orderBy("id").execute()).map((r) =>
      r.name
    );
    assert.deepEqual(names, ["x", "p0", "q0", "p1", "q1", "p2", "q2"]);
    await db.destroy();
    const reopened = new DatabaseSync(path);
    assert.equal((reopened.prepare("select count(*) n from t").get() as { n: number }).n, 7);
    reopened.close();
  });
});

Deno.test("NodeSqliteDialect: a write transaction takes the write lock at BEGIN (IMMEDIATE)", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "lock.sqlite");
    const db = new Kysely<T>({ dialect: new NodeSqliteDialect(new DatabaseSync(path)) });
    await sql`pragma journal_mode = wal`.execute(db);
    await db.schema.createTable("t").addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("name", "text").addColumn("flag", "integer").execute();
    const other = new DatabaseSync(path, { timeout: 50 });
    await db.transaction().execute(async (trx) => {
      // Only a read so far: a deferred BEGIN would hold no write lock yet.
      await trx.selectFrom("t").selectAll().execute();
      assert.throws(() => other.exec("begin immediate"), /database is locked/);
    });
    other.exec("begin immediate");
    other.exec("rollback");
    other.close();
    await db.destroy();
  });
});
