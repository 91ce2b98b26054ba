/**
 * Test support for the seq2seq query generator: tiny encoder/decoder ONNX graphs in the optimum
 * export layout with hand-set weights whose greedy output is known (a copy of the input, or a
 * fixed token pattern).
 *
 * @module
 */

import { intAttr, intsAttr, OnnxGraphBuilder } from "../engine/mod.ts";

/** Vocabulary of the tiny graphs: 4 specials then 8 words. */
export const TINY_SEQ2SEQ_VOCAB: readonly string[] = [
  "<pad>",
  "<s>",
  "</s>",
  "<unk>",
  "alpha",
  "beta",
  "gamma",
  "delta",
  "epsilon",
  "zeta",
  "eta",
  "theta",
];

/** Special ids of {@linkcode TINY_SEQ2SEQ_VOCAB}. */
export const TINY_SEQ2SEQ_IDS = { pad: 0, bos: 1, eos: 2, unk: 3 } as const;

/** Sizes of the tiny graphs. */
export interface TinySeq2SeqShape {
  /** Vocabulary size (default 12, {@linkcode TINY_SEQ2SEQ_VOCAB}). */
  readonly vocab: number;
  /** Longest encoder input and decoder prefix (default 16). */
  readonly maxPositions: number;
}

const DEFAULT_SHAPE: TinySeq2SeqShape = { vocab: TINY_SEQ2SEQ_VOCAB.length, maxPositions: 16 };
const OPSET = 17;

function hiddenSize(shape: TinySeq2SeqShape): number {
  return shape.vocab + shape.maxPositions;
}

/** `rows x cols` matrix with `value` at each listed (row, col). */
function sparse(rows: number, cols: number, entries: Iterable<[number, number, number]>) {
  const data = new Float32Array(rows * cols);
  for (const [r, c, v] of entries) data[r * cols + c] = v;
  return data;
}

/** `[0, 1, ..., n - 1]` for the length of axis 1 of `name` (int64 `[n]`). */
function positions(b: OnnxGraphBuilder, name: string): string {
  const shape = b.op("Shape", [name]);
  const length = b.op("Gather", [shape, b.int64(`${name}_axis1`, [1], [])], { axis: intAttr(0) });
  return b.op("Range", [
    b.int64(`${name}_range_start`, [0], []),
    length,
    b.int64(`${name}_range_step`, [1], []),
  ]);
}

/**
 * Encoder `input_ids, attention_mask [batch, length] int64 -> last_hidden_state
 * [batch, length, vocab + maxPositions]`: the state at position s is one-hot(token) followed by
 * one-hot(s).
 */
export function buildTinyEncoder(shape: TinySeq2SeqShape = DEFAULT_SHAPE): Uint8Array {
  const h = hiddenSize(shape);
  const b = new OnnxGraphBuilder("tiny_encoder");
  const ids = b.input("input_ids", "int64", ["batch", "length"]);
  b.input("attention_mask", "int64", ["batch", "length"]);
  const tokenTable = b.float32(
    "token_table",
    sparse(shape.vocab, h, Array.from({ length: shape.vocab }, (_, v) => [v, v, 1])),
    [shape.vocab, h],
  );
  const positionTable = b.float32(
    "position_table",
    sparse(
      shape.maxPositions,
      h,
      Array.from({ length: shape.maxPositions }, (_, p) => [p, shape.vocab + p, 1]),
    ),
    [shape.maxPositions, h],
  );
  const tokens = b.op("Gather", [tokenTable, ids], { axis: intAttr(0) });
  const places = b.op("Gather", [positionTable, positions(b, ids)], { axis: intAttr(0) });
  b.node("Add", [tokens, places], {}, ["last_hidden_state"]);
  b.output("last_hidden_state", "float32", ["batch", "length", h]);
  return b.toBytes({ opset: OPSET, docString: "tiny seq2seq encoder (test fixture)" });
}

