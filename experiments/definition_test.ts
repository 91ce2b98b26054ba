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

Deno.test("table1: table2's rows on NQ-shaped data, Success@k by answer matching first, nDCG@10 for the calibration", () => {
  const table1 = findExperiment("table1");
  assert.equal(table1.data.mini.dataset, "synthetic-nq/mini");
  assert.equal(table1.answerMatching, true);
  assert.deepEqual(table1.measures, ["Success@5", "Success@20", "Success@100", "nDCG@10"]);
  assert.equal(
    experimentCells(table1, 1).length,
    experimentCells(findExperiment("table2"), 1).length,
  );
});

Deno.test("table4: table2's cells (its models), out-of-domain corpora per preset, reads table2's run", () => {
  const table4 = findExperiment("table4");
  const table2 = findExperiment("table2");
  assert.equal(table4.zeroShot?.source, "table2");
  assert.deepEqual(
    experimentCells(table4, 1).map(formatCellId),
    experimentCells(table2, 1).map(formatCellId),
  );
  assert.deepEqual(table4.data, table2.data);
  for (const corpus of table4.zeroShot!.corpora.mini) {
    assert.notEqual(corpus, table2.data.mini.dataset);
  }
  assert.ok(table4.zeroShot!.corpora.full.every((id) => id.startsWith("beir/")));
  assert.ok(!table4.zeroShot!.corpora.full.includes("beir/msmarco"), "msmarco is in-domain");
});

Deno.test("ablations: one factor per row against its reference, each row at its own size and mode", () => {
  const ablations = findExperiment("ablations");
  const ids = experimentCells(ablations, 1).map(formatCellId);
  assert.deepEqual(ids.slice(0, 3), [
    "teacher/full/-",
    "bm25/full/-",
    "embeddistill/1-10/asymmetric/1",
  ]);
  for (
    const id of [
      "qgen-1",
      "qgen-3",
      "qgen-10",
      "distance-mse",
      "distance-cosine",
      "weight-0-1",
      "weight-5",
      "temperature-2",
      "temperature-4",
    ]
  ) {
    assert.ok(ids.includes(`${id}/1-10/asymmetric/1`), id);
    assert.ok(!ids.some((c) => c.startsWith(`${id}/2-3/`)), `${id} runs at 1/10 only`);
  }
  assert.ok(ids.includes("symmetric-query-document/1-10/symmetric/1"));
  assert.ok(ids.includes("teacher-width-layers/2-3/asymmetric/1"));
  assert.equal(ids.length, 2 + 1 + 9 + 2 + 3);
  const byId = new Map(ablations.methods.map((m) => [m.id, m]));
  assert.deepEqual(
    ["qgen-1", "qgen-3", "qgen-10"].map((id) => byId.get(id)!.queryGenerationPerDocument),
    [1, 3, 10],
  );
  assert.equal(byId.get("teacher-width-layers")!.student?.init, "teacher-layers");
  assert.equal(byId.get("teacher-width-projection")!.student?.projection, true);
  const recipe = (id: string) => JSON.stringify(resolveRecipe(byId.get(id)!.loss.asymmetric));
  const reference = recipe("embeddistill");
  for (const id of ["qgen-3", "teacher-width-random", "teacher-width-layers"]) {
    assert.equal(recipe(id), reference, `${id} changes no loss`);
  }
  for (const id of ["distance-cosine", "weight-5", "temperature-4"]) {
    assert.notEqual(recipe(id), reference, `${id} changes the loss`);
  }
  const pairs = comparisonPairs(ablations, ablations.claims).map(([a, b]) =>
    `${cellKey(a)} vs ${cellKey(b)}`
  );
  assert.ok(pairs.includes("qgen-10/1-10/asymmetric vs embeddistill/1-10/asymmetric"));
  assert.ok(
    pairs.includes(
      "teacher-width-projection/2-3/asymmetric vs teacher-width-random/2-3/asymmetric",
    ),
  );
  assert.ok(
    pairs.includes("symmetric-query-document/1-10/symmetric vs symmetric-query/1-10/symmetric"),
  );
  assert.ok(!pairs.some((p) => p.endsWith("vs embeddistill/2-3/asymmetric")));
});
