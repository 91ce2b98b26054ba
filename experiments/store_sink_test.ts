import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseSync } from "node:sqlite";
import { sha256Text } from "../src/io/mod.ts";
import { readCalibration, readComparisons, readPerQuery, readRun } from "../src/store/mod.ts";
import { childLines, killWhenWalGrows } from "../src/testing/mod.ts";
import { PAPER_CELLS } from "./paper.ts";
import {
  cellInputOf,
  COMPARISON_TEST,
  ResultsSink,
  runFilePathOf,
  storedRunKey,
} from "./store_sink.ts";
import {
  SAMPLE_RUN_FILE,
  sampleRecord,
  sampleRunInfo,
  withDir,
  withStore,
} from "./store_sink_fixture.ts";

import { paperValuesOf } from "./store_sink_provenance.ts";

const PREFIX = "embeddistill-store-sink-";

const FIXTURE = fileURLToPath(new URL("./store_sink_fixture.ts", import.meta.url));

function count(database: DatabaseSync, sql: string): number {
  return (database.prepare(sql).get() as { n: number }).n;
}

Deno.test("cellInputOf: the run file is relative to the record's folder, hashed when its text is given", () => {
  const record = sampleRecord("k", "embeddistill", 2, 3);
  assert.equal(runFilePathOf(record), join("embeddistill", "1-10", "asymmetric", "2.trec"));
  const input = cellInputOf(record, SAMPLE_RUN_FILE, "/results/runs/k");
  assert.equal(input.runFile, null);
  assert.deepEqual(input.artefacts, [{
    kind: "trec-run",
    contentHash: `sha256:${sha256Text(SAMPLE_RUN_FILE)}`,
    path: "/results/runs/k/embeddistill/1-10/asymmetric/2.trec",
  }]);
  assert.deepEqual(input.cell, record.cell);
  assert.deepEqual(input.metrics, record.metrics);
  assert.equal(input.finishedAt, record.finishedAt);
  assert.deepEqual(cellInputOf(record).artefacts?.[0]?.contentHash, null);
  assert.deepEqual(cellInputOf({ ...record, runFile: null }).artefacts, []);
});

Deno.test("ResultsSink: a record reads back from the store whole (metrics, per-query, latency, sizes, timings, curves, run file)", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "r.sqlite");
    const record = sampleRecord("rt-key", "embeddistill", 1, 4, {
      chosen: { learningRate: 3e-4 },
    });
    const teacher = sampleRecord("rt-key", "teacher", 0, 4, {
      cell: { method: "teacher", size: "full", mode: "-" },
      runFile: "-.trec",
      curves: {},
      latency: null,
    });
    // The sink reads the run file from the run directory when no text is given.
    const runDir = join(dir, "runs", "rt-key");
    await Deno.mkdir(join(runDir, "teacher", "full"), { recursive: true });
    await Deno.writeTextFile(join(runDir, "teacher", "full", "-.trec"), "teacher run\n");
    const sink = await ResultsSink.open(db, sampleRunInfo("rt-key", { runDir }));
    await sink.writeCell(record, SAMPLE_RUN_FILE);
    await sink.writeCell(teacher);
    await sink.close();
    await withStore(db, async (store) => {
      const stored = await readRun(store, "rt-key");
      assert.ok(stored !== null);
      assert.deepEqual(stored.cells.map((c) => c.cellId), [
        "embeddistill/1-10/asymmetric/1",
        "teacher/full/-",
      ]);
      for (const [c, r] of [[stored.cells[0]!, record], [stored.cells[1]!, teacher]] as const) {
        assert.equal(c.status, "ok");
        assert.deepEqual(c.metrics, r.metrics);
        assert.deepEqual(c.latency, r.latency);
        assert.deepEqual(c.sizes, r.sizes);
        assert.deepEqual(c.timings, r.timings);
        assert.deepEqual(c.chosen, r.chosen);
        assert.deepEqual(c.provenance, r.provenance);
        assert.equal(c.finishedAt, r.finishedAt);
      }
      const perQuery: Record<string, Record<string, Record<string, number>>> = {};
      for await (const v of readPerQuery(store, stored.run.id)) {
        ((perQuery[v.cellId] ??= {})[v.measure] ??= {})[v.queryId] = v.value;
      }
      assert.deepEqual(perQuery["embeddistill/1-10/asymmetric/1"], record.perQuery);
      assert.deepEqual(perQuery["teacher/full/-"], teacher.perQuery);
      const curves = await store.db.selectFrom("curves")
        .innerJoin("cells", "cells.id", "curves.cell_id")
        .select(["cells.cell_id", "curves.name", "curves.step", "curves.value"])
        .orderBy("curves.name").orderBy("curves.step").execute();
      const byName: Record<string, [number, number][]> = {};
      for (const r of curves) {
        assert.equal(r.cell_id, "embeddistill/1-10/asymmetric/1");
        (byName[r.name] ??= []).push([r.step, r.value]);
      }
      assert.deepEqual(byName, record.curves);
      const artefacts = await store.db.selectFrom("artefacts").select([
        "kind",
        "content_hash",
        "path",
      ])
        .orderBy("path").execute();
      assert.deepEqual(artefacts.map((a) => ({ ...a })), [
        {
          kind: "trec-run",
          content_hash: `sha256:${sha256Text(SAMPLE_RUN_FILE)}`,
          path: join(runDir, "embeddistill", "1-10", "asymmetric", "1.trec"),
        },
        {
          kind: "trec-run",
          content_hash: `sha256:${sha256Text("teacher run\n")}`,
          path: join(runDir, "teacher", "full", "-.trec"),
        },
      ]);
    });
  });
});

