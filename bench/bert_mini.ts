/**
 * The encoder size the speed benchmarks share (the training-step and encoding configs):
 * BERT-mini shape with the real bert-base-uncased vocabulary, 4 layers, hidden 256, 4 heads.
 *
 * @module
 */

import type { BertConfig } from "../src/models/mod.ts";

/** 4 layers / hidden 256 / 4 heads / FFN 1024, vocab 30522 (BERT-mini, PAPER.md's small student). */
export const BERT_MINI: BertConfig = {
  vocabSize: 30522,
  hiddenSize: 256,
  numLayers: 4,
  numHeads: 4,
  intermediateSize: 1024,
  maxPositions: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};
