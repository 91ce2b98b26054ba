import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  type BertConfig,
  createCrossEncoder,
  crossEncoderForward,
  type CrossEncoderSpec,
  disposeParameters,
  initModelWeights,
  type TokenBatch,
} from "../../models/mod.ts";
import { MICRO_BERT, referenceForward, referencePool } from "../../testing/mod.ts";
import {
  crossEncoderDocumentAlone,
  crossEncoderQueryAlone,
  documentAloneBatch,
} from "./pooled_targets.ts";
import { queryAloneRows } from "./teacher.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const ENCODER: BertConfig = { ...MICRO_BERT, numLayers: 1, maxPositions: 16 };
const CLS = 1;
const SEP = 2;

function spec(includeSpecialTokens: boolean): CrossEncoderSpec {
  return {
    kind: "cross",
    encoder: ENCODER,
    scorer: { kind: "dual-pooling", includeSpecialTokens },
    maxLength: 16,
  };
}

/** Rows `[CLS] q [SEP] d [SEP]` right-padded to one width. */
function pairBatch(pairs: readonly (readonly [number[], number[]])[]): TokenBatch {
  const rows = pairs.map(([q, d]) => ({
    ids: [CLS, ...q, SEP, ...d, SEP],
    types: [0, ...q.map(() => 0), 0, ...d.map(() => 1), 1],
  }));
  const width = Math.max(...rows.map((r) => r.ids.length));
  const pad = (xs: number[], fill: number) => [...xs, ...Array(width - xs.length).fill(fill)];
  return {
    shape: [rows.length, width],
    inputIds: rows.flatMap((r) => pad(r.ids, 0)),
    attentionMask: rows.flatMap((r) => pad(r.ids.map(() => 1), 0)),
    tokenTypeIds: rows.flatMap((r) => pad(r.types, 0)),
  };
}

const PAIRS: readonly (readonly [number[], number[]])[] = [
  [[5, 6, 7], [10, 11]],
  [[8], [12, 13, 14, 15]],
];

