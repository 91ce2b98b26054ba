import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  type BertConfig,
  type CrossEncoderSpec,
  initModelWeights,
  normalSampler,
} from "../../models/mod.ts";
import { MICRO_BERT } from "../../testing/mod.ts";
import { type CeEngine, loadCeRunner } from "./ce_runner.ts";
import { crossEncoderTargetsCached } from "./targets.ts";
import { type CeTokens, type CrossEncoderTeacher, documentAloneRows, pairRows } from "./teacher.ts";
import type { TrainingExample } from "../train/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const ENCODER: BertConfig = { ...MICRO_BERT, maxPositions: 32 };
const TOKENS: CeTokens = {
  queries: [[5, 6, 7], [8], [9, 10, 11, 12]],
  documents: [[11, 12], [13, 14, 15, 16, 17, 18], [16], [17, 18, 19, 20], [21, 22, 23]],
  clsId: 1,
  sepId: 2,
};
const EXAMPLES: TrainingExample[] = [
  { query: 0, positive: 0, negatives: [3, 4, 1] },
  { query: 0, positive: 1, negatives: [3, 4, 2] },
  { query: 1, positive: 2, negatives: [0, 4, 3] },
  { query: 2, positive: 3, negatives: [1, 0, 4] },
];

/** A teacher whose every tensor is perturbed, so outputs spread well beyond float noise. */
function teacher(scorer: CrossEncoderSpec["scorer"], seed: number): CrossEncoderTeacher {
  const spec: CrossEncoderSpec = { kind: "cross", encoder: ENCODER, scorer, maxLength: 12 };
  const weights = initModelWeights(spec, seed, 0.3);
  const sampler = normalSampler(seed + 1);
  for (const [, t] of weights) {
    for (let i = 0; i < t.data.length; i++) t.data[i]! += 0.1 * sampler.next();
  }
  return { spec, weights };
}

function maxAbsDiff(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): number {
  assert.ok(a !== undefined && b !== undefined && a.length === b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

const SCORERS: readonly CrossEncoderSpec["scorer"][] = [
  { kind: "cls" },
  { kind: "dual-pooling", includeSpecialTokens: false },
  { kind: "dual-pooling", includeSpecialTokens: true },
];

Deno.test("loadCeRunner: ONNX Runtime and tfjs agree on pairs and documents alone", async () => {
  const pairs = EXAMPLES.flatMap((e) => [e.positive, ...e.negatives!].map((d) => [e.query, d]));
  const rows = pairRows(TOKENS, pairs as [number, number][], 12); // truncation included
  const alone = documentAloneRows(TOKENS, [0, 1, 2, 3, 4], 12);
  for (const [n, scorer] of SCORERS.entries()) {
    const t = teacher(scorer, 20 + n);
    const [onnx, tfjs] = await Promise.all(
      (["onnx", "tfjs"] as CeEngine[]).map((e) => loadCeRunner(t, e, { intraOpThreads: 1 })),
    );
    try {
      assert.equal(onnx!.engine, "onnx");
      assert.equal(tfjs!.engine, "tfjs");
      const a = await onnx!.pairs(rows);
      const b = await tfjs!.pairs(rows);
      const what = JSON.stringify(scorer);
      assert.ok(maxAbsDiff(a.scores, b.scores) <= 1e-4, `${what}: scores`);
      assert.ok(Math.max(...a.scores) - Math.min(...a.scores) > 1e-2, `${what}: flat scores`);
      if (scorer.kind === "cls") {
        assert.equal(a.queryEmbeddings, undefined);
        assert.equal(b.queryEmbeddings, undefined);
        await assert.rejects(() => onnx!.documentAlone(alone), /expected "dual-pooling"/);
        continue;
      }
      assert.ok(maxAbsDiff(a.queryEmbeddings, b.queryEmbeddings) <= 1e-4, `${what}: queries`);
      assert.ok(
        maxAbsDiff(a.documentEmbeddings, b.documentEmbeddings) <= 1e-4,
        `${what}: documents`,
      );
      const da = await onnx!.documentAlone(alone);
      assert.equal(da.length, 5 * ENCODER.hiddenSize);
      assert.ok(maxAbsDiff(da, await tfjs!.documentAlone(alone)) <= 1e-4, `${what}: alone`);
    } finally {
      await onnx!.close();
      await tfjs!.close();
    }
  }
});

Deno.test("crossEncoderTargetsCached: the onnx (default) and tfjs engines give the same targets", async () => {
  for (const side of ["document-alone", "pair"] as const) {
    const t = teacher({ kind: "dual-pooling", includeSpecialTokens: false }, 30);
    const run = (engine?: CeEngine) =>
      crossEncoderTargetsCached(t, TOKENS, EXAMPLES, 3, {
        cache: false,
        batchSize: 5,
        documentSide: side,
        ...(engine === undefined ? {} : { engine }),
      });
    const onnx = await run();
    const tfjs = await run("tfjs");
    assert.equal(onnx.hash, tfjs.hash); // the engine is not part of the cache key
    assert.ok(maxAbsDiff(onnx.scores.vectors, tfjs.scores.vectors) <= 1e-4, `${side}: scores`);
    assert.ok(maxAbsDiff(onnx.queries?.vectors, tfjs.queries?.vectors) <= 1e-4, side);
    if (side === "pair") {
      assert.ok(maxAbsDiff(onnx.pairDocuments?.vectors, tfjs.pairDocuments?.vectors) <= 1e-4);
    } else {
      assert.ok(maxAbsDiff(onnx.documents?.vectors, tfjs.documents?.vectors) <= 1e-4);
    }
  }
});
