import assert from "node:assert/strict";
import { sampleCell, sampleRun, withTempStore } from "../testing/mod.ts";
import { writeCell } from "./cells.ts";
import { readRun } from "./read_run.ts";
import { beginRun, findRun, finishRun, listRuns } from "./runs.ts";

Deno.test("beginRun/finishRun: provenance stored and read back; the same run key resumes the same run", async () => {
  await withTempStore(async (store) => {
    const run = sampleRun("key-a", { startedAt: "2026-12-01T10:00:00.000Z", dirty: true });
    const id = await beginRun(store, run);
    await finishRun(store, id, "failed", "2026-12-01T11:00:00.000Z");
    const stored = await readRun(store, "key-a");
    assert.ok(stored !== null);
    assert.deepEqual(stored.run, {
      id,
      kind: "reproduce",
      experiment: "table2",
      preset: "tiny",
      runKey: "key-a",
      commit: run.commit,
      dirty: true,
      startedAt: "2026-12-01T10:00:00.000Z",
      finishedAt: "2026-12-01T11:00:00.000Z",
      status: "failed",
      config: run.config,
      datasetChecksums: run.datasetChecksums,
      modelHashes: run.modelHashes,
      backend: "wasm",
      threads: 2,
      blas: "openblas",
      machine: run.machine,
      seeds: [1, 2],
      paperValues: run.paperValues,
    });
    assert.deepEqual(stored.cells, []);
    // Resumed: same id, running again, started_at kept.
    assert.equal(await beginRun(store, { ...run, dirty: false }), id);
    const resumed = await findRun(store, id);
    assert.equal(resumed?.status, "running");
    assert.equal(resumed?.finished_at, null);
    assert.equal(resumed?.code_dirty, 0);
    assert.equal(resumed?.started_at, "2026-12-01T10:00:00.000Z");
    assert.notEqual(await beginRun(store, sampleRun("key-b")), id);
    await assert.rejects(finishRun(store, 999, "ok"), /Cannot finish run 999 in ".*": no such run/);
  });
});

Deno.test("listRuns: every run, oldest first, with ok and failed cell counts", async () => {
  await withTempStore(async (store) => {
    assert.deepEqual(await listRuns(store), []);
    const a = await beginRun(store, sampleRun("key-a", { startedAt: "2026-12-01T10:00:00Z" }));
    const b = await beginRun(
      store,
      sampleRun("key-b", { kind: "bench", experiment: "speed", startedAt: "2026-12-02T10:00:00Z" }),
    );
    await writeCell(store, a, sampleCell("x", 1, 2));
    await writeCell(store, a, sampleCell("y", 1, 2));
    await writeCell(store, a, sampleCell("z", 1, 0, { status: "failed", error: "boom" }));
    await finishRun(store, a, "failed", "2026-12-01T11:00:00Z");
    const runs = await listRuns(store);
    assert.deepEqual(
      runs.map((r) => [r.id, r.kind, r.experiment, r.status, r.cellsOk, r.cellsFailed]),
      [
        [a, "reproduce", "table2", "failed", 2, 1],
        [b, "bench", "speed", "running", 0, 0],
      ],
    );
    assert.equal(runs[0]?.commit, "0123456789abcdef0123456789abcdef01234567");
    assert.equal(runs[0]?.finishedAt, "2026-12-01T11:00:00Z");
    assert.equal(await findRun(store, "no-such-key"), null);
    assert.equal(await findRun(store, String(b)).then((r) => r?.run_key), "key-b");
  });
});
