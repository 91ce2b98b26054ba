import assert from "node:assert/strict";
import { sampleCell, sampleRun, withTempStore } from "../testing/mod.ts";
import { writeCell } from "./cells.ts";
import { readArtefacts, readCurves, readRun } from "./read_run.ts";
import { beginRun } from "./runs.ts";

Deno.test("readCurves and readArtefacts: a run's curves by cell and name in step order, its artefacts by cell", async () => {
  await withTempStore(async (store) => {
    const runId = await beginRun(store, sampleRun("read-key"));
    const other = await beginRun(store, sampleRun("other-key"));
    await writeCell(
      store,
      runId,
      sampleCell("a", 1, 2, {
        curves: { loss: [[10, 0.5], [0, 1]], "dev nDCG@10": [[10, 0.3]] },
        artefacts: [{ kind: "onnx", contentHash: "sha256:1", path: "a/model.onnx" }],
      }),
    );
    await writeCell(store, runId, sampleCell("b", 1, 2, { curves: {}, runFile: null }));
    await writeCell(store, other, sampleCell("a", 1, 2));
    await store.db.insertInto("artefacts").values({
      run_id: runId,
      cell_id: null,
      kind: "teacher",
      content_hash: null,
      path: "teacher/",
    }).execute();
    const curves = await readCurves(store, runId);
    assert.deepEqual([...curves.keys()], ["a/1-10/asymmetric/1"]);
    assert.deepEqual(curves.get("a/1-10/asymmetric/1"), {
      "dev nDCG@10": [[10, 0.3]],
      loss: [[0, 1], [10, 0.5]],
    });
    assert.deepEqual(await readArtefacts(store, runId), [
      { cellId: null, kind: "teacher", contentHash: null, path: "teacher/" },
      {
        cellId: "a/1-10/asymmetric/1",
        kind: "onnx",
        contentHash: "sha256:1",
        path: "a/model.onnx",
      },
      { cellId: "a/1-10/asymmetric/1", kind: "trec-run", contentHash: null, path: "run.trec" },
    ]);
    assert.equal((await readRun(store, runId))?.cells.length, 2);
    assert.deepEqual(await readCurves(store, 999), new Map());
    assert.deepEqual(await readArtefacts(store, 999), []);
  });
});
