import assert from "node:assert/strict";
import { join } from "node:path";
import type { NamedTensor, Pooling } from "../config.ts";
import {
  buildBertOnnx,
  EMBEDDING_OUTPUT,
  HIDDEN_OUTPUT,
  type OnnxExportOptions,
  saveOnnxModel,
} from "./export.ts";
import { createOnnxSession, onnxRuntime } from "../../engine/mod.ts";
import {
  randomBertWeights,
  randomTokenIds,
  referenceForward,
  referencePool,
  TINY_BERT,
} from "../../testing/mod.ts";

const config = TINY_BERT;
const { Tensor } = await onnxRuntime();
const TOLERANCE = 1e-4;

/** Pad sequences into int64 [batch, seq] inputs; segment ids alternate to exercise both rows. */
function paddedBatch(sequences: number[][]) {
  const seq = Math.max(...sequences.map((s) => s.length));
  const ids = new BigInt64Array(sequences.length * seq);
  const mask = new BigInt64Array(sequences.length * seq);
  const types = new BigInt64Array(sequences.length * seq);
  const maskRows: number[][] = [];
  const typeRows: number[][] = [];
  sequences.forEach((s, b) => {
    const m: number[] = [], t: number[] = [];
    for (let i = 0; i < seq; i++) {
      const present = i < s.length;
      ids[b * seq + i] = BigInt(present ? s[i]! : 0);
      mask[b * seq + i] = present ? 1n : 0n;
      const type = present && i >= s.length / 2 ? 1 : 0;
      types[b * seq + i] = BigInt(type);
      m.push(present ? 1 : 0);
      t.push(type);
    }
    maskRows.push(m);
    typeRows.push(t);
  });
  const dims = [sequences.length, seq];
  return {
    seq,
    feeds: {
      input_ids: new Tensor("int64", ids, dims),
      attention_mask: new Tensor("int64", mask, dims),
      token_type_ids: new Tensor("int64", types, dims),
    },
    reference: {
      inputIds: sequences.map((s) => [...s, ...Array(seq - s.length).fill(0)]),
      attentionMask: maskRows,
      tokenTypeIds: typeRows,
    },
  };
}

/** Float64 expectation: pool, project, normalise, as the export should. */
function expectedEmbedding(
  hidden: Float64Array,
  mask: readonly number[],
  pooling: Pooling,
  projection: { weight: NamedTensor; bias: NamedTensor } | undefined,
  normalize: boolean,
): Float64Array {
  let v = referencePool(hidden, config.hiddenSize, mask, pooling);
  if (projection !== undefined) {
    const [out, inDim] = projection.weight.shape as [number, number];
    const p = new Float64Array(out);
    for (let o = 0; o < out; o++) {
      let s = projection.bias.data[o]!;
      for (let i = 0; i < inDim; i++) s += projection.weight.data[o * inDim + i]! * v[i]!;
      p[o] = s;
    }
    v = p;
  }
  if (normalize) {
    const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    v = v.map((x) => x / Math.max(norm, 1e-12));
  }
  return v;
}

function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i]! - expected[i]!));
  return max;
}

const projection = {
  weight: { shape: [6, 16], data: Float32Array.from({ length: 96 }, (_, i) => Math.sin(i) / 3) },
  bias: { shape: [6], data: Float32Array.from({ length: 6 }, (_, i) => 0.1 * i - 0.2) },
};

const VARIANTS: readonly (OnnxExportOptions & { name: string })[] = [
  { name: "cls", pooling: "cls", lastHiddenState: true },
  { name: "mean", pooling: "mean", lastHiddenState: true },
  { name: "mean + projection + normalise", pooling: "mean", projection, normalize: true },
  { name: "cls + normalise", pooling: "cls", normalize: true },
];

