import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { qrelsFromJudgments, runFromRankings } from "../../eval/mod.ts";
import {
  createCrossEncoder,
  crossEncoderForward,
  type CrossEncoderSpec,
  disposeParameters,
  initModelWeights,
} from "../../models/mod.ts";
import { MICRO_BERT } from "../../testing/mod.ts";
import { diagnoseCrossEncoder, meanAgreement } from "./diagnose.ts";
import { crossEncoderDocumentAlone, crossEncoderQueryAlone } from "./pooled_targets.ts";
import { documentAloneRows, pairRows, queryAloneRows } from "./teacher.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

Deno.test("meanAgreement: hand-computed Pearson and Spearman, ties at their average rank", () => {
  assert.deepEqual(meanAgreement([{ a: [1, 2, 3], b: [2, 4, 6] }]), { pearson: 1, spearman: 1 });
  assert.deepEqual(meanAgreement([{ a: [1, 2, 3], b: [3, 2, 1] }]), {
    pearson: -1,
    spearman: -1,
  });
  // a = [1, 2, 3, 4], b = [1, 1, 2, 10]: Spearman on ranks [1.5, 1.5, 3, 4].
  const { pearson, spearman } = meanAgreement([{ a: [1, 2, 3, 4], b: [1, 1, 2, 10] }]);
  const expectedSpearman = 4.5 / Math.sqrt(5 * 4.5);
  assert.ok(Math.abs(spearman - expectedSpearman) < 1e-12, `${spearman}`);
  assert.ok(pearson > 0.8 && pearson < 1);
  // Lists of one entry say nothing and are left out.
  assert.deepEqual(meanAgreement([{ a: [1], b: [2] }]), { pearson: 0, spearman: 0 });
});

Deno.test("diagnoseCrossEncoder: re-ranking by the CE's pair scores and by its alone embeddings, each as scored directly", () => {
  const spec: CrossEncoderSpec = {
    kind: "cross",
    encoder: { ...MICRO_BERT, vocabSize: 20, numLayers: 1, maxPositions: 16 },
    scorer: { kind: "dual-pooling", includeSpecialTokens: false },
    maxLength: 16,
  };
  const weights = initModelWeights(spec, 11);
  const tokens = {
    queries: [[5, 6], [7], [8, 9, 10]],
    documents: [[11, 12], [13], [14, 15, 16], [17], [5, 7, 9]],
    clsId: 1,
    sepId: 2,
  };
  const queryIds = ["q0", "q1", "q2"];
  const documentIds = ["d0", "d1", "d2", "d3", "d4"];
  const qrels = qrelsFromJudgments([
    { queryId: "q0", docId: "d1", label: 1 },
    { queryId: "q1", docId: "d4", label: 1 },
    { queryId: "q2", docId: "d2", label: 1 },
  ]);
  const lists = [[0, 1, 2], [3, 4, 0], [2, 1, 4]];
  const candidates = runFromRankings(
    lists.map((l, q) => [queryIds[q]!, l.map((d, i) => ({ docId: documentIds[d]!, score: -i }))]),
  );
  const result = diagnoseCrossEncoder({
    teacher: { spec, weights },
    tokens,
    queryIds,
    documentIds,
    qrels,
    candidates,
    measures: ["RR@10"],
    batchSize: 2,
  });
  // Independent paths: the pair scores and the alone embeddings computed here directly.
  const model = createCrossEncoder(spec, weights);
  const pairs = lists.flatMap((l, q) => l.map((d) => [q, d] as [number, number]));
  const out = crossEncoderForward(model, pairRows(tokens, pairs, 16));
  const pairScores = out.scores.dataSync();
  const q = crossEncoderQueryAlone(model, queryAloneRows(tokens, [0, 1, 2], 16)).arraySync();
  const d = crossEncoderDocumentAlone(model, documentAloneRows(tokens, [0, 1, 2, 3, 4], 16))
    .arraySync();
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  const rr = (scores: number[][]) =>
    scores.map((row, qi) => {
      const order = lists[qi]!.map((doc, i) => ({ doc, s: row[i]! })).sort((x, y) => y.s - x.s);
      const relevant = ["d1", "d4", "d2"][qi];
      const rank = order.findIndex((x) => documentIds[x.doc] === relevant);
      return rank < 0 ? 0 : 1 / (rank + 1);
    }).reduce((a, b) => a + b, 0) / 3;
  let at = 0;
  const pairRows2 = lists.map((l) => l.map(() => pairScores[at++]!));
  const aloneRows = lists.map((l, qi) => l.map((doc) => dot(q[qi]!, d[doc]!)));
  assert.ok(Math.abs(result.rerank["RR@10"]! - rr(pairRows2)) < 1e-12);
  assert.ok(Math.abs(result.aloneRerank["RR@10"]! - rr(aloneRows)) < 1e-12);
  // Retrieval over the whole corpus by the alone embeddings, brute force.
  const full = [0, 1, 2].map((qi) => {
    const order = [0, 1, 2, 3, 4].sort((x, y) => dot(q[qi]!, d[y]!) - dot(q[qi]!, d[x]!));
    const relevant = ["d1", "d4", "d2"][qi];
    return 1 / (order.findIndex((x) => documentIds[x] === relevant) + 1);
  }).reduce((a, b) => a + b, 0) / 3;
  assert.ok(Math.abs(result.aloneRetrieval["RR@10"]! - full) < 1e-12);
  assert.equal(result.depth, 3);
  assert.equal(result.scorer, "dual-pooling");
  assert.ok(Math.abs(result.retained - full / rr(pairRows2)) < 1e-12);
  assert.equal(result.documents.rows, 5);
  assert.equal(result.queries.dims, MICRO_BERT.hiddenSize);
  tf.dispose([out.scores]);
  if (out.kind === "dual-pooling") tf.dispose([out.queryEmbeddings, out.documentEmbeddings]);
  disposeParameters(model.params);
  assert.throws(
    () =>
      diagnoseCrossEncoder({
        teacher: { spec, weights },
        tokens,
        queryIds,
        documentIds,
        qrels,
        candidates: runFromRankings([["q0", [{ docId: "nope", score: 1 }]]]),
        measures: ["RR@10"],
      }),
    /document "nope" for query "q0", which is not in the corpus/,
  );
});
