import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import {
  type BertConfig,
  createCrossEncoder,
  type CrossEncoderSpec,
  disposeParameters,
  initModelWeights,
} from "../../models/mod.ts";
import { MICRO_BERT, referenceCrossForward } from "../../testing/mod.ts";
import { crossEncoderScoreMatrix } from "./in_batch.ts";
import { crossEncoderTargetsCached } from "./targets.ts";
import { type CeTokens, type CrossEncoderTeacher, documentAloneRows, pairRows } from "./teacher.ts";
import { crossEncoderDocumentAlone, documentAloneBatch } from "./pooled_targets.ts";
import type { TrainingExample } from "../train/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const ENCODER: BertConfig = { ...MICRO_BERT, numLayers: 1, maxPositions: 32 };
const CLS = 1;
const SEP = 2;
const TOKENS: CeTokens = {
  queries: [[5, 6, 7], [8], [9, 10]],
  documents: [[11, 12], [13, 14, 15], [16], [17, 18, 19, 20], [21, 22]],
  clsId: CLS,
  sepId: SEP,
};
/** Query 0 has two positives; query 2 has no example. */
const EXAMPLES: TrainingExample[] = [
  { query: 0, positive: 0, negatives: [3, 4] },
  { query: 0, positive: 1, negatives: [3, 4] },
  { query: 1, positive: 2, negatives: [0, 4] },
];

function teacher(scorer: CrossEncoderSpec["scorer"], seed: number): CrossEncoderTeacher {
  const spec: CrossEncoderSpec = { kind: "cross", encoder: ENCODER, scorer, maxLength: 16 };
  return { spec, weights: initModelWeights(spec, seed) };
}

