/**
 * ONNX export of a Hugging Face `BertModel` encoder built directly from its named weights: the
 * graph takes int64 `input_ids` / `attention_mask` / `token_type_ids` [batch, seq] (both dynamic)
 * and outputs the pooled embedding [batch, dim] (cls | mean, optional projection, optional L2
 * normalisation), optionally also `last_hidden_state`. Opset 17 (`LayerNormalization`, `Erf`).
 *
 * Layer by layer as `transformers/models/bert/modeling_bert.py`: embeddings (word + position +
 * segment, LayerNorm), post-LN self-attention with scores / sqrt(head size) plus an additive
 * padding mask of `finfo(float32).min`, erf-GELU feed-forward.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../../io/mod.ts";
import { bertParameterShapes, takeTensors } from "../bert_names.ts";
import type { BertConfig, NamedTensor, NamedTensors, Pooling } from "../config.ts";
import { floatAttr, intAttr, intsAttr, OnnxGraphBuilder } from "../../engine/mod.ts";

/** Name of the pooled output of exported encoders. */
export const EMBEDDING_OUTPUT = "embedding";
/** Name of the optional token-state output ([batch, seq, hidden]). */
export const HIDDEN_OUTPUT = "last_hidden_state";
/** Input names of exported encoders (Hugging Face's). */
export const ENCODER_INPUTS = {
  inputIds: "input_ids",
  attentionMask: "attention_mask",
  tokenTypeIds: "token_type_ids",
} as const;
/** File name of an exported model inside a model directory. */
export const ONNX_MODEL_FILE = "model.onnx";

/** `torch.finfo(torch.float32).min`, Hugging Face's additive mask value for padding keys. */
const MASK_VALUE = -3.4028234663852886e38;
/** Lower bound of the token count in mean pooling (sentence-transformers' `clamp(min=1e-9)`). */
const MEAN_MIN_COUNT = 1e-9;
/** `torch.nn.functional.normalize` default eps. */
const NORMALIZE_EPS = 1e-12;

/** A linear map applied to the pooled embedding (PyTorch layout: weight [out, in]). */
export interface Projection {
  readonly weight: NamedTensor;
  readonly bias?: NamedTensor;
}

/** What to export besides the encoder weights. */
export interface OnnxExportOptions {
  readonly pooling: Pooling;
  /** Project the pooled embedding (e.g. to the teacher's dimension). */
  readonly projection?: Projection;
  /** L2-normalise the final embedding (x / max(||x||, 1e-12)); default false. */
  readonly normalize?: boolean;
  /** Also output `last_hidden_state`; default false. */
  readonly lastHiddenState?: boolean;
  /**
   * Apply the projection to every token of `last_hidden_state` (so a consumer that pools the
   * token states, e.g. transformers.js, gets the projected embedding: a linear map commutes with
   * mean and cls pooling); default false.
   */
  readonly projectTokenStates?: boolean;
  /** Tower prefix of the weight names, e.g. `"query."`; default none (`bert.` is also found). */
  readonly prefix?: string;
  /** Element type of the three inputs; default int64 (Hugging Face's), int32 for lighter feeds. */
  readonly inputType?: "int64" | "int32";
  /** Default-domain opset (>= 17); default 17. */
  readonly opset?: number;
}

/** Transpose a row-major [rows, cols] matrix (PyTorch [out, in] to ONNX MatMul's [in, out]). */
function transposed(t: NamedTensor): Float32Array {
  const [rows, cols] = t.shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c]!;
  }
  return out;
}

/** The embedding dimension the export produces. */
export function exportedDimension(config: BertConfig, options: OnnxExportOptions): number {
  return options.projection?.weight.shape[0] ?? config.hiddenSize;
}

/**
 * Build the ONNX ModelProto bytes of the encoder. Throws RangeError for a missing tensor, TypeError
 * for a tensor of the wrong shape or a bad projection.
 */
