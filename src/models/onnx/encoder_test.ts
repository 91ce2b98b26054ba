import assert from "node:assert/strict";
import { join } from "node:path";
import { OnnxEncoder } from "./encoder.ts";
import {
  onnxEncoderConfigJson,
  parseOnnxEncoderConfig,
  writeOnnxEncoderConfig,
} from "./encoder_config.ts";
import { buildBertOnnx, saveOnnxModel } from "./export.ts";
import { exportBertEncoder } from "./encoder_export.ts";
import {
  randomBertWeights,
  randomTokenIds,
  referenceForward,
  referencePool,
  TINY_BERT,
} from "../../testing/mod.ts";

const config = TINY_BERT;
const weights = randomBertWeights(config, 21);
const lengths = [5, 17, 1, 9, 24, 3, 9, 12];
const sequences = randomTokenIds(config.vocabSize, lengths, 4);

/** Float64 reference embedding of one unpadded sequence. */
function reference(ids: number[], pooling: "cls" | "mean", normalize: boolean): Float64Array {
  const mask = ids.map(() => 1);
  const hidden = referenceForward(config, weights, { inputIds: [ids], attentionMask: [mask] })[0]!;
  const v = referencePool(hidden, config.hiddenSize, mask, pooling);
  if (!normalize) return v;
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  return v.map((x) => x / norm);
}

