import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { sha256Text } from "../src/io/mod.ts";
import { main as runsMain } from "../src/cli/runs.ts";
import { readRun } from "../src/store/mod.ts";
import { type CellRecord, writeCellRecord } from "./cell_records.ts";
import { type ImportIo, importRunDirectory, main } from "./import_runs.ts";
import { findExperiment } from "./mod.ts";
import { PRESETS } from "./presets.ts";
import { resolvedConfig } from "./reproduce.ts";
import { runKey } from "./run_key.ts";
import { ResultsSink, runFilePathOf } from "./store_sink.ts";
import {
  SAMPLE_RUN_FILE,
  sampleRecord,
  sampleRunInfo,
  withDir,
  withStore,
} from "./store_sink_fixture.ts";

const PREFIX = "embeddistill-import-runs-";

const TABLES = [
  "runs",
  "cells",
  "metrics",
  "per_query",
  "curves",
  "latency",
  "timings",
  "sizes",
  "artefacts",
] as const;

function rowCounts(db: string): Record<string, number> {
  const database = new DatabaseSync(db);
  try {
    return Object.fromEntries(
      TABLES.map((t) => [
        t,
        (database.prepare(`select count(*) n from ${t}`).get() as { n: number }).n,
      ]),
    );
  } finally {
    database.close();
  }
}

/** Write `records` (and each one's run file) as reproduce leaves them in `runDir`. */
async function writeRun(runDir: string, records: readonly CellRecord[]): Promise<void> {
  for (const r of records) {
    await writeCellRecord(runDir, r);
    const runFile = runFilePathOf(r, runDir);
    if (runFile !== null) await Deno.writeTextFile(runFile, SAMPLE_RUN_FILE);
  }
}

/** The run key table2/tiny has with this code (so its configuration is known). */
const TINY_KEY = runKey(
  "table2",
  "tiny",
  resolvedConfig(findExperiment("table2"), PRESETS.tiny),
);

Deno.test("importRunDirectory: records become a run with its cells; importing twice adds nothing", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "r.sqlite");
    const runDir = join(dir, "runs", TINY_KEY);
    const records = [
      sampleRecord(TINY_KEY, "embeddistill", 1, 5, {
        finishedAt: "2026-12-02T21:00:01.000Z",
        provenance: { engine: { backend: "wasm", threads: 2 } },
      }),
      sampleRecord(TINY_KEY, "embeddistill", 2, 5, { finishedAt: "2026-12-02T21:00:02.000Z" }),
      sampleRecord(TINY_KEY, "labels", 1, 0, {
        status: "failed",
        error: "Error: boom",
        metrics: {},
        perQuery: {},
        latency: null,
        sizes: null,
        runFile: null,
        finishedAt: "2026-12-02T21:00:03.000Z",
      }),
    ];
    await writeRun(runDir, records);
    const first = await withStore(db, (store) => importRunDirectory(store, runDir));
    assert.deepEqual({ ...first, runId: 0 }, {
      kind: "import",
      dir: runDir,
      runId: 0,
      runKey: TINY_KEY,
      created: true,
      written: 3,
      unchanged: 0,
    });
    const counts = rowCounts(db);
    assert.deepEqual(counts, {
      runs: 1,
      cells: 3,
      metrics: 4,
      per_query: 20,
      curves: 9,
      latency: 2,
      timings: 6,
      sizes: 2,
      artefacts: 2,
    });
    const second = await withStore(db, (store) => importRunDirectory(store, runDir));
    assert.equal(second.runId, first.runId);
    assert.equal(second.created, false);
    assert.equal(second.written, 0);
    assert.equal(second.unchanged, 3);
    assert.deepEqual(rowCounts(db), counts);

    await withStore(db, async (store) => {
      const stored = await readRun(store, TINY_KEY);
      assert.ok(stored !== null);
      const run = stored.run;
      assert.equal(run.experiment, "table2");
      assert.equal(run.preset, "tiny");
      assert.equal(run.status, "failed");
      assert.equal(run.startedAt, "2026-12-02T21:00:01.000Z");
      assert.equal(run.finishedAt, "2026-12-02T21:00:03.000Z");
      assert.deepEqual(run.seeds, [1, 2]);
      assert.equal(run.backend, "wasm");
      assert.equal(run.threads, 2);
      assert.equal(run.commit, null);
      assert.deepEqual(
        run.config,
        JSON.parse(JSON.stringify(resolvedConfig(findExperiment("table2"), PRESETS.tiny))),
      );
      assert.ok(Array.isArray(run.paperValues) && run.paperValues.length > 0);
      assert.deepEqual(stored.cells.map((c) => [c.cellId, c.status]), [
        ["embeddistill/1-10/asymmetric/1", "ok"],
        ["embeddistill/1-10/asymmetric/2", "ok"],
        ["labels/1-10/asymmetric/1", "failed"],
      ]);
      assert.deepEqual(stored.cells[0]!.metrics, records[0]!.metrics);
      const artefact = await store.db.selectFrom("artefacts").select(["path", "content_hash"])
        .orderBy("path").executeTakeFirstOrThrow();
      assert.deepEqual({ ...artefact }, {
        path: join(runDir, "embeddistill", "1-10", "asymmetric", "1.trec"),
        content_hash: `sha256:${sha256Text(SAMPLE_RUN_FILE)}`,
      });
    });

    // The failed cell redone (a newer record): the next import writes it alone and the run is ok.
    await writeRun(runDir, [
      sampleRecord(TINY_KEY, "labels", 1, 5, { finishedAt: "2026-12-02T22:00:00.000Z" }),
    ]);
    const third = await withStore(db, (store) => importRunDirectory(store, runDir));
    assert.equal(third.written, 1);
    assert.equal(third.unchanged, 2);
    await withStore(db, async (store) => {
      const stored = await readRun(store, TINY_KEY);
      assert.equal(stored?.run.status, "ok");
      assert.equal(stored?.run.finishedAt, "2026-12-02T22:00:00.000Z");
      assert.equal(stored?.cells.length, 3);
    });
  });
});

