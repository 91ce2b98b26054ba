import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type DualEncoderSpec, modelParameterShapes } from "../../models/mod.ts";
import {
  applyProjection,
  createProjection,
  disposeProjection,
  loadProjection,
  projectionTensors,
  projectionVariables,
} from "./projection.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

Deno.test("projection: x W^T + b by hand", () => {
  const p = loadProjection(
    new Map([
      ["projection.weight", { shape: [2, 3], data: Float32Array.from([1, 2, 3, 0, -1, 1]) }],
      ["projection.bias", { shape: [2], data: Float32Array.from([0.5, -1]) }],
    ]),
  );
  assert.equal(p.inDim, 3);
  assert.equal(p.outDim, 2);
  const y = applyProjection(p, tf.tensor2d([[1, 1, 1], [2, 0, -1]]));
  // [1+2+3+0.5, 0-1+1-1] and [2+0-3+0.5, 0+0-1-1].
  assert.deepEqual(Array.from(y.dataSync()), [6.5, -1, -0.5, -2]);
  y.dispose();
  assert.throws(() => applyProjection(p, tf.zeros([1, 2]) as tf.Tensor2D), TypeError);
  disposeProjection(p);
});

Deno.test("projection: save and load round-trip under a prefix, shapes [out, in] and [out]", () => {
  const p = createProjection(4, 6, { seed: 3 });
  const saved = projectionTensors(p, "query.");
  assert.deepEqual([...saved.keys()], ["query.projection.weight", "query.projection.bias"]);
  assert.deepEqual(saved.get("query.projection.weight")!.shape, [6, 4]);
  assert.deepEqual(saved.get("query.projection.bias")!.shape, [6]);
  const w = saved.get("query.projection.weight")!.data;
  assert.ok(w.some((x) => x !== 0) && w.every((x) => Math.abs(x) < 0.2), "N(0, 0.02^2) draw");
  const q = loadProjection(saved, "query.");
  assert.deepEqual(projectionTensors(q, "query."), saved);
  assert.throws(() => loadProjection(saved), RangeError);
  assert.equal(projectionVariables(q).length, 2);
  assert.ok(projectionVariables(q).every((v) => v.trainable));
  disposeProjection(p);
  disposeProjection(q);
});

Deno.test("projection: the same seed draws the same weights; identity init copies coordinates", () => {
  const a = createProjection(3, 2, { seed: 9 });
  const b = createProjection(3, 2, { seed: 9 });
  assert.deepEqual(projectionTensors(a), projectionTensors(b));
  const id = createProjection(2, 3, { init: "identity" });
  const y = applyProjection(id, tf.tensor2d([[5, 7]]));
  assert.deepEqual(Array.from(y.dataSync()), [5, 7, 0]);
  tf.dispose(y);
  [a, b, id].forEach(disposeProjection);
  assert.throws(() => createProjection(0, 2), RangeError);
});

Deno.test("projection names and shapes are a separate-tower dual encoder's query projection", () => {
  const encoder = {
    vocabSize: 10,
    hiddenSize: 4,
    numLayers: 1,
    numHeads: 1,
    intermediateSize: 8,
    maxPositions: 8,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
  };
  const spec: DualEncoderSpec = {
    kind: "dual",
    towers: {
      kind: "separate",
      query: { encoder, projectionDim: 6 },
      document: { encoder: { ...encoder, hiddenSize: 6, numHeads: 2 } },
    },
    pooling: "cls",
    similarity: { kind: "dot" },
    queryMaxLength: 8,
    documentMaxLength: 8,
  };
  const shapes = modelParameterShapes(spec);
  const p = createProjection(4, 6);
  for (const [name, t] of projectionTensors(p, "query.")) {
    assert.deepEqual(shapes.get(name), t.shape, name);
  }
  disposeProjection(p);
});

Deno.test("projection: malformed tensors are rejected", () => {
  assert.throws(
    () =>
      loadProjection(
        new Map([
          ["projection.weight", { shape: [2, 3], data: new Float32Array(6) }],
          ["projection.bias", { shape: [3], data: new Float32Array(3) }],
        ]),
      ),
    TypeError,
  );
});
