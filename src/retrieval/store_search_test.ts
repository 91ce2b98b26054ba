import assert from "node:assert/strict";
import { searchBlocks } from "./block_searcher.ts";
import { EmbeddingStore } from "./embedding_store/mod.ts";
import { writeEmbeddingStore } from "./embedding_store/mod.ts";
import type { IdEmbeddings } from "./embeddings.ts";
import { createOrtBlockSearcher } from "./ort_block_searcher.ts";
import { searchStore } from "./store_search.ts";
import { createTsBlockSearcher } from "./ts_block_searcher.ts";

Deno.test("searching a store block by block equals searching it in memory", async () => {
  const dir = await Deno.makeTempDir();
  const ort = await createOrtBlockSearcher({ intraOpThreads: 1 });
  try {
    let s = 11;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 4;
    const docs: IdEmbeddings = {
      ids: Array.from({ length: 200 }, (_, i) => `d${(i * 37) % 211}`),
      dims: 8,
      vectors: Float32Array.from({ length: 200 * 8 }, rand),
    };
    const queries: IdEmbeddings = {
      ids: ["q1", "q2", "q3"],
      dims: 8,
      vectors: Float32Array.from({ length: 24 }, rand),
    };
    for (const dtype of ["float32", "float16"] as const) {
      await writeEmbeddingStore(dir, docs, dtype);
      const store = await EmbeddingStore.open(dir);
      const expected = await searchBlocks(createTsBlockSearcher(), queries, [docs], { k: 7 });
      let blocks = 0;
      for (const searcher of [createTsBlockSearcher(), ort]) {
        const found = await searchStore(searcher, store, queries, {
          k: 7,
          block: { maxBytes: 8 * 4 * 30 },
          onProgress: () => blocks++,
        });
        assert.deepEqual(found, expected, `${searcher.kind} over ${dtype}`);
      }
      assert.equal(blocks, 2 * 7);
    }
    const store = await EmbeddingStore.open(dir);
    await assert.rejects(
      () =>
        searchStore(ort, store, { ids: ["q"], dims: 3, vectors: new Float32Array(3) }, { k: 1 }),
      TypeError,
    );
  } finally {
    await ort.close();
    await Deno.remove(dir, { recursive: true });
  }
});
