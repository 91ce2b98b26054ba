/**
 * Scoring (query, document) pairs with a cross-encoder model directory (config.json,
 * model.safetensors, tokenizer.json) in ONNX Runtime (default) or tfjs: `[CLS] q [SEP] d [SEP]`
 * rows cut to the model's length with longest-first truncation, sorted by length so batches pad
 * little, scored in batches and returned in input order.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { engineState, initEngine } from "../engine/mod.ts";
import {
  createCrossEncoder,
  crossEncoderForward,
  type CrossEncoderSpec,
  disposeParameters,
  loadModelDir,
} from "../models/mod.ts";
import {
  DEFAULT_TITLE_JOIN,
  documentText,
  loadDirTokenizer,
  OnnxCrossEncoder,
  type TitledText,
} from "../models/onnx/mod.ts";
import type { OnnxSessionOptions, OnnxSessionSettings } from "../engine/mod.ts";
import { type EncodedBatch, padBatch } from "../text/mod.ts";

/** Where a pair scorer runs the cross-encoder. */
export type PairScorerEngine = "onnx" | "tfjs";

/** A loaded cross-encoder. Call `close` to release its tensors or native session. */
export interface PairScorer {
  readonly spec: CrossEncoderSpec;
  /** The engine scoring the pairs. */
  readonly engine: PairScorerEngine;
  /** ONNX Runtime only: execution provider and threads of the session. */
  readonly session?: OnnxSessionSettings;
  /** Tokenise the pairs of `query` with each document (timed apart in latency reports). */
  readonly tokenize: (query: string, docs: readonly TitledText[]) => PairTokens;
  /** Scores of tokenised pairs, in input order. */
  readonly scoreTokens: (tokens: PairTokens) => Promise<Float32Array>;
  /** Scores of `query` with each document, in input order. */
  readonly score: (query: string, docs: readonly TitledText[]) => Promise<Float32Array>;
  readonly close: () => Promise<void>;
}

/** Options of {@link loadPairScorer}. */
export interface PairScorerOptions {
  /** Pairs per forward pass; default 32. */
  readonly batchSize?: number;
  /** Default `onnx` (ONNX Runtime, several times faster on CPU); `tfjs` runs the tfjs model. */
  readonly engine?: PairScorerEngine;
  /** ONNX Runtime session options (defaults: the engine's threads and execution provider). */
  readonly session?: OnnxSessionOptions;
}

/** Tokenised pairs, batched as the model runs them (longest first). */
export interface PairTokens {
  readonly batches: readonly EncodedBatch[];
  /** Input index of each batch row, batches concatenated. */
  readonly order: Int32Array;
  readonly count: number;
}

/**
 * Load the cross-encoder in `dir` (the engine is initialised first when it is not yet); pairs run
 * in batches of `batchSize` (default 32) on `engine` (default ONNX Runtime).
 */
export async function loadPairScorer(
  dir: string,
  options: PairScorerOptions = {},
): Promise<PairScorer> {
  const batchSize = options.batchSize ?? 32;
  const engine = options.engine ?? "onnx";
  if (engine !== "onnx" && engine !== "tfjs") {
    throw new TypeError(`Cannot score pairs on engine "${engine}": expected "onnx" or "tfjs"`);
  }
  if (engineState() === undefined) await initEngine();
  const { spec, weights } = await loadModelDir(dir);
  if (spec.kind !== "cross") {
    throw new TypeError(
      `Cannot score pairs with "${dir}": it holds a ${spec.kind} encoder, expected a cross-encoder`,
    );
  }
  const { tokenizer } = await loadDirTokenizer(dir);
  const tokenize = (query: string, docs: readonly TitledText[]): PairTokens => {
    const encodings = docs.map((d) =>
      tokenizer.encodePair(query, documentText(d, DEFAULT_TITLE_JOIN), {
        maxLength: spec.maxLength,
      })
    );
    // Longest first (stable), so each batch pads to rows of about its own length.
    const order = Int32Array.from(encodings.keys()).sort((a, b) =>
      encodings[b]!.ids.length - encodings[a]!.ids.length || a - b
    );
    const batches = [];
    for (let i = 0; i < order.length; i += batchSize) {
      const rows = Array.from(order.subarray(i, i + batchSize), (r) => encodings[r]!);
      batches.push(padBatch(rows, { kind: "longest" }, tokenizer.padId));
    }
    return { batches, order, count: docs.length };
  };
  /** Scores of every batch, scattered back to input order. */
  const inInputOrder = async (
    tokens: PairTokens,
    scoreBatch: (batch: EncodedBatch) => Promise<ArrayLike<number>>,
  ): Promise<Float32Array> => {
    const out = new Float32Array(tokens.count);
    let row = 0;
    for (const batch of tokens.batches) {
      const scores = await scoreBatch(batch);
      for (let i = 0; i < scores.length; i++) out[tokens.order[row++]!] = scores[i]!;
    }
    return out;
  };
  if (engine === "onnx") {
    const onnx = await OnnxCrossEncoder.create(spec, weights, {
      source: `"${dir}"`,
      ...(options.session === undefined ? {} : { session: options.session }),
    });
    const scoreTokens = (tokens: PairTokens): Promise<Float32Array> =>
      inInputOrder(tokens, async (batch) => (await onnx.run(batch)).scores);
    return {
      spec,
      engine,
      session: onnx.settings,
      tokenize,
      scoreTokens,
      score: (query, docs) => scoreTokens(tokenize(query, docs)),
      close: () => onnx.close(),
    };
  }
  const model = createCrossEncoder(spec, weights, `"${dir}"`);
  const scoreTokens = (tokens: PairTokens): Promise<Float32Array> =>
    inInputOrder(tokens, async (batch) => {
      const result = crossEncoderForward(model, batch);
      try {
        return await result.scores.data();
      } finally {
        tf.dispose(Object.values(result).filter((v) => v instanceof tf.Tensor));
      }
    });
  return {
    spec,
    engine,
    tokenize,
    scoreTokens,
    score: (query, docs) => scoreTokens(tokenize(query, docs)),
    close: () => {
      disposeParameters(model.params);
      return Promise.resolve();
    },
  };
}
