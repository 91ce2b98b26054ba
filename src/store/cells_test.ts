import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { childLines, killWhenWalGrows, sampleCell, sampleRun } from "../testing/mod.ts";
import { cellIdOf, finishedCellIds, isCellFinished, writeCell } from "./cells.ts";
import { openStore } from "./open_store.ts";
import { readPerQuery, readRun } from "./read_run.ts";
import { beginRun } from "./runs.ts";

const FIXTURE = fileURLToPath(new URL("../testing/store_fixture.ts", import.meta.url));

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-store-cells-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function count(database: DatabaseSync, sql: string): number {
  return (database.prepare(sql).get() as { n: number }).n;
}

Deno.test("cellIdOf: method/size/mode[/seed]; a part with a slash is refused", () => {
  assert.equal(cellIdOf({ method: "teacher", size: "full", mode: "-" }), "teacher/full/-");
  assert.equal(
    cellIdOf({ method: "embeddistill", size: "1-10", mode: "asymmetric", seed: 2 }),
    "embeddistill/1-10/asymmetric/2",
  );
  assert.throws(() => cellIdOf({ method: "a/b", size: "1", mode: "m" }), /"a\/b" is empty or/);
});

Deno.test("writeCell: a CellRecord-shaped cell reads back whole (metrics, per-query, latency, sizes, timings, curves, artefacts)", async () => {
  await withDir(async (dir) => {
    const store = await openStore(join(dir, "r.sqlite"));
    const runId = await beginRun(store, sampleRun("key-1"));
    const cell = sampleCell("embeddistill", 1, 5, { throughput: { encode: 200 } });
    const rowId = await writeCell(store, runId, cell);
    const stored = await readRun(store, runId);
    assert.ok(stored !== null);
    assert.equal(stored.cells.length, 1);
    const c = stored.cells[0]!;
    assert.equal(c.cellId, "embeddistill/1-10/asymmetric/1");
    assert.equal(c.seed, 1);
    assert.deepEqual(c.metrics, cell.metrics);
    assert.deepEqual(c.queries, { "RR@10": 5, "nDCG@10": 5 });
    assert.deepEqual(c.latency, cell.latency);
    assert.deepEqual(c.sizes, cell.sizes);
    assert.deepEqual(c.timings, cell.timings);
    assert.deepEqual(c.chosen, cell.chosen);
    assert.deepEqual(c.provenance, cell.provenance);
    const perQuery = [];
    for await (const v of readPerQuery(store, runId)) perQuery.push(v);
    assert.equal(perQuery.length, 10);
    assert.deepEqual(perQuery[0], {
      cellId: "embeddistill/1-10/asymmetric/1",
      measure: "RR@10",
      queryId: "q0",
      value: cell.perQuery["RR@10"]!["q0"],
    });
    const curves = await store.db.selectFrom("curves").select(["name", "step", "value"])
      .where("cell_id", "=", rowId).orderBy("name").orderBy("step").execute();
    assert.deepEqual(curves.map((r) => ({ ...r })), [
      { name: "dev nDCG@10", step: 10, value: 0.3 },
      { name: "loss", step: 0, value: 1 },
      { name: "loss", step: 10, value: 0.5 },
    ]);
    const timings = await store.db.selectFrom("timings").select(["phase", "throughput"])
      .orderBy("phase").execute();
    assert.deepEqual(timings.map((r) => ({ ...r })), [
      { phase: "encode", throughput: 200 },
      { phase: "train", throughput: null },
    ]);
    const artefacts = await store.db.selectFrom("artefacts").select(["kind", "path"]).execute();
    assert.deepEqual(artefacts.map((r) => ({ ...r })), [{ kind: "trec-run", path: "run.trec" }]);
    await store.close();
  });
});

Deno.test("writeCell: a failed cell is redone in place; finished lookup by (run key, cell id) sees only ok cells", async () => {
  await withDir(async (dir) => {
    const store = await openStore(join(dir, "r.sqlite"));
    const runId = await beginRun(store, sampleRun("key-2"));
    await writeCell(store, runId, sampleCell("a", 1, 3));
    await writeCell(
      store,
      runId,
      sampleCell("b", 1, 0, {
        status: "failed",
        error: "out of memory",
        metrics: {},
        perQuery: {},
        latency: null,
        sizes: null,
      }),
    );
    assert.deepEqual([...await finishedCellIds(store, "key-2")], ["a/1-10/asymmetric/1"]);
    assert.equal(await isCellFinished(store, "key-2", "a/1-10/asymmetric/1"), true);
    assert.equal(await isCellFinished(store, "key-2", "b/1-10/asymmetric/1"), false);
    assert.equal(await isCellFinished(store, "other-key", "a/1-10/asymmetric/1"), false);
    // The restarted run (same key) redoes b: the failed row is replaced, not duplicated.
    assert.equal(await beginRun(store, sampleRun("key-2")), runId);
    await writeCell(store, runId, sampleCell("b", 1, 3));
    assert.deepEqual([...await finishedCellIds(store, "key-2")].sort(), [
      "a/1-10/asymmetric/1",
      "b/1-10/asymmetric/1",
    ]);
    const cells = await store.db.selectFrom("cells").select(["cell_id", "status", "error"])
      .orderBy("cell_id").execute();
    assert.deepEqual(cells.map((r) => ({ ...r })), [
      { cell_id: "a/1-10/asymmetric/1", status: "ok", error: null },
      { cell_id: "b/1-10/asymmetric/1", status: "ok", error: null },
    ]);
    const perQuery = await store.db.selectFrom("per_query").select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(perQuery.n), 12);
    await store.close();
  });
});