Deno.test("ResultsSink: the run row holds the run's provenance and the paper's values; claims and finish are stored", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "r.sqlite");
    const sink = await ResultsSink.open(db, sampleRunInfo("prov-key"));
    await sink.writeClaims([
      { id: "c1", statement: "A > B", verdict: "holds", evidence: "A - B = +0.1" },
      { id: "c2", statement: "A >= C", verdict: "fails", evidence: "p 0.01", pValue: 0.01 },
    ]);
    await sink.writeComparisons([{
      a: { method: "score-kd", size: "1-10", mode: "asymmetric" },
      b: { method: "labels", size: "1-10", mode: "asymmetric" },
      measure: "RR@10",
      delta: 0.02,
      queries: 30,
      tTestP: 0.01,
      randomizationP: 0.02,
      adjustedP: 0.04,
      adjustedTTestP: 0.03,
    }]);
    await sink.writeCalibration([
      {
        kind: "calibration",
        statement: "teacher >= BM25",
        verdict: "holds",
        evidence: "0.5 vs 0.3",
      },
    ]);
    await sink.finish("ok");
    await sink.close();
    await withStore(db, async (store) => {
      const stored = await readRun(store, sink.runId);
      assert.ok(stored !== null);
      const run = stored.run;
      assert.equal(run.kind, "reproduce");
      assert.equal(run.experiment, "table2");
      assert.equal(run.preset, "tiny");
      assert.equal(run.runKey, "prov-key");
      assert.equal(run.commit, "0123456789abcdef0123456789abcdef01234567");
      assert.equal(run.dirty, true);
      assert.deepEqual(run.config, { steps: 20, lr: [1e-4, 3e-4] });
      assert.deepEqual(run.seeds, [1, 2]);
      assert.equal(run.backend, "wasm");
      assert.equal(run.threads, 2);
      assert.equal(run.blas, "openblas");
      assert.deepEqual(run.datasetChecksums, { "synthetic/tiny": "sha256:abc" });
      assert.deepEqual(run.modelHashes, { teacher: "sha256:def" });
      assert.deepEqual(run.machine, { cpuModel: "test", cores: 2 });
      assert.equal(run.status, "ok");
      assert.ok(run.finishedAt !== null);
      // Default paper values: table2's cells of paper.ts, as they are now.
      const table2 = PAPER_CELLS.filter((p) => p.table === "table2");
      assert.ok(table2.length > 0);
      assert.deepEqual(run.paperValues, JSON.parse(JSON.stringify(table2)));
      assert.deepEqual(stored.claims.map((c) => [c.id, c.verdict, c.pValue]), [
        ["c1", "holds", null],
        ["c2", "fails", 0.01],
      ]);
      assert.deepEqual(await readComparisons(store, sink.runId), [{
        a: "score-kd/1-10/asymmetric",
        b: "labels/1-10/asymmetric",
        measure: "RR@10",
        delta: 0.02,
        queries: 30,
        test: COMPARISON_TEST,
        tTestP: 0.01,
        randomizationP: 0.02,
        adjustedP: 0.04,
        adjustedTTestP: 0.03,
      }]);
      assert.deepEqual(await readCalibration(store, sink.runId), [
        { statement: "teacher >= BM25", verdict: "holds", evidence: "0.5 vs 0.3" },
      ]);
    });
  });
});