export function buildBertOnnx(
  weights: NamedTensors,
  config: BertConfig,
  options: OnnxExportOptions,
): Uint8Array {
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 17) {
    throw new RangeError(`Cannot export to ONNX opset ${opset}: LayerNormalization needs >= 17`);
  }
  const { hiddenSize: h, numHeads: heads } = config;
  if (h % heads !== 0) {
    throw new TypeError(`Cannot export: hidden size ${h} is not divisible by ${heads} heads`);
  }
  const w = takeTensors(weights, bertParameterShapes(config), options.prefix ?? "", "the weights");
  const tensor = (name: string): NamedTensor => w.get(name)!;
  const g = new OnnxGraphBuilder("bert_encoder");
  const B = "batch", S = "sequence";
  const inputType = options.inputType ?? "int64";
  const ids = g.input(ENCODER_INPUTS.inputIds, inputType, [B, S]);
  const mask = g.input(ENCODER_INPUTS.attentionMask, inputType, [B, S]);
  const types = g.input(ENCODER_INPUTS.tokenTypeIds, inputType, [B, S]);

  const param = (name: string): string => {
    const t = tensor(name);
    return g.float32(name, t.shape.length === 2 ? transposed(t) : t.data, [...t.shape].reverse());
  };
  const vector = (name: string): string =>
    g.float32(name, tensor(name).data, [...tensor(name).shape]);
  const layerNorm = (x: string, prefix: string): string =>
    g.op("LayerNormalization", [x, vector(`${prefix}.weight`), vector(`${prefix}.bias`)], {
      axis: intAttr(-1),
      epsilon: floatAttr(config.layerNormEps),
    });
  const linear = (x: string, prefix: string): string =>
    g.op("Add", [g.op("MatMul", [x, param(`${prefix}.weight`)]), vector(`${prefix}.bias`)]);

  // Embeddings: positions 0..seq-1 for every row, as BertEmbeddings' default position_ids.
  const seqLen = g.op("Gather", [g.op("Shape", [ids]), g.int64("one_index", [1], [])], {
    axis: intAttr(0),
  });
  const positions = g.op("Range", [g.int64("zero", [0], []), seqLen, g.int64("step", [1], [])]);
  const embedded = g.op("Add", [
    g.op("Add", [
      g.op("Gather", [vector("embeddings.word_embeddings.weight"), ids]),
      g.op("Gather", [vector("embeddings.position_embeddings.weight"), positions]),
    ]),
    g.op("Gather", [vector("embeddings.token_type_embeddings.weight"), types]),
  ]);
  let x = layerNorm(embedded, "embeddings.LayerNorm");

  // Additive mask [batch, 1, 1, seq]: 0 for tokens, finfo.min for padding.
  const maskFloat = g.op("Cast", [mask], { to: intAttr(1) });
  const maskBias = g.op("Unsqueeze", [
    g.op("Mul", [g.op("Sub", [g.scalar("one", 1), maskFloat]), g.scalar("mask_value", MASK_VALUE)]),
    g.int64("mask_axes", [1, 2]),
  ]);
  const headShape = g.int64("head_shape", [0, 0, heads, h / heads]);
  const mergedShape = g.int64("merged_shape", [0, 0, h]);
  const sqrtHead = g.scalar("sqrt_head_size", Math.sqrt(h / heads));
  const sqrt2 = g.scalar("sqrt_two", Math.SQRT2);
  const half = g.scalar("half", 0.5);
  const one = g.scalar("one_gelu", 1);
  const split = (t: string, perm: number[]) =>
    g.op("Transpose", [g.op("Reshape", [t, headShape])], { perm: intsAttr(perm) });

  for (let layer = 0; layer < config.numLayers; layer++) {
    const p = `encoder.layer.${layer}.`;
    const q = split(linear(x, `${p}attention.self.query`), [0, 2, 1, 3]);
    const k = split(linear(x, `${p}attention.self.key`), [0, 2, 3, 1]);
    const v = split(linear(x, `${p}attention.self.value`), [0, 2, 1, 3]);
    const scores = g.op("Add", [g.op("Div", [g.op("MatMul", [q, k]), sqrtHead]), maskBias]);
    const probs = g.op("Softmax", [scores], { axis: intAttr(-1) });
    const context = g.op("Reshape", [
      g.op("Transpose", [g.op("MatMul", [probs, v])], { perm: intsAttr([0, 2, 1, 3]) }),
      mergedShape,
    ]);
    const attended = layerNorm(
      g.op("Add", [linear(context, `${p}attention.output.dense`), x]),
      `${p}attention.output.LayerNorm`,
    );
    const inner = linear(attended, `${p}intermediate.dense`);
    // GELU(x) = x * 0.5 * (1 + erf(x / sqrt(2))), Hugging Face's `gelu` (ACT2FN["gelu"]).
    const gelu = g.op("Mul", [
      g.op("Mul", [inner, half]),
      g.op("Add", [one, g.op("Erf", [g.op("Div", [inner, sqrt2])])]),
    ]);
    x = layerNorm(
      g.op("Add", [linear(gelu, `${p}output.dense`), attended]),
      `${p}output.LayerNorm`,
    );
  }

  let pooled: string;
  switch (options.pooling) {
    case "cls":
      pooled = g.op("Gather", [x, g.int64("cls_index", [0], [])], { axis: intAttr(1) });
      break;
    case "mean": {
      const weightsPerToken = g.op("Unsqueeze", [maskFloat, g.int64("token_axis", [2])]);
      const axis1 = g.int64("sequence_axis", [1]);
      const total = g.op("ReduceSum", [g.op("Mul", [x, weightsPerToken]), axis1], {
        keepdims: intAttr(0),
      });
      const count = g.op("ReduceSum", [maskFloat, axis1], { keepdims: intAttr(1) });
      pooled = g.op("Div", [total, g.op("Max", [count, g.scalar("min_count", MEAN_MIN_COUNT)])]);
      break;
    }
    default: {
      const never: never = options.pooling;
      throw new TypeError(`Cannot export pooling ${JSON.stringify(never)}`);
    }
  }
  let tokenStates = x;
  if (options.projection !== undefined) {
    const { weight, bias } = options.projection;
    if (weight.shape.length !== 2 || weight.shape[1] !== h) {
      throw new TypeError(
        `Cannot export projection: expected weight shape [out, ${h}], found ${
          JSON.stringify(weight.shape)
        }`,
      );
    }
    if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== weight.shape[0])) {
      throw new TypeError(
        `Cannot export projection: expected bias shape [${weight.shape[0]}], found ${
          JSON.stringify(bias.shape)
        }`,
      );
    }
    const w = g.float32("projection.weight", transposed(weight), [h, weight.shape[0]!]);
    const b = bias === undefined
      ? undefined
      : g.float32("projection.bias", bias.data, [...bias.shape]);
    const project = (t: string) => {
      const product = g.op("MatMul", [t, w]);
      return b === undefined ? product : g.op("Add", [product, b]);
    };
    pooled = project(pooled);
    if (options.projectTokenStates === true) tokenStates = project(x);
  }
  if (options.normalize === true) {
    // Opset 17 ReduceL2 takes its axes as an attribute.
    const norm = g.op("ReduceL2", [pooled], { axes: intsAttr([1]), keepdims: intAttr(1) });
    pooled = g.op("Div", [pooled, g.op("Max", [norm, g.scalar("norm_eps", NORMALIZE_EPS)])]);
  }
  const dim = exportedDimension(config, options);
  g.node("Identity", [pooled], {}, [EMBEDDING_OUTPUT]);
  g.output(EMBEDDING_OUTPUT, "float32", [B, dim]);
  if (options.lastHiddenState === true) {
    g.node("Identity", [tokenStates], {}, [HIDDEN_OUTPUT]);
    g.output(HIDDEN_OUTPUT, "float32", [B, S, tokenStates === x ? h : dim]);
  }
  return g.toBytes({
    opset,
    docString: "Hugging Face BertModel encoder exported by embeddistill",
    metadata: {
      pooling: options.pooling,
      normalize: String(options.normalize === true),
      dimension: String(dim),
      hidden_size: String(h),
      num_layers: String(config.numLayers),
    },
  });
}

/** Write ONNX bytes to `dir/model.onnx` (or `fileName`) atomically; returns the path. */
export async function saveOnnxModel(
  dir: string,
  bytes: Uint8Array,
  fileName: string = ONNX_MODEL_FILE,
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, fileName);
  await writeFileAtomic(path, bytes);
  return path;
}
