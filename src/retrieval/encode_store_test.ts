import assert from "node:assert/strict";
import { join } from "node:path";
import { exportBertEncoder, OnnxEncoder } from "../models/onnx/mod.ts";
import { randomBertWeights, randomTokenIds, TINY_BERT } from "../testing/mod.ts";
import { EmbeddingStore } from "./embedding_store/mod.ts";
import { encodeToStore } from "./encode_store.ts";

Deno.test("encodeToStore writes an ONNX encoder's embeddings chunk by chunk in corpus order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await exportBertEncoder(join(dir, "model"), randomBertWeights(TINY_BERT, 8), TINY_BERT, {
      pooling: "mean",
      normalize: true,
      docMaxLength: 24,
    });
    const encoder = await OnnxEncoder.load(join(dir, "model"), { session: { intraOpThreads: 1 } });
    try {
      const lengths = Array.from({ length: 23 }, (_, i) => 1 + ((i * 7) % 24));
      const tokens = randomTokenIds(TINY_BERT.vocabSize, lengths, 9);
      const docs = tokens.map((t, i) => ({ id: `doc-${i}`, tokens: t }));
      const progress: number[] = [];
      const header = await encodeToStore(encoder, docs, join(dir, "store"), {
        chunkSize: 10,
        batchSize: 4,
        onProgress: (n) => progress.push(n),
      });
      assert.deepEqual(progress, [10, 20, 23]);
      assert.equal(header.count, 23);
      const stored = await (await EmbeddingStore.open(join(dir, "store"))).readAll();
      assert.deepEqual(stored.ids, docs.map((d) => d.id));
      const direct = await encoder.encodeDocuments(tokens);
      for (let i = 0; i < direct.vectors.length; i++) {
        assert.ok(Math.abs(stored.vectors[i]! - direct.vectors[i]!) < 1e-5, `value ${i}`);
      }
      await assert.rejects(() => encodeToStore(encoder, [], join(dir, "empty")), /no documents/);
      await assert.rejects(
        () =>
          encodeToStore(encoder, [{ id: "long", tokens: new Array(30).fill(1) }], join(dir, "bad")),
        /sequence 0: it has 30 tokens/,
      );
    } finally {
      await encoder.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
