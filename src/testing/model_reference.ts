/**
 * Float64 plain-TypeScript reference of the dual encoder (tower, pooling, projection, similarity)
 * and the cross-encoder (`cls` head, dual pooling), built on bert_reference.ts: the independent
 * side of the tfjs parity and finite-difference gradient tests.
 *
 * @module
 */

import {
  type ReferenceBatch,
  referenceForward,
  referenceLinear,
  referenceParam,
  referencePool,
  type ReferenceWeights,
} from "./bert_reference.ts";
import {
  type CrossEncoderSpec,
  type DualEncoderSpec,
  type Side,
  type Similarity,
  towerOf,
  towerPrefix,
} from "../models/mod.ts";

/** Embeddings of one side's sequences: encoder, pooling over the attention mask, projection. */
export function referenceEmbed(
  spec: DualEncoderSpec,
  weights: ReferenceWeights,
  side: Side,
  batch: ReferenceBatch,
): Float64Array[] {
  const tower = towerOf(spec, side);
  const prefix = towerPrefix(spec, side);
  const h = tower.encoder.hiddenSize;
  return referenceForward(tower.encoder, weights, batch, prefix).map((hidden, b) => {
    const pooled = referencePool(hidden, h, batch.attentionMask[b]!, spec.pooling);
    if (tower.projectionDim === undefined) return pooled;
    return referenceLinear(
      pooled,
      1,
      h,
      referenceParam(weights, "projection.weight", prefix),
      referenceParam(weights, "projection.bias", prefix),
      tower.projectionDim,
    );
  });
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Similarity of two embeddings: inner product, or scale * cosine with norms at least 1e-12. */
export function referenceSimilarity(
  similarity: Similarity,
  q: Float64Array,
  d: Float64Array,
): number {
  switch (similarity.kind) {
    case "dot":
      return dot(q, d);
    case "cosine": {
      const nq = Math.max(Math.sqrt(dot(q, q)), 1e-12);
      const nd = Math.max(Math.sqrt(dot(d, d)), 1e-12);
      return (similarity.scale * dot(q, d)) / (nq * nd);
    }
    default: {
      const unreachable: never = similarity;
      throw new TypeError(`Unknown similarity ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Scores of every query against every document, [queries][documents]. */
export function referenceScoreBatches(
  spec: DualEncoderSpec,
  weights: ReferenceWeights,
  queries: ReferenceBatch,
  documents: ReferenceBatch,
): number[][] {
  const q = referenceEmbed(spec, weights, "query", queries);
  const d = referenceEmbed(spec, weights, "document", documents);
  return q.map((qi) => d.map((dj) => referenceSimilarity(spec.similarity, qi, dj)));
}

/** Cross-encoder scores, and for dual pooling the segment embeddings. */
export interface ReferenceCrossOutput {
  readonly scores: number[];
  readonly queryEmbeddings?: Float64Array[];
  readonly documentEmbeddings?: Float64Array[];
}

/** Token weights of the two segments of one `[CLS] q [SEP] d [SEP]` row (padding excluded). */
function segmentWeights(
  mask: readonly number[],
  types: readonly number[],
  includeSpecialTokens: boolean,
): [number[], number[]] {
  const query = mask.map((m, t) => (m !== 0 && types[t] === 0 ? 1 : 0));
  const document = mask.map((m, t) => (m !== 0 && types[t] === 1 ? 1 : 0));
  if (!includeSpecialTokens) {
    query[query.indexOf(1)] = 0; // [CLS]
    query[query.lastIndexOf(1)] = 0; // first [SEP]
    document[document.lastIndexOf(1)] = 0; // final [SEP]
  }
  return [query, document];
}

/** Float64 cross-encoder forward pass over `[CLS] q [SEP] d [SEP]` rows. */
export function referenceCrossForward(
  spec: CrossEncoderSpec,
  weights: ReferenceWeights,
  batch: ReferenceBatch,
): ReferenceCrossOutput {
  const h = spec.encoder.hiddenSize;
  const hidden = referenceForward(spec.encoder, weights, batch);
  const scorer = spec.scorer;
  switch (scorer.kind) {
    case "cls": {
      const scores = hidden.map((states) => {
        const pooled = referenceLinear(
          states.slice(0, h),
          1,
          h,
          referenceParam(weights, "pooler.dense.weight"),
          referenceParam(weights, "pooler.dense.bias"),
          h,
        ).map(Math.tanh);
        return referenceLinear(
          pooled,
          1,
          h,
          referenceParam(weights, "classifier.weight"),
          referenceParam(weights, "classifier.bias"),
          1,
        )[0]!;
      });
      return { scores };
    }
    case "dual-pooling": {
      const queryEmbeddings: Float64Array[] = [];
      const documentEmbeddings: Float64Array[] = [];
      hidden.forEach((states, b) => {
        const types = batch.tokenTypeIds?.[b] ?? [];
        const [qw, dw] = segmentWeights(
          batch.attentionMask[b]!,
          types,
          scorer.includeSpecialTokens,
        );
        queryEmbeddings.push(referencePool(states, h, qw, "mean"));
        documentEmbeddings.push(referencePool(states, h, dw, "mean"));
      });
      const scores = queryEmbeddings.map((q, b) => dot(q, documentEmbeddings[b]!));
      return { scores, queryEmbeddings, documentEmbeddings };
    }
    default: {
      const unreachable: never = scorer;
      throw new TypeError(`Unknown cross-encoder scorer ${JSON.stringify(unreachable)}`);
    }
  }
}
