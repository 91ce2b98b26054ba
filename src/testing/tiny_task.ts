/**
 * Test fixture: a small synthetic retrieval task (src/data/synthetic, `tiny` sizes, msmarco variant
 * unless asked otherwise) tokenised with a vocabulary built from its own text, as training data,
 * a dev split and encoder configs for tiny teachers and students. Used by the trainer, distill,
 * cross-encoder and resume tests.
 *
 * @module
 */

import {
  synthesize,
  SYNTHETIC_SIZES,
  type SyntheticDataset,
  type SyntheticVariant,
} from "../data/synthetic/mod.ts";
import { qrelsFromJudgments } from "../eval/mod.ts";
import type { BertConfig, DualEncoderSpec } from "../models/mod.ts";
import { bertTokenizerConfig, buildWordPieceVocab, WordPieceTokenizer } from "../text/mod.ts";
import type { DevSet, TrainingData, TrainingExample } from "../distill/train/mod.ts";

/** Sizes and lengths of a fixture task. */
export interface TinyTaskOptions {
  /** Training queries (default 300, the synthetic `tiny` size). */
  readonly train?: number;
  /** Corpus documents (default 4000, the synthetic `tiny` size). */
  readonly documents?: number;
  /** Dev queries (default 100, the synthetic `tiny` size). */
  readonly dev?: number;
  /** Dataset seed (default 1). */
  readonly seed?: number;
  /** Synthetic variant (default `msmarco`). */
  readonly variant?: SyntheticVariant["kind"];
  /** Corpus documents also in the unlabeled pool (default: the `tiny` preset's). */
  readonly pool?: number;
  /** Test queries (default: the `tiny` preset's). */
  readonly test?: number;
  /** WordPiece vocabulary size built from the task's text (default 2000). */
  readonly vocabSize?: number;
  /** Default 16. */
  readonly queryLength?: number;
  /** Default 64. */
  readonly documentLength?: number;
}

/** A tokenised task. */
export interface TinyTask {
  readonly dataset: SyntheticDataset;
  readonly tokenizer: WordPieceTokenizer;
  readonly vocabSize: number;
  readonly queryLength: number;
  readonly documentLength: number;
  /** Training data without a teacher (`teacher: none`). */
  readonly data: TrainingData;
  readonly dev: DevSet;
}

/** Build the task (deterministic for fixed options). */
export function tinyTask(options: TinyTaskOptions = {}): TinyTask {
  const queryLength = options.queryLength ?? 16;
  const documentLength = options.documentLength ?? 64;
  const dataset = synthesize({
    variant: { kind: options.variant ?? "msmarco" },
    seed: options.seed ?? 1,
    sizes: {
      ...SYNTHETIC_SIZES.tiny,
      train: options.train ?? SYNTHETIC_SIZES.tiny.train,
      documents: options.documents ?? SYNTHETIC_SIZES.tiny.documents,
      dev: options.dev ?? SYNTHETIC_SIZES.tiny.dev,
      pool: options.pool ?? SYNTHETIC_SIZES.tiny.pool,
      test: options.test ?? SYNTHETIC_SIZES.tiny.test,
    },
  });
  const vocab = buildWordPieceVocab(
    [...dataset.documents.map((d) => d.text), ...dataset.queries.map((q) => q.text)],
    { size: options.vocabSize ?? 2000 },
  );
  const tokenizer = new WordPieceTokenizer(bertTokenizerConfig(vocab));
  const text = new Map(dataset.queries.map((q) => [q.id, q.text]));
  const encodeQuery = (id: string) =>
    tokenizer.encode(text.get(id)!, { maxLength: queryLength }).ids;
  const documents = dataset.documents.map((d) =>
    tokenizer.encode(d.text, { maxLength: documentLength }).ids
  );
  const docIndex = new Map(dataset.documents.map((d, i) => [d.id, i]));
  const queryIndex = new Map(dataset.splits.train.map((id, i) => [id, i]));
  const examples: TrainingExample[] = dataset.qrels.train.filter((j) => j.label > 0).map((j) => ({
    query: queryIndex.get(j.queryId)!,
    positive: docIndex.get(j.docId)!,
  }));
  const dev: DevSet = {
    queryIds: dataset.splits.dev,
    queries: dataset.splits.dev.map(encodeQuery),
    documentIds: dataset.documents.map((d) => d.id),
    qrels: qrelsFromJudgments(
      dataset.qrels.dev.map((j) => ({ queryId: j.queryId, docId: j.docId, label: j.label })),
    ),
  };
  return {
    dataset,
    tokenizer,
    vocabSize: vocab.tokens.length,
    queryLength,
    documentLength,
    data: {
      queries: dataset.splits.train.map(encodeQuery),
      documents,
      examples,
      teacher: { kind: "none" },
    },
    dev,
  };
}

/** A BERT config of the given size (FFN 4 x hidden, 128 positions). */
export function encoderConfig(
  vocabSize: number,
  hiddenSize: number,
  numLayers: number,
  numHeads: number,
): BertConfig {
  return {
    vocabSize,
    hiddenSize,
    numLayers,
    numHeads,
    intermediateSize: 4 * hiddenSize,
    maxPositions: 128,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
  };
}

/** A shared-tower teacher spec: mean pooling, 20 x cosine (PAPER.md, training facts). */
export function teacherSpec(task: TinyTask, encoder: BertConfig): DualEncoderSpec {
  return {
    kind: "dual",
    towers: { kind: "shared", tower: { encoder } },
    pooling: "mean",
    similarity: { kind: "cosine", scale: 20 },
    queryMaxLength: task.queryLength,
    documentMaxLength: task.documentLength,
  };
}
