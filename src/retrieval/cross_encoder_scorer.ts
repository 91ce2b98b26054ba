/**
 * Scoring (query, document) pairs with a cross-encoder model directory (config.json,
 * model.safetensors, tokenizer.json) in ONNX Runtime (default) or tfjs: `[CLS] q [SEP] d [SEP]`
 * rows cut to the model's length with longest-first truncation, scored in batches.
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
import type { WordPieceTokenizer } from "../text/mod.ts";

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

/** Tokenised pairs, batched as the model runs them. */
export interface PairTokens {
  readonly batches: readonly ReturnType<WordPieceTokenizer["encodePairBatch"]>[];
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
    const batches = [];
    for (let i = 0; i < docs.length; i += batchSize) {
      const chunk = docs.slice(i, i + batchSize).map((d) => documentText(d, DEFAULT_TITLE_JOIN));
      batches.push(
        tokenizer.encodePairBatch(chunk.map(() => query), chunk, { maxLength: spec.maxLength }),
      );
    }
    return { batches, count: docs.length };
  };
  if (engine === "onnx") {
    const onnx = await OnnxCrossEncoder.create(spec, weights, {
      source: `"${dir}"`,
      ...(options.session === undefined ? {} : { session: options.session }),
    });
    const scoreTokens = async (tokens: PairTokens): Promise<Float32Array> => {
      const out = new Float32Array(tokens.count);
      let offset = 0;
      for (const batch of tokens.batches) {
        const { scores } = await onnx.run(batch);
        out.set(scores, offset);
        offset += scores.length;
      }
      return out;
    };
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
  const scoreTokens = async (tokens: PairTokens): Promise<Float32Array> => {
    const out = new Float32Array(tokens.count);
    let offset = 0;
    for (const batch of tokens.batches) {
      const result = crossEncoderForward(model, batch);
      try {
        const scores = await result.scores.data() as Float32Array;
        out.set(scores, offset);
        offset += scores.length;
      } finally {
        tf.dispose(Object.values(result).filter((v) => v instanceof tf.Tensor));
      }
    }
    return out;
  };
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