Deno.test("ResultsSink: the same run key resumes the same row with its ok cells; fresh makes a new row; a record of another run is refused", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "r.sqlite");
    const first = await ResultsSink.open(db, sampleRunInfo("resume-key"));
    await first.writeCell(sampleRecord("resume-key", "a", 1, 3));
    await first.writeCell(
      sampleRecord("resume-key", "b", 1, 0, { status: "failed", error: "Error: boom" }),
    );
    assert.deepEqual([...await first.finished()], ["a/1-10/asymmetric/1"]);
    await assert.rejects(
      first.writeCell(sampleRecord("other-key", "c", 1, 3)),
      /Cannot store cell "c\/1-10\/asymmetric\/1" in run \d+ of ".*": the record is of table2\/tiny run other-key, expected table2\/tiny run resume-key/,
    );
    await first.finish("failed");
    await first.close();

    const again = await ResultsSink.open(
      db,
      sampleRunInfo("resume-key", { code: null, backend: "cpu" }),
    );
    assert.equal(again.runId, first.runId);
    assert.equal(again.runKey, "resume-key");
    assert.deepEqual([...await again.finished()], ["a/1-10/asymmetric/1"]);
    await again.writeCell(sampleRecord("resume-key", "b", 1, 3));
    assert.deepEqual([...await again.finished()].sort(), [
      "a/1-10/asymmetric/1",
      "b/1-10/asymmetric/1",
    ]);
    await again.close();

    const fresh = await ResultsSink.open(
      db,
      sampleRunInfo("resume-key", { fresh: "20261203T010203Z" }),
    );
    assert.notEqual(fresh.runId, first.runId);
    assert.equal(fresh.runKey, "resume-key-20261203T010203Z");
    assert.deepEqual([...await fresh.finished()], []);
    await fresh.writeCell(sampleRecord("resume-key", "a", 1, 3));
    await fresh.close();

    await withStore(db, async (store) => {
      const runs = await store.db.selectFrom("runs").select(["id", "run_key", "status", "backend"])
        .orderBy("id").execute();
      assert.deepEqual(runs.map((r) => ({ ...r })), [
        { id: first.runId, run_key: "resume-key", status: "running", backend: "cpu" },
        {
          id: fresh.runId,
          run_key: "resume-key-20261203T010203Z",
          status: "running",
          backend: "wasm",
        },
      ]);
      const cells = await store.db.selectFrom("cells").select(["run_id", "cell_id", "status"])
        .orderBy("run_id").orderBy("cell_id").execute();
      assert.deepEqual(cells.map((c) => ({ ...c })), [
        { run_id: first.runId, cell_id: "a/1-10/asymmetric/1", status: "ok" },
        { run_id: first.runId, cell_id: "b/1-10/asymmetric/1", status: "ok" },
        { run_id: fresh.runId, cell_id: "a/1-10/asymmetric/1", status: "ok" },
      ]);
    });
  });
});

Deno.test("storedRunKey: the run key, or <key>-<fresh>; a suffix with a slash or space is refused", () => {
  assert.equal(storedRunKey({ runKey: "abc" }), "abc");
  assert.equal(storedRunKey({ runKey: "abc", fresh: "x1" }), "abc-x1");
  assert.throws(() => storedRunKey({ runKey: "abc", fresh: "a/b" }), /suffix "a\/b" is empty/);
  assert.throws(() => storedRunKey({ runKey: "abc", fresh: "" }), /suffix "" is empty/);
});

Deno.test("paperValuesOf: an experiment's paper values; an experiment without paper values has none", () => {
  assert.ok(paperValuesOf("table2").every((p) => p.table === "table2"));
  assert.deepEqual(paperValuesOf("no-such-table"), []);
});

function spawnSinkWriter(
  db: string,
  key: string,
  cells: number,
  queries: string,
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-check", "-A", FIXTURE, db, key, String(cells), queries],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("ResultsSink: two reproduce processes writing different runs to one store at once lose nothing", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "shared.sqlite");
    const queries = 100;
    const outputs = await Promise.all([
      spawnSinkWriter(db, "run-a", 30, String(queries)).output(),
      spawnSinkWriter(db, "run-b", 30, String(queries)).output(),
    ]);
    for (const out of outputs) assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const database = new DatabaseSync(db);
    assert.equal(count(database, "select count(*) n from runs where status = 'ok'"), 2);
    assert.equal(count(database, "select count(*) n from cells where status = 'ok'"), 60);
    assert.equal(count(database, "select count(*) n from metrics"), 120);
    assert.equal(count(database, "select count(*) n from per_query"), 60 * 2 * queries);
    assert.equal(count(database, "select count(*) n from curves"), 180);
    assert.equal(count(database, "select count(*) n from latency"), 60);
    assert.equal(count(database, "select count(*) n from sizes"), 60);
    assert.equal(count(database, "select count(*) n from timings"), 120);
    assert.equal(
      count(database, "select count(*) n from artefacts where content_hash is not null"),
      60,
    );
    assert.deepEqual(
      database.prepare(
        "select r.run_key k, count(c.id) n from runs r join cells c on c.run_id = r.id group by r.id order by k",
      )
        .all().map((r) => ({ ...r })),
      [{ k: "run-a", n: 30 }, { k: "run-b", n: 30 }],
    );
    database.close();
  });
});