/** The float64 reference of one pair, rows built by hand. */
function reference(t: CrossEncoderTeacher, q: number, d: number) {
  const qs = Array.from(TOKENS.queries[q]!);
  const ds = Array.from(TOKENS.documents[d]!);
  const ids = [CLS, ...qs, SEP, ...ds, SEP];
  const types = [0, ...qs.map(() => 0), 0, ...ds.map(() => 1), 1];
  const out = referenceCrossForward(t.spec, t.weights, {
    inputIds: [ids],
    attentionMask: [ids.map(() => 1)],
    tokenTypeIds: [types],
  });
  return {
    score: out.scores[0]!,
    query: out.queryEmbeddings?.[0],
    document: out.documentEmbeddings?.[0],
  };
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 1e-4) {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    assert.ok(Math.abs(got[i]! - want[i]!) < tol, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

Deno.test("pairRows truncates longest_first and marks segments; documentAloneRows drops the query", () => {
  const tokens: CeTokens = {
    queries: [[5, 6, 7, 8, 9]],
    documents: [[10, 11, 12, 13, 14, 15]],
    clsId: 1,
    sepId: 2,
  };
  // Budget 8 - 3 = 5: HF longest_first keeps 2 query and 3 document tokens.
  const b = pairRows(tokens, [[0, 0]], 8);
  assert.deepEqual(Array.from(b.inputIds), [1, 5, 6, 2, 10, 11, 12, 2]);
  assert.deepEqual(Array.from(b.tokenTypeIds!), [0, 0, 0, 0, 1, 1, 1, 1]);
  const alone = documentAloneRows(tokens, [0], 8);
  assert.deepEqual(Array.from(alone.inputIds), [1, 2, 10, 11, 12, 13, 14, 2]);
  assert.deepEqual(Array.from(alone.tokenTypeIds!), [0, 0, 1, 1, 1, 1, 1, 1]);
});

Deno.test("dual-pooling CE targets match the float64 reference; the second call is a cache hit", async () => {
  const home = await Deno.makeTempDir({ prefix: "embeddistill-ce-targets-" });
  try {
    const t = teacher({ kind: "dual-pooling", includeSpecialTokens: false }, 3);
    const first = await crossEncoderTargetsCached(t, TOKENS, EXAMPLES, 2, { home, batchSize: 4 });
    assert.equal(first.cached, false);
    assert.equal(first.width, 3);
    assert.deepEqual([first.scores.count, first.scores.dims], [3, 3]);
    EXAMPLES.forEach((e, row) => {
      [e.positive, ...e.negatives!].forEach((d, j) => {
        const want = reference(t, e.query, d).score;
        close([first.scores.vectors[row * 3 + j]!], [want], `score ${row},${j}`);
      });
    });
    // Query 0's target is the mean over its two positive pairs; query 2 (no example) is zero.
    const a = reference(t, 0, 0).query!;
    const b = reference(t, 0, 1).query!;
    const q = first.queries!;
    close(q.vectors.subarray(0, 8), a.map((x, i) => (x + b[i]!) / 2), "query 0");
    close(q.vectors.subarray(8, 16), reference(t, 1, 2).query!, "query 1");
    close(q.vectors.subarray(16, 24), new Float32Array(8), "query 2");
    // Document-alone embeddings: the CE's pooling of each document with the query removed.
    const model = createCrossEncoder(t.spec, t.weights);
    const alone = crossEncoderDocumentAlone(
      model,
      documentAloneBatch(pairRows(TOKENS, [0, 1, 2, 3, 4].map((d) => [0, d] as const), 16)),
    );
    close(first.documents!.vectors, alone.dataSync(), "document-alone");
    alone.dispose();
    disposeParameters(model.params);
    assert.equal(first.pairDocuments, undefined);

    const again = await crossEncoderTargetsCached(t, TOKENS, EXAMPLES, 2, { home });
    assert.equal(again.cached, true);
    assert.equal(again.hash, first.hash);
    assert.deepEqual(again.scores.vectors, first.scores.vectors);
    assert.deepEqual(again.queries!.vectors, first.queries!.vectors);
    assert.deepEqual(again.documents!.vectors, first.documents!.vectors);
    await Deno.stat(join(home, "artifacts", first.hash, "ce-targets.safetensors"));

    const shorter = await crossEncoderTargetsCached(t, TOKENS, EXAMPLES, 1, { home });
    assert.notEqual(shorter.hash, first.hash); // k is part of the key
    assert.equal(shorter.cached, false);
    assert.deepEqual(
      Array.from(shorter.scores.vectors),
      [0, 1, 3, 4, 6, 7].map((i) => first.scores.vectors[i]!),
    );
    const pair = await crossEncoderTargetsCached(t, TOKENS, EXAMPLES, 2, {
      home,
      documentSide: "pair",
    });
    assert.notEqual(pair.hash, first.hash);
    assert.equal(pair.documents, undefined);
    close(pair.pairDocuments!.vectors.subarray(5 * 8, 6 * 8), reference(t, 0, 4).document!, "pair");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("cls CE targets are scores only; the in-batch matrix scores every query x document", async () => {
  const home = await Deno.makeTempDir({ prefix: "embeddistill-ce-targets-" });
  try {
    const t = teacher({ kind: "cls" }, 4);
    const out = await crossEncoderTargetsCached(t, TOKENS, EXAMPLES, 2, { home });
    assert.equal(out.queries, undefined);
    assert.equal(out.documents, undefined);
    close([out.scores.vectors[4]!], [reference(t, 0, 3).score], "cls score");
    const model = createCrossEncoder(t.spec, t.weights);
    const before = tf.memory().numTensors;
    const m = crossEncoderScoreMatrix(model, TOKENS, [0, 1], [2, 0, 4], 4);
    assert.deepEqual(m.shape, [2, 3]);
    close(
      m.dataSync(),
      [[0, 2], [0, 0], [0, 4], [1, 2], [1, 0], [1, 4]].map(([q, d]) => reference(t, q!, d!).score),
      "in-batch",
    );
    m.dispose();
    assert.equal(tf.memory().numTensors, before);
    disposeParameters(model.params);
    await assert.rejects(
      () => crossEncoderTargetsCached(t, TOKENS, EXAMPLES, 3, { home }),
      RangeError,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
