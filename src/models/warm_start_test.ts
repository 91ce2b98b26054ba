import assert from "node:assert/strict";
import { warmStart } from "./warm_start.ts";

const t = (shape: number[], value: number) => ({
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value),
});

Deno.test("warmStart copies the same-named tensors, fills a longer position table, keeps the head", () => {
  const initial = new Map([
    ["embeddings.position_embeddings.weight", t([4, 2], 0.5)],
    ["encoder.layer.0.output.dense.weight", t([2, 2], 0.5)],
    ["classifier.weight", t([1, 2], 0.5)],
  ]);
  const source = new Map([
    ["embeddings.position_embeddings.weight", t([2, 2], 7)],
    ["encoder.layer.0.output.dense.weight", t([2, 2], 3)],
    ["unused.weight", t([9], 1)],
  ]);
  const { weights, report } = warmStart(initial, source, "teacher");
  assert.deepEqual([...weights.get("embeddings.position_embeddings.weight")!.data], [
    7,
    7,
    7,
    7,
    0.5,
    0.5,
    0.5,
    0.5,
  ]);
  assert.deepEqual([...weights.get("encoder.layer.0.output.dense.weight")!.data], [3, 3, 3, 3]);
  assert.deepEqual([...weights.get("classifier.weight")!.data], [0.5, 0.5]);
  assert.deepEqual(report, {
    copied: ["encoder.layer.0.output.dense.weight"],
    partial: ["embeddings.position_embeddings.weight"],
    kept: ["classifier.weight"],
  });
  // The source is not aliased: training the result leaves the source as it was.
  weights.get("encoder.layer.0.output.dense.weight")!.data[0] = -1;
  assert.equal(source.get("encoder.layer.0.output.dense.weight")!.data[0], 3);
});

Deno.test("warmStart refuses other shapes and sources that share no name", () => {
  const initial = new Map([["encoder.layer.0.output.dense.weight", t([2, 2], 0)]]);
  assert.throws(
    () => warmStart(initial, new Map([["encoder.layer.0.output.dense.weight", t([2, 3], 1)]]), "x"),
    /tensor "encoder.layer.0.output.dense.weight" has shape \[2,3\].*needs \[2,2\]/,
  );
  assert.throws(
    () =>
      warmStart(
        initial,
        new Map([["query.encoder.layer.0.output.dense.weight", t([2, 2], 1)]]),
        "x",
      ),
    /none of its 1 tensors/,
  );
});