function assertRowsClose(
  vectors: Float32Array,
  dims: number,
  expected: readonly ArrayLike<number>[],
  tolerance: number,
  label: string,
) {
  expected.forEach((row, r) => {
    for (let i = 0; i < dims; i++) {
      const diff = Math.abs(vectors[r * dims + i]! - row[i]!);
      assert.ok(diff < tolerance, `${label}: row ${r}, dim ${i} differs by ${diff}`);
    }
  });
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("OnnxEncoder encodes length-sorted padded batches in input order", async () => {
  await withDir(async (dir) => {
    await exportBertEncoder(dir, weights, config, { pooling: "mean", docMaxLength: 24 });
    const encoder = await OnnxEncoder.load(dir, { session: { intraOpThreads: 1 } });
    try {
      assert.equal(encoder.config.pooling, "none");
      const progress: number[] = [];
      const batched = await encoder.encodeDocuments(sequences, {
        batchSize: 3,
        onProgress: (p) => progress.push(p.done),
      });
      assert.deepEqual(progress, [3, 6, 8]);
      const info = await encoder.describe();
      assert.equal(info.modelPath, join(dir, "model.onnx"));
      const bytes = await Deno.readFile(join(dir, "model.onnx"));
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      assert.equal(
        info.modelSha256,
        Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
      );
      assert.deepEqual(info.inputs, ["input_ids", "attention_mask", "token_type_ids"]);
      assert.equal(info.output, "embedding");
      assert.equal(info.inputType, "int64");
      assert.equal(info.session.intraOpThreads, 1);
      assert.equal(info.session.executionProvider, "cpu");
      assert.equal(batched.count, sequences.length);
      assert.equal(batched.dims, config.hiddenSize);
      const expected = sequences.map((s) => reference(s, "mean", false));
      assertRowsClose(batched.vectors, batched.dims, expected, 1e-4, "vs reference");
      const budget: number[] = [];
      await encoder.encode(sequences, {
        maxLength: 24,
        maxBatchTokens: 40,
        onProgress: (p) => budget.push(p.done),
      });
      // Sorted lengths 24 | 17 12 | 9 9 5 3 | 1: batches of floor(40 / longest) rows.
      assert.deepEqual(budget, [1, 3, 7, 8]);
      const single = await encoder.encode(sequences, { maxLength: 24, batchSize: 1 });
      assertRowsClose(
        batched.vectors,
        batched.dims,
        [...chunks(single.vectors, 16)],
        1e-5,
        "1 vs 3",
      );
    } finally {
      await encoder.close();
    }
  });
});

function* chunks(v: Float32Array, n: number) {
  for (let i = 0; i < v.length; i += n) yield v.subarray(i, i + n);
}

Deno.test("a user-supplied graph with token outputs is pooled and normalised by its config", async () => {
  await withDir(async (dir) => {
    // Stands in for a Hugging Face export: the graph outputs last_hidden_state to pool outside.
    const bytes = buildBertOnnx(weights, config, { pooling: "cls", lastHiddenState: true });
    await saveOnnxModel(dir, bytes);
    for (const pooling of ["cls", "mean"] as const) {
      await writeOnnxEncoderConfig(
        dir,
        parseOnnxEncoderConfig({
          pooling,
          similarity: "cosine",
          output_name: "last_hidden_state",
          query_max_length: 24,
        }),
      );
      const encoder = await OnnxEncoder.load(dir, { session: { intraOpThreads: 1 } });
      try {
        const out = await encoder.encodeQueries(sequences, { batchSize: 4 });
        const expected = sequences.map((s) => reference(s, pooling, true));
        assertRowsClose(out.vectors, out.dims, expected, 1e-4, pooling);
        await assert.rejects(
          () => encoder.encode([[1, 2, 3]], { maxLength: 2 }),
          /sequence 0: it has 3 tokens, expected 1 to 2/,
        );
      } finally {
        await encoder.close();
      }
    }
    await assert.rejects(
      () =>
        OnnxEncoder.load(dir, {
          config: parseOnnxEncoderConfig({ pooling: "none", output_name: "pooled" }),
        }),
      /has no output "pooled"/,
    );
    await assert.rejects(
      () =>
        OnnxEncoder.load(join(dir), {
          config: parseOnnxEncoderConfig({ pooling: "mean", input_names: { input_ids: "ids" } }),
        }),
      /has no input "ids"/,
    );
  });
});

Deno.test("OnnxEncoder feeds int32 inputs to a graph that declares them", async () => {
  await withDir(async (dir) => {
    for (const inputType of ["int32", "int64"] as const) {
      await exportBertEncoder(join(dir, inputType), weights, config, {
        pooling: "cls",
        inputType,
        queryMaxLength: 24,
      });
    }
    const narrow = await OnnxEncoder.load(join(dir, "int32"), { session: { intraOpThreads: 1 } });
    const wide = await OnnxEncoder.load(join(dir, "int64"), { session: { intraOpThreads: 1 } });
    try {
      assert.equal((await narrow.describe()).inputType, "int32");
      const a = await narrow.encodeQueries(sequences);
      const b = await wide.encodeQueries(sequences);
      assert.deepEqual(a, b);
      const expected = sequences.map((s) => reference(s, "cls", false));
      assertRowsClose(a.vectors, a.dims, expected, 1e-4, "int32 vs reference");
    } finally {
      await narrow.close();
      await wide.close();
    }
  });
});

Deno.test("onnx_encoder.json: defaults, round trip and clear errors", () => {
  const parsed = parseOnnxEncoderConfig({ pooling: "mean" });
  assert.deepEqual(parsed, {
    pooling: "mean",
    normalize: false,
    similarity: "dot",
    queryMaxLength: 32,
    docMaxLength: 256,
    inputIds: "input_ids",
    attentionMask: "attention_mask",
    tokenTypeIds: undefined,
    outputName: undefined,
    padTokenId: 0,
  });
  const full = parseOnnxEncoderConfig({
    pooling: "cls",
    normalize: true,
    similarity: "cosine",
    query_max_length: 16,
    doc_max_length: 64,
    input_names: { input_ids: "ids", attention_mask: "mask", token_type_ids: null },
    output_name: "out",
    pad_token_id: 1,
  });
  assert.deepEqual(parseOnnxEncoderConfig(onnxEncoderConfigJson(full)), full);
  assert.throws(() => parseOnnxEncoderConfig({ pooling: "max" }), /"pooling".*"max"/);
  assert.throws(
    () => parseOnnxEncoderConfig({ pooling: "cls", doc_max_length: 0 }),
    /"doc_max_length".*positive integer/,
  );
  assert.throws(() => parseOnnxEncoderConfig([]), SyntaxError);
});
