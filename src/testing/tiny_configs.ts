/**
 * Tiny BERT configurations shared by the tests: small enough for float64 reference checks and
 * finite differences. Tests that need other sizes spread one and override fields.
 *
 * @module
 */

import type { BertConfig } from "../models/mod.ts";

/**
 * A 2-layer, hidden-8, 2-head encoder (vocabulary 30, 12 positions): the default model of the
 * model tests.
 *
 * @example
 * ```ts
 * const oneLayer = { ...MICRO_BERT, numLayers: 1 };
 * ```
 */
export const MICRO_BERT: BertConfig = {
  vocabSize: 30,
  hiddenSize: 8,
  numLayers: 2,
  numHeads: 2,
  intermediateSize: 16,
  maxPositions: 12,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};

/** A 2-layer, hidden-16, 4-head encoder (vocabulary 50, 24 positions) for the ONNX checks. */
export const TINY_BERT: BertConfig = {
  vocabSize: 50,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 24,
  maxPositions: 24,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};
