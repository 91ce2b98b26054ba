/**
 * A cross-encoder run in ONNX Runtime: the BERT body is exported in memory with
 * {@linkcode buildBertOnnx} (`last_hidden_state` output, int32 inputs with segment ids), and the
 * scorer head runs in TypeScript on its outputs (float64 sums): `cls` as Hugging Face's pooler
 * (dense + tanh on [CLS]) and one-label classifier, `dual-pooling` as the masked means of the two
 * segments ({@linkcode segmentMasks}) and their inner product. Outputs match
 * `crossEncoderForward` (tfjs) as plain arrays.
 *
 * @module
 */

import { collectModelWeights, type CrossEncoderSpec } from "../architecture.ts";
import type { NamedTensor, NamedTensors } from "../config.ts";
import { segmentAloneMask, segmentMasks } from "../pooling.ts";
import { checkIds, checkTokenBatch, type TokenBatch } from "../token_batch.ts";
import { buildBertOnnx, EMBEDDING_OUTPUT, ENCODER_INPUTS, HIDDEN_OUTPUT } from "./export.ts";
import {
  createOnnxSession,
  onnxRuntime,
  type OnnxSession,
  type OnnxSessionOptions,
  type OnnxSessionSettings,
} from "../../engine/mod.ts";

/** Scores of a batch (`[B]`), and for dual pooling the two segment embeddings (`[B, hidden]`). */
export type OnnxCrossEncoderOutput =
  | { readonly kind: "cls"; readonly scores: Float32Array }
  | {
    readonly kind: "dual-pooling";
    readonly scores: Float32Array;
    /** Mean of the query segment's token states, row-major [B, hidden]. */
    readonly queryEmbeddings: Float32Array;
    /** Mean of the document segment's token states, row-major [B, hidden]. */
    readonly documentEmbeddings: Float32Array;
  };

/** Options of {@linkcode OnnxCrossEncoder.create}. */
export interface OnnxCrossEncoderOptions {
  /** Threads and execution provider (defaults: the engine's). */
  readonly session?: OnnxSessionOptions;
  /** Where the weights came from, quoted in errors. */
  readonly source?: string;
}

/** The `cls` head's weights (PyTorch layout: pooler [H, H], classifier [1, H]). */
interface ClsHead {
  readonly poolerWeight: Float32Array;
  readonly poolerBias: Float32Array;
  readonly classifierWeight: Float32Array;
  readonly classifierBias: number;
}

/**
 * Masked means of hidden states `[B, S, H]` (row-major) with weights `[B, S]`: `[B, H]`, summed in
 * float64 and divided by each row's weight total (as tfjs `pool(..., "mean")`).
 */
export function maskedMeans(
  hidden: Float32Array,
  weights: Float32Array,
  shape: readonly [number, number, number],
): Float32Array {
  const [b, s, h] = shape;
  if (hidden.length !== b * s * h || weights.length !== b * s) {
    throw new TypeError(
      `Cannot pool: expected ${b * s * h} hidden values and ${b * s} weights for shape ${
        JSON.stringify(shape)
      }, found ${hidden.length} and ${weights.length}`,
    );
  }
  const out = new Float32Array(b * h);
  const acc = new Float64Array(h);
  for (let row = 0; row < b; row++) {
    acc.fill(0);
    let total = 0;
    for (let t = 0; t < s; t++) {
      const w = weights[row * s + t]!;
      if (w === 0) continue;
      total += w;
      const base = (row * s + t) * h;
      for (let j = 0; j < h; j++) acc[j]! += w * hidden[base + j]!;
    }
    for (let j = 0; j < h; j++) out[row * h + j] = acc[j]! / total;
  }
  return out;
}

function clsHead(weights: ReadonlyMap<string, NamedTensor>): ClsHead {
  return {
    poolerWeight: weights.get("pooler.dense.weight")!.data,
    poolerBias: weights.get("pooler.dense.bias")!.data,
    classifierWeight: weights.get("classifier.weight")!.data,
    classifierBias: weights.get("classifier.bias")!.data[0]!,
  };
}

/** `classifier(tanh(pooler(cls)))` for each row of `cls` [B, H]. */
function clsScores(head: ClsHead, cls: Float32Array, b: number, h: number): Float32Array {
  const scores = new Float32Array(b);
  const pooled = new Float64Array(h);
  for (let row = 0; row < b; row++) {
    const x = row * h;
    for (let o = 0; o < h; o++) {
      let sum = head.poolerBias[o]!;
      const w = o * h;
      for (let i = 0; i < h; i++) sum += head.poolerWeight[w + i]! * cls[x + i]!;
      pooled[o] = Math.tanh(Math.fround(sum));
    }
    let logit = head.classifierBias;
    for (let i = 0; i < h; i++) logit += head.classifierWeight[i]! * Math.fround(pooled[i]!);
    scores[row] = logit;
  }
  return scores;
}

/** Row-wise inner products of two [B, H] matrices. */
function rowDots(a: Float32Array, b: Float32Array, rows: number, h: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < h; j++) sum += a[r * h + j]! * b[r * h + j]!;
    out[r] = sum;
  }
  return out;
}

