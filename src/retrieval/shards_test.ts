import assert from "node:assert/strict";
import { searchBlocks } from "./block_searcher.ts";
import type { IdEmbeddings } from "./embeddings.ts";
import { mergeShardHits, parseShard, shardRange } from "./shards.ts";
import { createTsBlockSearcher } from "./ts_block_searcher.ts";

Deno.test("shardRange partitions every row exactly once, in order", () => {
  for (const count of [0, 1, 7, 100]) {
    for (const total of [1, 3, 8]) {
      const ranges = Array.from(
        { length: total },
        (_, index) => shardRange(count, { index, total }),
      );
      assert.equal(ranges[0]!.start, 0);
      assert.equal(ranges.at(-1)!.end, count);
      for (let i = 1; i < total; i++) assert.equal(ranges[i]!.start, ranges[i - 1]!.end);
      const sizes = ranges.map((r) => r.end - r.start);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    }
  }
  assert.deepEqual(shardRange(10, { index: 1, total: 3 }), { start: 3, end: 6 });
});

Deno.test("parseShard reads i/n and rejects bad input", () => {
  assert.deepEqual(parseShard("2/4"), { index: 2, total: 4 });
  for (const bad of ["4/4", "1", "-1/2", "a/b", "0/0"]) {
    assert.throws(() => parseShard(bad), RangeError, bad);
  }
});

Deno.test("merging per-shard top-k equals searching the whole corpus", async () => {
  let s = 3;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 3;
  const docs: IdEmbeddings = {
    ids: Array.from({ length: 90 }, (_, i) => `d${(i * 31) % 97}`),
    dims: 4,
    vectors: Float32Array.from({ length: 360 }, rand),
  };
  const queries: IdEmbeddings = {
    ids: ["a", "b"],
    dims: 4,
    vectors: Float32Array.from({ length: 8 }, rand),
  };
  const searcher = createTsBlockSearcher();
  const whole = await searchBlocks(searcher, queries, [docs], { k: 8 });
  const parts = [];
  for (let index = 0; index < 4; index++) {
    const { start, end } = shardRange(90, { index, total: 4 });
    const shard = {
      ids: docs.ids.slice(start, end),
      dims: 4,
      vectors: docs.vectors.subarray(start * 4, end * 4),
    };
    parts.push(await searchBlocks(searcher, queries, [shard], { k: 8 }));
  }
  assert.deepEqual(mergeShardHits(parts, 8), whole);
});
