import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type CellRecord,
  cellRecordPath,
  readCellRecord,
  readRunRecords,
  writeCellRecord,
} from "./cell_records.ts";
import { CODE_SALT, runKey } from "./run_key.ts";

function record(seed: number, status: "ok" | "failed" = "ok"): CellRecord {
  return {
    kind: "cell",
    version: 1,
    experiment: "table2",
    preset: "tiny",
    runKey: "k",
    cell: { method: "embeddistill", size: "1-10", mode: "asymmetric", seed },
    status,
    error: status === "failed" ? "boom" : null,
    chosen: { learningRate: 5e-4 },
    metrics: { "RR@10": 0.5 },
    perQuery: { "RR@10": { q1: 1, q2: 0 } },
    latency: null,
    sizes: null,
    timings: { train: 1.5 },
    curves: { loss: [[1, 2.5], [2, 1.25]] },
    runFile: null,
    provenance: { seed },
    finishedAt: "2026-12-02T00:00:00.000Z",
  };
}

Deno.test("cell records round-trip under their cell id as a path; absent cells read as null", async () => {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-runs-" });
  try {
    const path = await writeCellRecord(dir, record(2));
    assert.equal(path, join(dir, "embeddistill", "1-10", "asymmetric", "2.json"));
    assert.deepEqual(await readCellRecord(dir, record(2).cell), record(2));
    assert.equal(await readCellRecord(dir, record(3).cell), null);
    await writeCellRecord(dir, record(1, "failed"));
    await Deno.writeTextFile(join(dir, "run.json"), "{}");
    const all = await readRunRecords(dir);
    assert.deepEqual(all.map((r) => r.cell.seed), [1, 2]);
    assert.deepEqual(await readRunRecords(join(dir, "absent")), []);
    await Deno.writeTextFile(cellRecordPath(dir, record(4).cell), "{not json");
    await assert.rejects(
      () => readCellRecord(dir, record(4).cell),
      /Cannot read cell record ".*4.json"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run keys change with the experiment, preset, config and code salt only", () => {
  const a = runKey("table2", "mini", { steps: 100, lr: [1e-3] });
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.equal(runKey("table2", "mini", { lr: [1e-3], steps: 100 }), a);
  assert.notEqual(runKey("table2", "tiny", { steps: 100, lr: [1e-3] }), a);
  assert.notEqual(runKey("table2", "mini", { steps: 101, lr: [1e-3] }), a);
  assert.ok(CODE_SALT.length > 0);
});
