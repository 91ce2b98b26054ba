import assert from "node:assert/strict";
import type { BertConfig, DualEncoderSpec } from "./mod.ts";
import { initModelWeights, parameterCount, sizeRatio } from "./mod.ts";

const encoder = (h: number, layers: number, vocab = 100): BertConfig => ({
  vocabSize: vocab,
  hiddenSize: h,
  numLayers: layers,
  numHeads: 2,
  intermediateSize: 4 * h,
  maxPositions: 32,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
});

function dual(query: BertConfig, document?: BertConfig): DualEncoderSpec {
  return {
    kind: "dual",
    towers: document === undefined
      ? { kind: "shared", tower: { encoder: query } }
      : { kind: "separate", query: { encoder: query }, document: { encoder: document } },
    pooling: "mean",
    similarity: { kind: "dot" },
    queryMaxLength: 8,
    documentMaxLength: 16,
  };
}

function weightCount(spec: DualEncoderSpec): number {
  return [...initModelWeights(spec, 1).values()].reduce((a, t) => a + t.data.length, 0);
}

Deno.test("parameterCount: towers with and without the word-embedding table, totals match the weights", () => {
  const shared = dual(encoder(16, 2));
  const c = parameterCount(shared);
  assert.equal(c.kind, "dual");
  if (c.kind !== "dual") return;
  assert.equal(c.shared, true);
  assert.equal(c.query.embeddingTable, 100 * 16);
  assert.equal(c.query.total, weightCount(shared));
  assert.equal(c.total, c.query.total);
  assert.equal(c.query.withoutEmbeddingTable, c.query.total - 1600);
  assert.deepEqual(c.document, c.query);

  const separate = dual(encoder(16, 1, 50), encoder(16, 2));
  const s = parameterCount(separate);
  assert.ok(s.kind === "dual");
  if (s.kind !== "dual") return;
  assert.equal(s.shared, false);
  assert.equal(s.document.total, c.query.total);
  assert.equal(s.query.embeddingTable, 50 * 16);
  assert.equal(s.total, s.query.total + s.document.total);
  assert.equal(s.total, weightCount(separate));
  const ratio = sizeRatio(s, c);
  assert.equal(ratio.withEmbeddingTable, s.query.total / c.query.total);
  assert.equal(
    ratio.withoutEmbeddingTable,
    s.query.withoutEmbeddingTable / c.query.withoutEmbeddingTable,
  );
});

Deno.test("parameterCount: a cross-encoder counts its one encoder and its head", () => {
  const e = encoder(16, 1);
  const c = parameterCount({ kind: "cross", encoder: e, scorer: { kind: "cls" }, maxLength: 16 });
  assert.ok(c.kind === "cross");
  if (c.kind !== "cross") return;
  const body = parameterCount(dual(e));
  assert.ok(body.kind === "dual");
  if (body.kind !== "dual") return;
  // pooler dense (16 x 16 + 16) + classifier (16 + 1)
  assert.equal(c.encoder.total, body.query.total + 16 * 16 + 16 + 16 + 1);
  assert.equal(c.encoder.embeddingTable, 1600);
});