Deno.test("ONNX export matches the float64 reference forward pass with padding", async () => {
  const weights = randomBertWeights(config, 3);
  const batches = [[7, 3, 12, 1], [5], [24, 2, 9]];
  for (const variant of VARIANTS) {
    const { session } = await createOnnxSession(buildBertOnnx(weights, config, variant), {
      intraOpThreads: 1,
    });
    try {
      for (const [n, lengths] of batches.entries()) {
        const sequences = randomTokenIds(config.vocabSize, lengths, 10 + n);
        const { seq, feeds, reference } = paddedBatch(sequences);
        const out = await session.run(feeds);
        const hidden = referenceForward(config, weights, reference);
        const embedding = out[EMBEDDING_OUTPUT]!.data as Float32Array;
        const dim = variant.projection === undefined ? config.hiddenSize : 6;
        assert.deepEqual(out[EMBEDDING_OUTPUT]!.dims, [lengths.length, dim]);
        for (let b = 0; b < lengths.length; b++) {
          const mask = reference.attentionMask[b]!;
          const p = variant.projection === undefined ? undefined : projection;
          const expected = expectedEmbedding(
            hidden[b]!,
            mask,
            variant.pooling,
            p,
            variant.normalize === true,
          );
          const diff = maxAbsDiff(embedding.subarray(b * dim, (b + 1) * dim), expected);
          assert.ok(diff < TOLERANCE, `${variant.name}, lengths ${lengths}, row ${b}: ${diff}`);
          if (variant.lastHiddenState === true) {
            const h = config.hiddenSize;
            const states = (out[HIDDEN_OUTPUT]!.data as Float32Array)
              .subarray(b * seq * h, (b * seq + lengths[b]!) * h);
            const stateDiff = maxAbsDiff(states, hidden[b]!.subarray(0, lengths[b]! * h));
            assert.ok(stateDiff < TOLERANCE, `${variant.name} hidden row ${b}: ${stateDiff}`);
          }
        }
      }
    } finally {
      await session.release();
    }
  }
});

Deno.test("ONNX export finds bert.-prefixed and tower-prefixed weights", () => {
  const weights = randomBertWeights(config, 5);
  const prefixed = new Map([...weights].map(([k, v]) => [`doc.bert.${k}`, v]));
  const a = buildBertOnnx(weights, config, { pooling: "cls" });
  const b = buildBertOnnx(prefixed, config, { pooling: "cls", prefix: "doc." });
  assert.deepEqual(a, b);
});

Deno.test("ONNX export rejects missing tensors, bad shapes and old opsets", () => {
  const weights = randomBertWeights(config, 6);
  const missing = new Map(weights);
  missing.delete("encoder.layer.1.output.dense.bias");
  assert.throws(
    () => buildBertOnnx(missing, config, { pooling: "cls" }),
    /Cannot find tensor "encoder\.layer\.1\.output\.dense\.bias"/,
  );
  assert.throws(() => buildBertOnnx(weights, config, { pooling: "cls", opset: 13 }), RangeError);
  const badProjection = { weight: { shape: [4, 15], data: new Float32Array(60) } };
  assert.throws(
    () => buildBertOnnx(weights, config, { pooling: "cls", projection: badProjection }),
    /expected weight shape \[out, 16\]/,
  );
});

Deno.test("saveOnnxModel writes model.onnx atomically into the model directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = buildBertOnnx(randomBertWeights(config, 7), config, { pooling: "mean" });
    const path = await saveOnnxModel(join(dir, "model"), bytes);
    assert.equal(path, join(dir, "model", "model.onnx"));
    assert.deepEqual(await Deno.readFile(path), bytes);
    const entries = [];
    for await (const e of Deno.readDir(join(dir, "model"))) entries.push(e.name);
    assert.deepEqual(entries, ["model.onnx"]);
    const { session } = await createOnnxSession(path, { intraOpThreads: 1 });
    assert.deepEqual(session.inputNames, ["input_ids", "attention_mask", "token_type_ids"]);
    await session.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
