import assert from "node:assert/strict";
import { initEngine } from "../../engine/mod.ts";
import { type CrossEncoderSpec, initModelWeights } from "../../models/mod.ts";
import { candidateLists } from "./candidates.ts";
import type { CeTokens } from "./teacher.ts";
import { trainCrossEncoder } from "./train.ts";
import { encoderConfig, tinyTask } from "../../testing/mod.ts";

await initEngine();

Deno.test("a cross-encoder trained on candidate lists lowers its listwise loss, reproducibly", async () => {
  const task = tinyTask({ train: 100, documents: 1500, dev: 20 });
  const ds = task.dataset;
  const text = new Map(ds.queries.map((q) => [q.id, q.text]));
  const tokens: CeTokens = {
    queries: ds.splits.train.map((id) => task.tokenizer.tokenIds(text.get(id)!)),
    documents: ds.documents.map((d) => task.tokenizer.tokenIds(d.text)),
    clsId: task.tokenizer.clsId,
    sepId: task.tokenizer.sepId,
  };
  const relevant = new Map<number, Set<number>>();
  for (const e of task.data.examples) {
    relevant.set(e.query, (relevant.get(e.query) ?? new Set()).add(e.positive));
  }
  const examples = await candidateLists(
    { examples: task.data.examples, relevant, documentCount: ds.documents.length },
    3,
    { kind: "random", seed: 1 },
  );
  const spec: CrossEncoderSpec = {
    kind: "cross",
    encoder: encoderConfig(task.vocabSize, 16, 1, 2),
    scorer: { kind: "dual-pooling", includeSpecialTokens: false },
    maxLength: 48,
  };
  const initial = { spec, weights: initModelWeights(spec, 9) };
  const options = { steps: 40, batchSize: 8, seed: 3, negatives: 3, learningRate: 3e-3 };
  const a = await trainCrossEncoder(initial, tokens, examples, options);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const first = mean(a.losses.slice(0, 8));
  const last = mean(a.losses.slice(-8));
  assert.ok(last < first, `${first} -> ${last}`);
  assert.ok(Math.abs(first - Math.log(4)) < 0.5, `initial loss ${first} vs log 4`);
  const b = await trainCrossEncoder(initial, tokens, examples, options);
  assert.deepEqual(b.losses, a.losses);
  assert.deepEqual(
    b.teacher.weights.get("embeddings.word_embeddings.weight")!.data,
    a.teacher.weights.get("embeddings.word_embeddings.weight")!.data,
  );
  await assert.rejects(
    () => trainCrossEncoder(initial, tokens, examples, { ...options, negatives: 4 }),
    RangeError,
  );
});

Deno.test("the document-alone regulariser: dual pooling only; a step equals listwise + w x in-batch", async () => {
  const task = tinyTask({ train: 100, documents: 1500, dev: 20 });
  const ds = task.dataset;
  const text = new Map(ds.queries.map((q) => [q.id, q.text]));
  const tokens: CeTokens = {
    queries: ds.splits.train.map((id) => task.tokenizer.tokenIds(text.get(id)!)),
    documents: ds.documents.map((d) => task.tokenizer.tokenIds(d.text)),
    clsId: task.tokenizer.clsId,
    sepId: task.tokenizer.sepId,
  };
  const examples = await candidateLists(
    { examples: task.data.examples, relevant: new Map(), documentCount: ds.documents.length },
    2,
    { kind: "random", seed: 2 },
  );
  const spec = (scorer: CrossEncoderSpec["scorer"]): CrossEncoderSpec => ({
    kind: "cross",
    encoder: encoderConfig(task.vocabSize, 8, 1, 2),
    scorer,
    maxLength: 32,
  });
  const cls = spec({ kind: "cls" });
  const options = { steps: 1, batchSize: 4, seed: 1, negatives: 2 };
  await assert.rejects(
    () =>
      trainCrossEncoder({ spec: cls, weights: initModelWeights(cls, 1) }, tokens, examples, {
        ...options,
        documentAloneWeight: 1,
      }),
    TypeError,
  );
  // The first loss (before any update) decomposes: w = 0 gives the listwise term alone, w = 1
  // and w = 2 add the in-batch term once and twice.
  const dual = spec({ kind: "dual-pooling", includeSpecialTokens: false });
  const initial = { spec: dual, weights: initModelWeights(dual, 2) };
  const at = async (w: number) =>
    (await trainCrossEncoder(initial, tokens, examples, { ...options, documentAloneWeight: w }))
      .losses[0]!;
  const [l0, l1, l2] = [await at(0), await at(1), await at(2)];
  assert.ok(l1 > l0);
  assert.ok(Math.abs((l2 - l0) - 2 * (l1 - l0)) < 1e-4, `${l0} ${l1} ${l2}`);
});