Deno.test("documentAloneBatch keeps [CLS], the first [SEP] and the document segment", () => {
  const docs = documentAloneBatch(pairBatch(PAIRS));
  assert.deepEqual(docs.shape, [2, 7]);
  assert.deepEqual(Array.from(docs.inputIds), [1, 2, 10, 11, 2, 0, 0, 1, 2, 12, 13, 14, 15, 2]);
  assert.deepEqual(Array.from(docs.attentionMask), [1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(docs.tokenTypeIds!), [0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  assert.throws(
    () => documentAloneBatch({ shape: [1, 2], inputIds: [1, 2], attentionMask: [1, 1] }),
    TypeError,
  );
  assert.throws(
    () =>
      documentAloneBatch({
        shape: [1, 3],
        inputIds: [1, 2, 3],
        attentionMask: [1, 1, 1],
        tokenTypeIds: [0, 0, 0],
      }),
    RangeError,
  );
});

Deno.test("document-alone embeddings match the float64 reference (special tokens excluded)", () => {
  const s = spec(false);
  const weights = initModelWeights(s, 5);
  const model = createCrossEncoder(s, weights);
  const docs = documentAloneBatch(pairBatch(PAIRS));
  const got = crossEncoderDocumentAlone(model, docs);
  const [b, w] = docs.shape;
  const rows = (xs: ArrayLike<number>) =>
    Array.from({ length: b }, (_, r) => Array.from({ length: w }, (_, t) => xs[r * w + t]!));
  const ids = rows(docs.inputIds);
  const mask = rows(docs.attentionMask);
  const types = rows(docs.tokenTypeIds!);
  const hidden = referenceForward(ENCODER, weights, {
    inputIds: ids,
    attentionMask: mask,
    tokenTypeIds: types,
  });
  const data = got.dataSync();
  hidden.forEach((h, r) => {
    // Document segment without its final [SEP]: positions 2 .. last - 1.
    const last = mask[r]!.lastIndexOf(1);
    const poolMask = mask[r]!.map((_, t) => (t >= 2 && t < last ? 1 : 0));
    const expected = referencePool(h, ENCODER.hiddenSize, poolMask, "mean");
    expected.forEach((x, i) => {
      assert.ok(Math.abs(x - data[r * ENCODER.hiddenSize + i]!) < 1e-4, `row ${r} dim ${i}`);
    });
  });
  got.dispose();
  disposeParameters(model.params);
});

Deno.test("query-alone embeddings: [CLS] q [SEP] rows pooled over q, as the float64 reference", () => {
  const s = spec(false);
  const weights = initModelWeights(s, 7);
  const model = createCrossEncoder(s, weights);
  const tokens = { queries: [[5, 6, 7], [8]], documents: [], clsId: CLS, sepId: SEP };
  const rows = queryAloneRows(tokens, [0, 1], 16);
  assert.deepEqual(Array.from(rows.inputIds), [CLS, 5, 6, 7, SEP, CLS, 8, SEP, 0, 0]);
  assert.deepEqual(Array.from(rows.tokenTypeIds!), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const got = crossEncoderQueryAlone(model, rows).dataSync();
  const ids = [[CLS, 5, 6, 7, SEP], [CLS, 8, SEP, 0, 0]];
  const mask = [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]];
  const hidden = referenceForward(ENCODER, weights, {
    inputIds: ids,
    attentionMask: mask,
    tokenTypeIds: [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]],
  });
  const poolMasks = [[0, 1, 1, 1, 0], [0, 1, 0, 0, 0]];
  hidden.forEach((h, r) => {
    const expected = referencePool(h, ENCODER.hiddenSize, poolMasks[r]!, "mean");
    expected.forEach((x, i) => {
      assert.ok(Math.abs(x - got[r * ENCODER.hiddenSize + i]!) < 1e-4, `row ${r} dim ${i}`);
    });
  });
  disposeParameters(model.params);
});

Deno.test("with special tokens, document-alone equals the CE's own dual pooling of those rows", () => {
  const s = spec(true);
  const model = createCrossEncoder(s, initModelWeights(s, 6));
  const docs = documentAloneBatch(pairBatch(PAIRS));
  const ours = crossEncoderDocumentAlone(model, docs);
  const out = crossEncoderForward(model, docs);
  assert.equal(out.kind, "dual-pooling");
  if (out.kind !== "dual-pooling") return;
  const a = ours.dataSync();
  const b = out.documentEmbeddings.dataSync();
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-6, `${i}`));
  tf.dispose([ours, out.scores, out.queryEmbeddings, out.documentEmbeddings]);
  disposeParameters(model.params);
});

Deno.test("CE targets: document-alone is query-independent, the pair's document embedding is not", () => {
  const s = spec(false);
  const model = createCrossEncoder(s, initModelWeights(s, 7));
  const a = pairBatch([[[5, 6], [10, 11, 12]]]);
  const b = pairBatch([[[20, 21, 22, 23], [10, 11, 12]]]);
  const alone = [a, b].map((batch) => crossEncoderDocumentAlone(model, documentAloneBatch(batch)));
  const pair = [a, b].map((batch) => crossEncoderForward(model, batch));
  const diff = (x: tf.Tensor, y: tf.Tensor) => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]!;
  assert.ok(diff(alone[0]!, alone[1]!) < 1e-6);
  const [pa, pb] = pair;
  if (pa?.kind !== "dual-pooling" || pb?.kind !== "dual-pooling") {
    throw new TypeError("expected dual pooling");
  }
  assert.ok(diff(pa.documentEmbeddings, pb.documentEmbeddings) > 1e-3);
  tf.dispose([
    ...alone,
    ...[pa, pb].flatMap((p) => [p.scores, p.queryEmbeddings, p.documentEmbeddings]),
  ]);
  disposeParameters(model.params);
});

Deno.test("CE document-alone targets need a dual-pooling scorer", () => {
  const s: CrossEncoderSpec = { ...spec(true), scorer: { kind: "cls" } };
  const model = createCrossEncoder(s, initModelWeights(s, 8));
  assert.throws(() => crossEncoderDocumentAlone(model, pairBatch(PAIRS)), TypeError);
  disposeParameters(model.params);
});

Deno.test("CE document-alone targets leak no tensors", () => {
  const s = spec(false);
  const model = createCrossEncoder(s, initModelWeights(s, 9));
  const before = tf.memory().numTensors;
  crossEncoderDocumentAlone(model, documentAloneBatch(pairBatch(PAIRS))).dispose();
  assert.equal(tf.memory().numTensors, before);
  disposeParameters(model.params);
});