Deno.test("ResultsSink: SIGKILL mid-cell leaves an intact store with no half cell; the restarted run redoes exactly the unfinished cells", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "kill.sqlite");
    const queries = 20;
    // Cell 2 has 2 x 200k per-query rows: its transaction takes seconds.
    const child = spawnSinkWriter(db, "kill-key", 5, `${queries},${queries},200000`);
    const done: number[] = [];
    let walBefore = 0;
    for await (const line of childLines(child)) {
      const [what, n] = line.split(" ");
      if (what === "done") {
        done.push(Number(n));
        walBefore = (await Deno.stat(`${db}-wal`)).size;
      }
      if (what === "begin" && Number(n) === 2) break;
    }
    const { walAtKill, status } = await killWhenWalGrows(child, db, walBefore);
    assert.equal(status.signal, "SIGKILL");
    assert.deepEqual(done, [0, 1]);
    assert.ok(walAtKill > walBefore + 1_000_000, `WAL ${walBefore} -> ${walAtKill} bytes`);

    const database = new DatabaseSync(db);
    assert.deepEqual(
      { ...(database.prepare("pragma integrity_check").get() as object) },
      { integrity_check: "ok" },
    );
    assert.deepEqual(
      database.prepare(
        "select c.cell_id, count(p.query_id) n from cells c left join per_query p on p.cell_id = c.id group by c.id order by c.cell_id",
      ).all().map((r) => ({ ...r })),
      [
        { cell_id: "m0/1-10/asymmetric/1", n: 2 * queries },
        { cell_id: "m1/1-10/asymmetric/1", n: 2 * queries },
      ],
    );
    for (const table of ["per_query", "metrics", "curves", "latency", "sizes", "timings"]) {
      assert.equal(
        count(
          database,
          `select count(*) n from ${table} where cell_id not in (select id from cells)`,
        ),
        0,
        `${table} rows of no cell`,
      );
    }
    assert.equal(count(database, "select count(*) n from artefacts"), 2);
    assert.equal(
      (database.prepare("select status from runs").get() as { status: string }).status,
      "running",
    );
    database.close();

    // The restart (same run key) writes cells 2, 3 and 4 only, into the same run row.
    const restart = spawnSinkWriter(db, "kill-key", 5, String(queries));
    const begun: number[] = [];
    for await (const line of childLines(restart)) {
      const [what, n] = line.split(" ");
      if (what === "begin") begun.push(Number(n));
    }
    const restarted = await restart.status;
    await restart.stderr.cancel();
    assert.equal(restarted.code, 0);
    assert.deepEqual(begun, [2, 3, 4]);
    await withStore(db, async (store) => {
      const stored = await readRun(store, "kill-key");
      assert.equal(stored?.run.status, "ok");
      assert.equal(stored?.cells.length, 5);
      assert.equal((await store.db.selectFrom("runs").selectAll().execute()).length, 1);
    });
  });
});

Deno.test("ResultsSink: finish records the datasets and models the run's cells used, beside the given ones", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "r.sqlite");
    const info = sampleRunInfo("hash-key", {
      config: { data: { dataset: "synthetic-msmarco/tiny" } },
      datasetChecksums: {},
    });
    const sink = await ResultsSink.open(db, info);
    await sink.writeCell(
      sampleRecord("hash-key", "labels", 1, 2, {
        provenance: { modelHash: "m-labels", datasetChecksum: "d-1" },
      }),
      null,
    );
    await sink.writeCell(
      sampleRecord("hash-key", "score-kd", 1, 2, {
        provenance: { sourceProvenance: { modelHash: "m-source" } },
      }),
      null,
    );
    await sink.finish("ok");
    await sink.close();
    await withStore(db, async (store) => {
      const run = (await readRun(store, sink.runId))!.run;
      assert.deepEqual(run.datasetChecksums, { "synthetic-msmarco/tiny": "d-1" });
      assert.deepEqual(run.modelHashes, {
        "labels/1-10/asymmetric/1": "m-labels",
        "score-kd/1-10/asymmetric/1": "m-source",
        teacher: "sha256:def",
      });
    });
  });
});