/** A cross-encoder in ONNX Runtime. Call `close` to release the native session. */
export class OnnxCrossEncoder {
  readonly #session: OnnxSession["session"];
  readonly #head: ClsHead | undefined;
  /** Execution provider, threads and optimisation level of the session. */
  readonly settings: OnnxSessionSettings;

  private constructor(
    /** The model's spec. */
    readonly spec: CrossEncoderSpec,
    onnx: OnnxSession,
    head: ClsHead | undefined,
  ) {
    this.#session = onnx.session;
    this.settings = onnx.settings;
    this.#head = head;
  }

  /**
   * Build the BERT body graph of `spec` from checkpoint tensors (canonical or `bert.`-prefixed
   * names, as `createCrossEncoder` takes) in memory and open a session on it. Throws RangeError /
   * TypeError naming a missing or misshapen tensor.
   */
  static async create(
    spec: CrossEncoderSpec,
    weights: NamedTensors,
    options: OnnxCrossEncoderOptions = {},
  ): Promise<OnnxCrossEncoder> {
    const named = collectModelWeights(spec, weights, options.source ?? "weights");
    const bytes = buildBertOnnx(named, spec.encoder, {
      pooling: "cls",
      lastHiddenState: true,
      inputType: "int32",
    });
    const head = spec.scorer.kind === "cls" ? clsHead(named) : undefined;
    const onnx = await createOnnxSession(bytes, options.session ?? {});
    return new OnnxCrossEncoder(spec, onnx, head);
  }

  /**
   * Output `name` of a batch (ids checked against the vocabulary first): the last hidden states
   * [B, S, H], or the [CLS] states [B, H].
   */
  async #output(batch: TokenBatch, name: string): Promise<Float32Array> {
    checkTokenBatch(batch);
    checkIds(batch, this.spec.encoder);
    const [b, s] = batch.shape;
    if (s > this.spec.encoder.maxPositions) {
      throw new RangeError(
        `Cannot encode ${s} tokens: the model has ${this.spec.encoder.maxPositions} positions`,
      );
    }
    const shape = [b, s];
    const { Tensor } = await onnxRuntime();
    const types = batch.tokenTypeIds === undefined
      ? new Int32Array(b * s)
      : Int32Array.from(batch.tokenTypeIds);
    const feeds = {
      [ENCODER_INPUTS.inputIds]: new Tensor("int32", Int32Array.from(batch.inputIds), shape),
      [ENCODER_INPUTS.attentionMask]: new Tensor(
        "int32",
        Int32Array.from(batch.attentionMask),
        shape,
      ),
      [ENCODER_INPUTS.tokenTypeIds]: new Tensor("int32", types, shape),
    };
    const result = await this.#session.run(feeds, [name]);
    const out = result[name]!;
    if (!(out.data instanceof Float32Array)) {
      throw new TypeError(`Cannot read "${name}": expected float32, found ${out.type}`);
    }
    return out.data;
  }

  /**
   * Score `[CLS] q [SEP] d [SEP]` rows (segment ids 0 / 1) as `crossEncoderForward` does: scores
   * [B], and for dual pooling the query and document segment means [B, hidden].
   */
  async run(batch: TokenBatch): Promise<OnnxCrossEncoderOutput> {
    const scorer = this.spec.scorer;
    const [b, s] = batch.shape;
    const h = this.spec.encoder.hiddenSize;
    switch (scorer.kind) {
      case "cls": {
        const cls = await this.#output(batch, EMBEDDING_OUTPUT);
        return { kind: "cls", scores: clsScores(this.#head!, cls, b, h) };
      }
      case "dual-pooling": {
        const masks = segmentMasks(batch, scorer.includeSpecialTokens);
        const hidden = await this.#output(batch, HIDDEN_OUTPUT);
        const queryEmbeddings = maskedMeans(hidden, masks.query, [b, s, h]);
        const documentEmbeddings = maskedMeans(hidden, masks.document, [b, s, h]);
        return {
          kind: "dual-pooling",
          scores: rowDots(queryEmbeddings, documentEmbeddings, b, h),
          queryEmbeddings,
          documentEmbeddings,
        };
      }
      default: {
        const unreachable: never = scorer;
        throw new TypeError(`Unknown cross-encoder scorer ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * The mean [B, hidden] of one segment's token states of rows holding that segment alone
   * (`[CLS] q [SEP]` or `[CLS] [SEP] d [SEP]`), masked as {@linkcode segmentAloneMask};
   * `includeSpecialTokens` defaults to the dual-pooling scorer's (false for `cls`).
   */
  async segmentAlone(
    rows: TokenBatch,
    segment: 0 | 1,
    includeSpecialTokens?: boolean,
  ): Promise<Float32Array> {
    const scorer = this.spec.scorer;
    const special = includeSpecialTokens ??
      (scorer.kind === "dual-pooling" ? scorer.includeSpecialTokens : false);
    const mask = segmentAloneMask(rows, segment, special);
    const hidden = await this.#output(rows, HIDDEN_OUTPUT);
    return maskedMeans(hidden, mask, [rows.shape[0], rows.shape[1], this.spec.encoder.hiddenSize]);
  }

  /** Release the native session. */
  close(): Promise<void> {
    return this.#session.release();
  }
}
