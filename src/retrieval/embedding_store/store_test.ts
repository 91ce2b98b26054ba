import assert from "node:assert/strict";
import { join } from "node:path";
import { EmbeddingStore } from "./reader.ts";
import { EmbeddingStoreWriter, writeEmbeddingStore } from "./writer.ts";
import type { IdEmbeddings } from "../embeddings.ts";
import { float16BitsToFloat32, float32ToFloat16Bits } from "../../io/mod.ts";

function matrix(rows: number, dims: number, seed: number): IdEmbeddings {
  let s = seed;
  const vectors = Float32Array.from({ length: rows * dims }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return { ids: Array.from({ length: rows }, (_, i) => `doc ${i}`), dims, vectors };
}

async function collect(store: EmbeddingStore, rows: number) {
  const sizes: number[] = [];
  const ids: string[] = [];
  const parts: Float32Array[] = [];
  for await (const block of store.blocks({ rows })) {
    sizes.push(block.ids.length);
    ids.push(...block.ids);
    parts.push(block.vectors);
  }
  const vectors = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) (vectors.set(p, offset), offset += p.length);
  return { sizes, ids, vectors };
}

Deno.test("a float32 store round-trips bit-exactly, block by block", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = matrix(23, 5, 1);
    const header = await writeEmbeddingStore(dir, data);
    assert.equal(header.count, 23);
    const store = await EmbeddingStore.open(dir);
    assert.deepEqual(store.header, header);
    const read = await collect(store, 10);
    assert.deepEqual(read.sizes, [10, 10, 3]);
    assert.deepEqual(read.ids, data.ids);
    assert.deepEqual(read.vectors, data.vectors);
    assert.equal((await Deno.stat(join(dir, header.vectors))).size, 23 * 5 * 4);
    const ranged = [];
    for await (const block of store.blocks({ rows: 4 }, { start: 9, end: 18 })) ranged.push(block);
    assert.deepEqual(ranged.map((b) => b.ids.length), [4, 4, 1]);
    assert.deepEqual(ranged.flatMap((b) => b.ids), data.ids.slice(9, 18));
    assert.deepEqual(ranged[0]!.vectors, data.vectors.slice(45, 65));
    await assert.rejects(async () => {
      for await (const _ of store.blocks({}, { start: 5, end: 24 })) { /* unreachable */ }
    }, /rows \[5, 24\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a float16 store holds each value rounded to the nearest half", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = matrix(9, 4, 2);
    data.vectors[0] = 1 + 2 ** -11; // a tie: rounds to even, i.e. 1
    const writer = await EmbeddingStoreWriter.create(dir, { dims: 4, dtype: "float16" });
    await writer.append({
      ids: data.ids.slice(0, 4),
      dims: 4,
      vectors: data.vectors.subarray(0, 16),
    });
    await writer.append({ ids: data.ids.slice(4), dims: 4, vectors: data.vectors.subarray(16) });
    const header = await writer.finish();
    assert.equal((await Deno.stat(join(dir, header.vectors))).size, 9 * 4 * 2);
    const raw = new Uint16Array((await Deno.readFile(join(dir, header.vectors))).buffer);
    assert.equal(raw[0], 0x3c00);
    const read = await collect(await EmbeddingStore.open(dir), 4);
    assert.deepEqual(read.ids, data.ids);
    for (let i = 0; i < data.vectors.length; i++) {
      const expected = float16BitsToFloat32(float32ToFloat16Bits(data.vectors[i]!));
      assert.equal(read.vectors[i], expected);
      assert.ok(Math.abs(read.vectors[i]! - data.vectors[i]!) <= 2 ** -11);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rewriting a store replaces it atomically and removes the old files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await writeEmbeddingStore(dir, matrix(3, 2, 3));
    const second = await writeEmbeddingStore(dir, matrix(5, 2, 4), "float16");
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names.sort(), ["header.json", second.ids, second.vectors].sort());
    assert.notEqual(first.vectors, second.vectors);
    assert.equal((await EmbeddingStore.open(dir)).count, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a store with a bad header or a truncated file gives a clear error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(() => EmbeddingStore.open(dir), /no header\.json/);
    const header = await writeEmbeddingStore(dir, matrix(4, 3, 5));
    const vectors = join(dir, header.vectors);
    await Deno.rename(vectors, vectors + ".moved");
    await assert.rejects(
      () => EmbeddingStore.open(dir),
      /vector file ".*" named by its header is missing/,
    );
    await Deno.rename(vectors + ".moved", vectors);
    await Deno.truncate(vectors, 20);
    await assert.rejects(() => EmbeddingStore.open(dir), /has 20 bytes, expected 48/);
    await Deno.writeTextFile(
      join(dir, "header.json"),
      JSON.stringify({ ...header, dtype: "int8" }),
    );
    await assert.rejects(() => EmbeddingStore.open(dir), SyntaxError);
    const writer = await EmbeddingStoreWriter.create(dir, { dims: 3 });
    await assert.rejects(
      () => writer.append({ ids: ["a\nb"], dims: 3, vectors: new Float32Array(3) }),
      /line break/,
    );
    await writer.abort();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
