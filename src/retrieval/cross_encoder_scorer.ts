/**
 * Scoring (query, document) pairs with a cross-encoder model directory (config.json,
 * model.safetensors, tokenizer.json) in tfjs: `[CLS] q [SEP] d [SEP]` rows cut to the model's
 * length with longest-first truncation, scored in batches.
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
  type TitledText,
} from "../models/onnx/mod.ts";
import type { WordPieceTokenizer } from "../text/mod.ts";

/** A loaded cross-encoder. Call `close` to release its tensors. */
export interface PairScorer {
  readonly spec: CrossEncoderSpec;
  /** Tokenise the pairs of `query` with each document (timed apart in latency reports). */
  readonly tokenize: (query: string, docs: readonly TitledText[]) => PairTokens;
  /** Scores of tokenised pairs, in input order. */
  readonly scoreTokens: (tokens: PairTokens) => Float32Array;
  /** Scores of `query` with each document, in input order. */
  readonly score: (query: string, docs: readonly TitledText[]) => Float32Array;
  readonly close: () => void;
}

/** Tokenised pairs, batched as the model runs them. */
export interface PairTokens {
  readonly batches: readonly ReturnType<WordPieceTokenizer["encodePairBatch"]>[];
  readonly count: number;
}

/**
 * Load the cross-encoder in `dir` (the engine is initialised first when it is not yet); pairs run
 * in batches of `batchSize` (default 32).
 */
export async function loadPairScorer(
  dir: string,
  options: { readonly batchSize?: number } = {},
): Promise<PairScorer> {
  const batchSize = options.batchSize ?? 32;
  if (engineState() === undefined) await initEngine();
  const { spec, weights } = await loadModelDir(dir);
  if (spec.kind !== "cross") {
    throw new TypeError(
      `Cannot score pairs with "${dir}": it holds a ${spec.kind} encoder, expected a cross-encoder`,
    );
  }
  const { tokenizer } = await loadDirTokenizer(dir);
  const model = createCrossEncoder(spec, weights, `"${dir}"`);
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
  const scoreTokens = (tokens: PairTokens): Float32Array => {
    const out = new Float32Array(tokens.count);
    let offset = 0;
    for (const batch of tokens.batches) {
      const result = crossEncoderForward(model, batch);
      const scores = result.scores.dataSync() as Float32Array;
      out.set(scores, offset);
      offset += scores.length;
      tf.dispose(Object.values(result).filter((v) => v instanceof tf.Tensor));
    }
    return out;
  };
  return {
    spec,
    tokenize,
    scoreTokens,
    score: (query, docs) => scoreTokens(tokenize(query, docs)),
    close: () => disposeParameters(model.params),
  };
}