Deno.test("writeCell: a NaN or infinite value is refused naming cell and measure, and nothing of the cell is written", async () => {
  await withDir(async (dir) => {
    const store = await openStore(join(dir, "r.sqlite"));
    const runId = await beginRun(store, sampleRun("key-3"));
    const cell = sampleCell("a", 1, 2);
    await assert.rejects(
      writeCell(store, runId, {
        ...cell,
        perQuery: { ...cell.perQuery, "nDCG@10": { q0: 0.5, q1: NaN } },
      }),
      /Cannot write cell "a\/1-10\/asymmetric\/1" of run \d+ to ".*": "nDCG@10" of query "q1" is NaN, not a finite number/,
    );
    await assert.rejects(
      writeCell(store, runId, { ...cell, metrics: { "nDCG@10": Infinity } }),
      /metric "nDCG@10" is Infinity, not a finite number/,
    );
    assert.equal((await store.db.selectFrom("cells").selectAll().execute()).length, 0);
    // A failure inside the transaction (unknown run: foreign key) rolls the whole cell back.
    await assert.rejects(writeCell(store, 999, cell), /FOREIGN KEY constraint failed/);
    assert.equal((await store.db.selectFrom("cells").selectAll().execute()).length, 0);
    assert.equal((await store.db.selectFrom("per_query").selectAll().execute()).length, 0);
    await store.close();
  });
});

function spawnWriter(db: string, key: string, cells: number, queries: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-check", "-A", FIXTURE, db, key, String(cells), queries],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("writeCell: SIGKILL during a large per-query write leaves an intact file and no half cell; the restart redoes exactly the unfinished cells", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "kill.sqlite");
    // Cell 2 has 2 x 200k per-query rows: its transaction takes seconds.
    const queries = 20;
    const child = spawnWriter(db, "kill-key", 5, `${queries},${queries},200000`);
    const done: number[] = [];
    let killedDuring = -1;
    let walBefore = 0;
    for await (const line of childLines(child)) {
      const [what, n] = line.split(" ");
      if (what === "done") done.push(Number(n));
      if (what === "done" && Number(n) === 1) walBefore = (await Deno.stat(`${db}-wal`)).size;
      if (what === "begin" && Number(n) === 2) {
        killedDuring = Number(n);
        break;
      }
    }
    // Kill once the transaction of cell 2 has spilled pages into the WAL: it is mid-write.
    const { walAtKill, status } = await killWhenWalGrows(child, db, walBefore);
    assert.equal(status.signal, "SIGKILL");
    assert.deepEqual(done, [0, 1]);
    assert.equal(killedDuring, 2);
    assert.ok(walAtKill > walBefore + 1_000_000, `WAL ${walBefore} -> ${walAtKill} bytes`);

    const database = new DatabaseSync(db);
    assert.deepEqual(
      { ...(database.prepare("pragma integrity_check").get() as object) },
      { integrity_check: "ok" },
    );
    // Cells 0 and 1 whole, cell 2 absent (not half there).
    assert.equal(count(database, "select count(*) n from cells"), 2);
    const perCell = database.prepare(
      "select c.cell_id, count(p.query_id) n from cells c left join per_query p on p.cell_id = c.id group by c.id order by c.cell_id",
    ).all().map((r) => ({ ...r }));
    assert.deepEqual(perCell, [
      { cell_id: "m0/1-10/asymmetric/1", n: 2 * queries },
      { cell_id: "m1/1-10/asymmetric/1", n: 2 * queries },
    ]);
    assert.equal(
      count(
        database,
        "select count(*) n from per_query where cell_id not in (select id from cells)",
      ),
      0,
    );
    assert.equal(count(database, "select count(*) n from metrics"), 4);
    database.close();

    const store = await openStore(db);
    const finished = await finishedCellIds(store, "kill-key");
    assert.deepEqual([...finished].sort(), ["m0/1-10/asymmetric/1", "m1/1-10/asymmetric/1"]);
    const todo = [0, 1, 2, 3, 4].filter((i) => !finished.has(`m${i}/1-10/asymmetric/1`));
    assert.deepEqual(todo, [2, 3, 4]);
    await store.close();
  });
});

