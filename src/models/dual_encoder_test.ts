import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BertConfig, NamedTensors } from "./config.ts";
import { createCrossEncoder, type CrossEncoder, crossEncoderForward } from "./cross_encoder.ts";
import {
  createDualEncoder,
  type DualEncoder,
  embed,
  scoreBatches,
  towerVariables,
} from "./dual_encoder.ts";
import { type DualEncoderSpec, initModelWeights, type ModelSpec } from "./architecture.ts";
import { disposeParameters } from "./parameters.ts";
import { MICRO_BERT } from "../testing/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const ENCODER: BertConfig = { ...MICRO_BERT, numLayers: 1 };
const SEPARATE: DualEncoderSpec = {
  kind: "dual",
  towers: { kind: "separate", query: { encoder: ENCODER }, document: { encoder: ENCODER } },
  pooling: "mean",
  similarity: { kind: "dot" },
  queryMaxLength: 8,
  documentMaxLength: 8,
};
/** The tfjs model a spec describes. */
function createModel(spec: ModelSpec, weights: NamedTensors): DualEncoder | CrossEncoder {
  return spec.kind === "dual"
    ? createDualEncoder(spec, weights)
    : createCrossEncoder(spec, weights);
}

const BATCH = {
  shape: [2, 4] as const,
  inputIds: [1, 5, 9, 2, 1, 7, 2, 0],
  attentionMask: [1, 1, 1, 1, 1, 1, 1, 0],
  tokenTypeIds: [0, 0, 1, 1, 0, 0, 1, 0],
};

Deno.test("models leak no tensors: create, embed, score, dispose", () => {
  const before = tf.memory().numTensors;
  const specs: ModelSpec[] = [
    SEPARATE,
    { kind: "cross", encoder: ENCODER, scorer: { kind: "cls" }, maxLength: 8 },
    {
      kind: "cross",
      encoder: ENCODER,
      scorer: { kind: "dual-pooling", includeSpecialTokens: true },
      maxLength: 8,
    },
  ];
  for (const spec of specs) {
    const model = createModel(spec, initModelWeights(spec, 1));
    if (model.kind === "dual") {
      tf.dispose([embed(model, "query", BATCH), scoreBatches(model, BATCH, BATCH)]);
    } else {
      const out = crossEncoderForward(model, BATCH);
      tf.dispose(
        out.kind === "cls"
          ? [out.scores]
          : [out.scores, out.queryEmbeddings, out.documentEmbeddings],
      );
    }
    disposeParameters(model.params);
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("towerVariables splits separate towers and returns everything for shared ones", () => {
  const model = createModel(SEPARATE, initModelWeights(SEPARATE, 2));
  try {
    assert(model.kind === "dual");
    const q = towerVariables(model, "query");
    const d = towerVariables(model, "document");
    assert.equal(q.length + d.length, model.params.size);
    assert(q.every((v) => !d.includes(v)));
  } finally {
    disposeParameters(model.params);
  }
});

Deno.test("separate towers give different embeddings for the same text", () => {
  const model = createModel(SEPARATE, initModelWeights(SEPARATE, 3));
  try {
    assert(model.kind === "dual");
    const q = tf.tidy(() => embed(model, "query", BATCH).arraySync());
    const d = tf.tidy(() => embed(model, "document", BATCH).arraySync());
    assert.notDeepEqual(q, d);
  } finally {
    disposeParameters(model.params);
  }
});

Deno.test("out-of-range ids are rejected instead of embedding garbage", () => {
  const model = createModel(SEPARATE, initModelWeights(SEPARATE, 4));
  try {
    assert(model.kind === "dual");
    assert.throws(
      () => embed(model, "query", { ...BATCH, inputIds: [1, 5, 30, 2, 1, 7, 2, 0] }),
      /Cannot embed token 2 of row 0: id 30 \(vocabulary 30\)/,
    );
  } finally {
    disposeParameters(model.params);
  }
});

Deno.test("Adam on the in-batch softmax loss trains the query tower only when asked", () => {
  const model = createModel(SEPARATE, initModelWeights(SEPARATE, 5, 0.2));
  const optimizer = tf.train.adam(0.05);
  try {
    assert(model.kind === "dual");
    const documentBefore = towerVariables(model, "document").map((v) => v.arraySync());
    const loss = () =>
      tf.tidy(() => {
        const scores = scoreBatches(model, BATCH, BATCH);
        return tf.mean(tf.sub(tf.logSumExp(scores, 1), tf.sum(tf.mul(scores, tf.eye(2)), 1)));
      }) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let step = 0; step < 15; step++) {
      tf.tidy(() => void optimizer.minimize(loss, false, towerVariables(model, "query")));
    }
    const last = tf.tidy(() => loss().dataSync()[0]!);
    assert(last < first * 0.5, `loss ${first} -> ${last}`);
    assert.deepEqual(towerVariables(model, "document").map((v) => v.arraySync()), documentBefore);
  } finally {
    optimizer.dispose();
    disposeParameters(model.params);
  }
});
