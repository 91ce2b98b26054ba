import assert from "node:assert/strict";
import { formatCellId } from "./cell_id.ts";
import { readRunRecords } from "./cell_records.ts";
import { TEACHER_CELL } from "./cells.ts";
import { type CellResult, runCells, type RunPlan, selectCells } from "./runner.ts";

const STUDENT_A = { method: "labels", size: "1-10", mode: "symmetric", seed: 1 };
const STUDENT_B = { method: "score-kd", size: "1-10", mode: "symmetric", seed: 1 };

function result(value: number): CellResult {
  return {
    chosen: {},
    metrics: { "RR@10": value },
    perQuery: {},
    latency: null,
    sizes: null,
    timings: {},
    curves: {},
    runFile: null,
    provenance: {},
  };
}

async function withRunDir(fn: (plan: RunPlan) => Promise<void>): Promise<void> {
  const runDir = await Deno.makeTempDir({ prefix: "embeddistill-runner-" });
  try {
    await fn({
      experiment: "table2",
      preset: "tiny",
      runKey: "k",
      runDir,
      cells: [TEACHER_CELL, STUDENT_A, STUDENT_B],
    });
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
}

Deno.test("a failing cell is recorded and the others still run; a rerun redoes only it", async () => {
  await withRunDir(async (plan) => {
    const ran: string[] = [];
    const first = await runCells(plan, (cell) => {
      ran.push(formatCellId(cell));
      if (cell.method === "labels") return Promise.reject(new RangeError("out of memory"));
      return Promise.resolve(result(0.5));
    });
    assert.deepEqual(first.map((o) => o.kind), ["ok", "failed", "ok"]);
    const failed = first[1]!;
    assert.equal(failed.kind === "failed" && failed.record.error, "RangeError: out of memory");
    assert.equal((await readRunRecords(plan.runDir)).length, 3);
    ran.length = 0;
    const second = await runCells(plan, () => Promise.resolve(result(0.25)));
    assert.deepEqual(second.map((o) => o.kind), ["reused", "ok", "reused"]);
    const redone = second[1]!;
    assert.equal(redone.kind === "ok" && redone.record.metrics["RR@10"], 0.25);
  });
});

Deno.test("students of a failed teacher are skipped with the teacher's error", async () => {
  await withRunDir(async (plan) => {
    const outcomes = await runCells(
      plan,
      (cell) =>
        cell.method === "teacher"
          ? Promise.reject(new Error("diverged"))
          : Promise.resolve(result(1)),
    );
    assert.deepEqual(outcomes.map((o) => o.kind), ["failed", "skipped", "skipped"]);
    const skipped = outcomes[1]!;
    assert.equal(
      skipped.kind === "skipped" && skipped.reason,
      "the teacher failed: Error: diverged",
    );
  });
});

Deno.test("selectCells takes full ids or ids without the seed, and lists the valid ones", () => {
  const cells = [TEACHER_CELL, STUDENT_A, { ...STUDENT_A, seed: 2 }, STUDENT_B];
  assert.deepEqual(selectCells(cells, []).length, 4);
  assert.deepEqual(selectCells(cells, ["labels/1-10/symmetric"]).map(formatCellId), [
    "labels/1-10/symmetric/1",
    "labels/1-10/symmetric/2",
  ]);
  assert.deepEqual(selectCells(cells, ["score-kd/1-10/symmetric/1"]).length, 1);
  assert.throws(
    () => selectCells(cells, ["nope/1-10/symmetric"]),
    /Unknown cell "nope\/1-10\/symmetric": expected one of teacher\/full\/-, labels/,
  );
});
