import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSplit } from "../data/mod.ts";
import {
  type CrossEncoderSpec,
  initModelWeights,
  loadModelDir,
  normalSampler,
  saveModelDir,
} from "../models/mod.ts";
import { saveTokenizerJson } from "../text/mod.ts";
import { searchFixture } from "../testing/mod.ts";
import { loadPairScorer } from "./cross_encoder_scorer.ts";

Deno.test("loadPairScorer: ONNX Runtime (default) and tfjs give the same scores, cls and dual pooling", async () => {
  const fx = await searchFixture({ test: 6 });
  try {
    // A cls and a dual-pooling CE on the fixture CE's encoder, with perturbed weights so that
    // scores spread well beyond float noise.
    const { spec: fixture } = await loadModelDir(fx.crossEncoder);
    assert.equal(fixture.kind, "cross");
    const dirs: string[] = [];
    for (const scorer of [{ kind: "cls" }, { kind: "dual-pooling", includeSpecialTokens: false }]) {
      const spec = { ...fixture, scorer } as CrossEncoderSpec;
      const weights = initModelWeights(spec, 9, 0.3);
      const sampler = normalSampler(10);
      for (const [, t] of weights) {
        for (let i = 0; i < t.data.length; i++) t.data[i]! += 0.1 * sampler.next();
      }
      const dir = join(fx.root, scorer.kind);
      await saveModelDir(dir, spec, weights);
      await saveTokenizerJson(join(dir, "tokenizer.json"), fx.task.tokenizer.config);
      dirs.push(dir);
    }

    const split = await loadSplit({ kind: "dir", path: fx.data }, "test");
    const docs = split.corpus.slice(0, 23); // batches of 5 leave a short last batch
    for (const dir of dirs) {
      const onnx = await loadPairScorer(dir, { batchSize: 5, session: { intraOpThreads: 1 } });
      const tfjs = await loadPairScorer(dir, { batchSize: 5, engine: "tfjs" });
      try {
        assert.equal(onnx.engine, "onnx");
        assert.equal(onnx.session?.intraOpThreads, 1);
        assert.equal(tfjs.engine, "tfjs");
        assert.equal(tfjs.session, undefined);
        let max = 0;
        for (const query of split.queries) {
          const a = await onnx.score(query.text, docs);
          const b = await tfjs.score(query.text, docs);
          assert.equal(a.length, docs.length);
          assert.equal(b.length, docs.length);
          for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
          const tokens = onnx.tokenize(query.text, docs);
          assert.deepEqual(await onnx.scoreTokens(tokens), a);
          // Batches run longest first; scores come back in input order (each pair scored alone).
          const lengths = tokens.batches.flatMap((b) => Array.from(b.lengths));
          assert.deepEqual(lengths, [...lengths].sort((x, y) => y - x));
          assert.notDeepEqual(Array.from(tokens.order), Array.from(docs.keys())); // permuted
          for (const i of [0, 7, 22]) {
            const [alone] = await onnx.score(query.text, [docs[i]!]);
            assert.ok(Math.abs(alone! - a[i]!) <= 1e-5, `${dir}: pair ${i} out of order`);
          }
        }
        assert.ok(max <= 1e-4, `${dir}: onnx vs tfjs max abs diff ${max}`);
        const spread = await onnx.score(split.queries[0]!.text, docs);
        assert.ok(Math.max(...spread) - Math.min(...spread) > 1e-2, `${dir}: flat scores`);
      } finally {
        await onnx.close();
        await tfjs.close();
      }
    }
    await assert.rejects(
      () => loadPairScorer(fx.crossEncoder, { engine: "gpu" as "onnx" }),
      /engine "gpu"/,
    );
  } finally {
    await Deno.remove(fx.root, { recursive: true });
  }
});