function decoderInputs(b: OnnxGraphBuilder, h: number) {
  const ids = b.input("input_ids", "int64", ["batch", "target"]);
  const states = b.input("encoder_hidden_states", "float32", ["batch", "length", h]);
  const mask = b.input("encoder_attention_mask", "int64", ["batch", "length"]);
  return { ids, states, mask };
}

/**
 * Per-token logit offset of the copy decoder (`COPY_BIAS * id`): it orders otherwise equal logits
 * by id, far above float32 attention leakage (~1e-8), so top-k candidates are unambiguous.
 */
export const COPY_BIAS = -0.013;

/**
 * Copy decoder: decoder position t attends (sharply, over unmasked encoder positions) to encoder
 * position t and puts logit `sharpness` on the token found there, plus `COPY_BIAS * id` on every
 * token. Past the input the attention is uniform over the unmasked positions. Greedy decoding of
 * an input ending in `</s>` therefore reproduces the input (start token excluded).
 */
export function buildCopyDecoder(
  sharpness = 10,
  shape: TinySeq2SeqShape = DEFAULT_SHAPE,
): Uint8Array {
  const h = hiddenSize(shape);
  const b = new OnnxGraphBuilder("tiny_copy_decoder");
  const { ids, states, mask } = decoderInputs(b, h);
  const queryTable = b.float32(
    "query_table",
    sparse(
      shape.maxPositions,
      h,
      Array.from({ length: shape.maxPositions }, (_, p) => [p, shape.vocab + p, 20]),
    ),
    [shape.maxPositions, h],
  );
  const queries = b.op("Gather", [queryTable, positions(b, ids)], { axis: intAttr(0) });
  const keys = b.op("Transpose", [states], { perm: intsAttr([0, 2, 1]) });
  const scores = b.op("MatMul", [queries, keys]);
  const maskFloat = b.op("Cast", [mask], { to: intAttr(1) });
  const maskBias = b.op("Mul", [
    b.op("Sub", [maskFloat, b.scalar("one_f", 1)]),
    b.scalar("big", 1e4),
  ]);
  const bias3 = b.op("Unsqueeze", [maskBias, b.int64("bias_axes", [1])]);
  const weights = b.op("Softmax", [b.op("Add", [scores, bias3])], { axis: intAttr(-1) });
  const context = b.op("MatMul", [weights, states]);
  const out = b.float32(
    "output_table",
    sparse(h, shape.vocab, Array.from({ length: shape.vocab }, (_, v) => [v, v, sharpness])),
    [h, shape.vocab],
  );
  const bias = b.float32(
    "output_bias",
    Float32Array.from({ length: shape.vocab }, (_, v) => COPY_BIAS * v),
    [shape.vocab],
  );
  b.node("Add", [b.op("MatMul", [context, out]), bias], {}, ["logits"]);
  b.output("logits", "float32", ["batch", "target", shape.vocab]);
  return b.toBytes({ opset: OPSET, docString: "tiny seq2seq copy decoder (test fixture)" });
}

/**
 * Pattern decoder: ignores the encoder and puts logit `sharpness` on `next[token]` after each
 * decoder token (`</s>` after any token not listed), so greedy decoding from the start token
 * follows the chain `next` describes.
 */
export function buildPatternDecoder(
  next: ReadonlyMap<number, number>,
  sharpness = 10,
  shape: TinySeq2SeqShape = DEFAULT_SHAPE,
): Uint8Array {
  const h = hiddenSize(shape);
  const b = new OnnxGraphBuilder("tiny_pattern_decoder");
  const { ids } = decoderInputs(b, h);
  const table = b.float32(
    "next_table",
    sparse(
      shape.vocab,
      shape.vocab,
      Array.from(
        { length: shape.vocab },
        (_, v) => [v, next.get(v) ?? TINY_SEQ2SEQ_IDS.eos, sharpness],
      ),
    ),
    [shape.vocab, shape.vocab],
  );
  b.node("Gather", [table, ids], { axis: intAttr(0) }, ["logits"]);
  b.output("logits", "float32", ["batch", "target", shape.vocab]);
  return b.toBytes({ opset: OPSET, docString: "tiny seq2seq pattern decoder (test fixture)" });
}