Deno.test("writeCell: two processes writing 50 cells each to one database at once lose nothing", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "shared.sqlite");
    const queries = 200;
    const children = [
      spawnWriter(db, "run-a", 50, String(queries)),
      spawnWriter(db, "run-b", 50, String(queries)),
    ];
    const outputs = await Promise.all(children.map((c) => c.output()));
    for (const out of outputs) {
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    }
    const store = await openStore(db);
    for (const key of ["run-a", "run-b"]) {
      assert.equal((await finishedCellIds(store, key)).size, 50);
      const stored = await readRun(store, key);
      assert.equal(stored?.cells.length, 50);
    }
    await store.close();
    const database = new DatabaseSync(db);
    assert.equal(count(database, "select count(*) n from runs"), 2);
    assert.equal(count(database, "select count(*) n from cells"), 100);
    assert.equal(count(database, "select count(*) n from metrics"), 200);
    assert.equal(count(database, "select count(*) n from per_query"), 100 * 2 * queries);
    assert.equal(count(database, "select count(*) n from curves"), 300);
    assert.equal(count(database, "select count(*) n from latency"), 100);
    assert.equal(count(database, "select count(*) n from sizes"), 100);
    assert.equal(count(database, "select count(*) n from timings"), 200);
    assert.equal(count(database, "select count(*) n from artefacts"), 100);
    database.close();
  });
});

/** experiments/cell_records.ts CellRecord as of this writing (the store does not import experiments/). */
interface CellRecordShape {
  readonly kind: "cell";
  readonly version: 1;
  readonly experiment: string;
  readonly preset: string;
  readonly runKey: string;
  readonly cell: {
    readonly method: string;
    readonly size: string;
    readonly mode: string;
    readonly seed?: number;
  };
  readonly status: "ok" | "failed";
  readonly error: string | null;
  readonly chosen: Readonly<Record<string, number | string>>;
  readonly metrics: Readonly<Record<string, number>>;
  readonly perQuery: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly latency: {
    readonly p50: number;
    readonly p95: number;
    readonly tokenizeP50: number;
    readonly queries: number;
    readonly threads: number;
  } | null;
  readonly sizes: {
    readonly queryParameters: number;
    readonly queryParametersWithoutEmbeddings: number;
    readonly ratio: number;
    readonly ratioWithoutEmbeddings: number;
    readonly modelBytes: number;
    readonly indexBytesFp32: number;
    readonly indexBytesFp16: number;
    readonly peakRss: number;
  } | null;
  readonly timings: Readonly<Record<string, number>>;
  readonly curves: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  readonly runFile: string | null;
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly finishedAt: string;
}

Deno.test("writeCell: a CellRecord as reproduce writes it today is a CellInput without conversion", async () => {
  await withDir(async (dir) => {
    const store = await openStore(join(dir, "r.sqlite"));
    const runId = await beginRun(store, sampleRun("record-key"));
    const { cell: _seeded, ...rest } = sampleCell("teacher", 0, 3);
    const record: CellRecordShape = {
      ...rest,
      kind: "cell",
      version: 1,
      experiment: "table2",
      preset: "tiny",
      runKey: "record-key",
      cell: { method: "teacher", size: "full", mode: "-" },
      runFile: "teacher/full/-.trec",
      provenance: { seed: 0 },
      finishedAt: "2026-12-02T21:00:00.000Z",
    };
    await writeCell(store, runId, record);
    assert.equal(await isCellFinished(store, "record-key", "teacher/full/-"), true);
    await store.close();
  });
});

Deno.test("writeCell: a second writer waits on the busy timeout while another process holds the write lock", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "busy.sqlite");
    const store = await openStore(db);
    const runId = await beginRun(store, sampleRun("busy-key"));
    // Another process takes the write lock and holds it for 1.5 s.
    const holder = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { DatabaseSync } from "node:sqlite";
         const d = new DatabaseSync(${JSON.stringify(db)});
         d.exec("begin immediate");
         console.log("locked");
         const until = Date.now() + 1500;
         while (Date.now() < until) { /* hold the lock */ }
         d.exec("commit");`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    for await (const line of childLines(holder)) if (line === "locked") break;
    const started = performance.now();
    await writeCell(store, runId, sampleCell("waited", 1, 10));
    const waited = performance.now() - started;
    assert.equal((await holder.status).code, 0);
    await holder.stderr.cancel();
    assert.ok(waited > 500, `waited ${waited.toFixed(0)} ms`);
    assert.equal(await isCellFinished(store, "busy-key", "waited/1-10/asymmetric/1"), true);
    await store.close();
  });
});