Deno.test("importRunDirectory: a run written live by reproduce keeps its provenance and status; its cells are not rewritten", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "r.sqlite");
    const runDir = join(dir, "runs", "live-key");
    const records = [sampleRecord("live-key", "a", 1, 3), sampleRecord("live-key", "b", 1, 3)];
    await writeRun(runDir, records);
    const sink = await ResultsSink.open(db, sampleRunInfo("live-key", { runDir }));
    await sink.writeCell(records[0]!);
    await sink.close();
    const report = await withStore(db, (store) => importRunDirectory(store, runDir));
    assert.equal(report.runId, sink.runId);
    assert.equal(report.written, 1);
    assert.equal(report.unchanged, 1);
    await withStore(db, async (store) => {
      const stored = await readRun(store, "live-key");
      assert.equal(stored?.run.status, "running");
      assert.equal(stored?.run.commit, "0123456789abcdef0123456789abcdef01234567");
      assert.equal(stored?.run.backend, "wasm");
      assert.deepEqual(stored?.run.config, { steps: 20, lr: [1e-4, 3e-4] });
      assert.equal(stored?.cells.length, 2);
    });
  });
});

Deno.test("importRunDirectory: a fresh run's directory <key>-<suffix> is its stored key; a mismatched or empty directory is refused", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "r.sqlite");
    const fresh = join(dir, "runs", "k1-20261203T000000Z");
    await writeRun(fresh, [sampleRecord("k1", "a", 1, 2)]);
    const wrong = join(dir, "runs", "k2");
    await writeRun(wrong, [sampleRecord("k1", "a", 1, 2)]);
    const mixed = join(dir, "runs", "k3");
    await writeRun(mixed, [sampleRecord("k3", "a", 1, 2), sampleRecord("k4", "b", 1, 2)]);
    const empty = join(dir, "runs", "k5");
    await Deno.mkdir(empty, { recursive: true });
    await withStore(db, async (store) => {
      const report = await importRunDirectory(store, fresh);
      assert.equal(report.runKey, "k1-20261203T000000Z");
      assert.equal(report.written, 1);
      await assert.rejects(
        importRunDirectory(store, wrong),
        /Cannot import ".*k2": its records are of run k1, but the directory is named "k2" \(expected k1 or k1-<suffix>\)/,
      );
      await assert.rejects(
        importRunDirectory(store, mixed),
        /Cannot import ".*k3": cell "b\/1-10\/asymmetric\/1" is of table2\/tiny run k4, expected table2\/tiny run k3/,
      );
      await assert.rejects(
        importRunDirectory(store, empty),
        /Cannot import ".*k5": no cell records/,
      );
    });
  });
});

function capture(): ImportIo & { readonly outs: string[]; readonly errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return {
    outs,
    errs,
    out: (text) => Promise.resolve(void outs.push(text)),
    err: (text) => void errs.push(text),
  };
}

Deno.test("import-runs command: imports directories into --db, after which `runs --db` lists the run with its cells; usage errors exit 2", async () => {
  await withDir(PREFIX, async (dir) => {
    const db = join(dir, "r.sqlite");
    const runDir = join(dir, "runs", "cli-key");
    await writeRun(runDir, [
      sampleRecord("cli-key", "a", 1, 3),
      sampleRecord("cli-key", "b", 1, 3),
    ]);
    const io = capture();
    const codes = [
      await main([runDir, "--db", db, "--json"], io),
      await main([runDir, "--db", db], io),
      await main(["--db", db], io),
      await main([join(dir, "runs", "missing"), "--db", db], io),
    ];
    assert.deepEqual(codes, [0, 0, 2, 1]);
    const report = JSON.parse(io.outs[0]!);
    assert.equal(report.written, 2);
    assert.equal(report.created, true);
    assert.match(io.outs[1]!, /: run 1 \(cli-key\), 0 cells written, 2 already stored\n$/);
    assert.match(io.errs[0]!, /import-runs: expected at least one run directory DIR/);
    assert.match(io.errs[1]!, /import-runs: Cannot import ".*missing": no cell records/);

    const listed: string[] = [];
    const status = await runsMain(["--db", db, "--json"], {
      out: (text) => Promise.resolve(void listed.push(text)),
      err: () => {},
    });
    assert.equal(status, 0);
    const runs = JSON.parse(listed.join(""));
    assert.equal(runs.length, 1);
    assert.equal(runs[0].runKey, "cli-key");
    assert.equal(runs[0].status, "ok");
    assert.equal(runs[0].cellsOk, 2);
    assert.equal(runs[0].cellsFailed, 0);
  });
});
