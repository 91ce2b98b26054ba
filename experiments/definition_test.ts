import assert from "node:assert/strict";
import { resolveRecipe } from "../src/distill/mod.ts";
import { comparisonPairs, experimentCells, TEACHER_CELL } from "./cells.ts";
import { cellKey, formatCellId } from "./cell_id.ts";
import { EXPERIMENTS, findExperiment } from "./mod.ts";

Deno.test("every experiment's cells are unique, its losses resolve, its claims name its cells", () => {
  for (const experiment of EXPERIMENTS) {
    const cells = experimentCells(experiment, 2);
    const ids = cells.map(formatCellId);
    assert.equal(new Set(ids).size, ids.length, `${experiment.id}: duplicate cell ids`);
    assert.equal(cellKey(cells[0]!), cellKey(TEACHER_CELL));
    const keys = new Set(cells.map(cellKey));
    for (const method of experiment.methods) {
      for (const mode of method.modes) resolveRecipe(method.loss[mode]);
    }
    for (const [a, b] of comparisonPairs(experiment, experiment.claims)) {
      assert.ok(keys.has(cellKey(a)), `${experiment.id}: comparison names ${cellKey(a)}`);
      assert.ok(keys.has(cellKey(b)), `${experiment.id}: comparison names ${cellKey(b)}`);
    }
    assert.ok(experiment.measures.length > 0);
  }
});

Deno.test("table2: teacher + BM25, then 2 sizes x (4 methods x 2 modes + qgen asymmetric) per seed", () => {
  const table2 = findExperiment("table2");
  assert.equal(experimentCells(table2, 1).length, 2 + 2 * (4 * 2 + 1));
  assert.equal(experimentCells(table2, 3).length, 2 + 3 * 2 * (4 * 2 + 1));
  assert.deepEqual(experimentCells(table2, 1).slice(0, 2).map(formatCellId), [
    "teacher/full/-",
    "bm25/full/-",
  ]);
  assert.ok(
    experimentCells(table2, 1).map(formatCellId).includes("embeddistill/1-10/asymmetric/1"),
  );
  assert.equal(table2.measures[0], "RR@10");
  assert.throws(
    () => findExperiment("table9"),
    /Unknown experiment "table9": expected one of table2/,
  );
  assert.throws(() => experimentCells(table2, 0), /expected an integer >= 1/);
});
