/**
 * The document side of a dual-pooling cross-encoder teacher's embedding targets (EmbedDistill
 * section 4.2): where it comes from ({@link CeDocumentSide}), and the query-independent
 * document embedding (the CE's pooling over the document encoded alone, `[CLS] [SEP] d [SEP]`).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  bertForward,
  bertInputs,
  checkTokenBatch,
  type CrossEncoderSpec,
  pool,
  segmentAloneMask,
  type TokenBatch,
} from "../../models/mod.ts";

/**
 * Where the CE teacher's DOCUMENT-side target (EmbedDistill Eq. 8) comes from. A dual-pooled CE's
 * document embedding is pooled from `[CLS] q [SEP] d [SEP]`, so it depends on the query; a dual
 * encoder student's document embedding cannot. The paper's exact recipe is not available; options:
 * - `document-alone` (default): the CE's own dual pooling over `[CLS] [SEP] d [SEP]` (the document
 *   segment of a pair with the query removed). A function of d alone, so it can be computed once
 *   per document and cached, and it is the document embedding an ASYMMETRIC student with a CE
 *   teacher scores against (its frozen "teacher document tower"); the same target then serves a
 *   symmetric student's Eq. 8. Chosen because it needs no extra training stage and is consistent
 *   between training and inference. Caveat: an empty query segment is outside what the CE was
 *   trained on, so <q_pair, d_alone> only approximates the CE score; how well is measurable (the
 *   agreement of those scores with the CE's) and the experiments record it.
 * - `pair`: the dual-pooled document embedding of the training pair (q_i, d_i+) itself: exact for
 *   that pair, but the target for one document changes with the query it is paired with.
 * - `none`: no document-side target (query-side matching only).
 * The alternative of first distilling a DE document tower from the CE is a training recipe built
 * from these losses, not an option here.
 */
export type CeDocumentSide = "document-alone" | "pair" | "none";

type CrossModel = {
  readonly spec: CrossEncoderSpec;
  readonly params: ReadonlyMap<string, tf.Tensor>;
};

function dualPooling(spec: CrossEncoderSpec, what: string): { includeSpecialTokens: boolean } {
  if (spec.scorer.kind !== "dual-pooling") {
    throw new TypeError(
      `Cannot compute ${what}: the cross-encoder's scorer is "${spec.scorer.kind}", expected "dual-pooling" (a [CLS] scorer has no query/document embeddings)`,
    );
  }
  return spec.scorer;
}

/**
 * The document-alone rows `[CLS] [SEP] d [SEP]` of a `[CLS] q [SEP] d [SEP]` pair batch: each
 * row keeps the first and last token of its segment 0 ([CLS], [SEP]) and all of its segment 1,
 * right-padded (id 0, mask 0, segment 0) to the longest row. Throws TypeError without segment ids
 * and RangeError when a row has fewer than 2 segment-0 tokens or no segment-1 token.
 */
export function documentAloneBatch(pairs: TokenBatch): TokenBatch {
  checkTokenBatch(pairs);
  const types = pairs.tokenTypeIds;
  if (types === undefined) {
    throw new TypeError("Cannot isolate the documents of a cross-encoder batch: no tokenTypeIds");
  }
  const [b, s] = pairs.shape;
  const rows: { ids: number[]; types: number[] }[] = [];
  for (let row = 0; row < b; row++) {
    const first: number[] = [];
    const second: number[] = [];
    for (let t = 0; t < s; t++) {
      const at = row * s + t;
      if (pairs.attentionMask[at] === 0) continue;
      (types[at] === 0 ? first : second).push(pairs.inputIds[at]!);
    }
    if (first.length < 2 || second.length === 0) {
      throw new RangeError(
        `Cannot isolate the document of row ${row}: expected [CLS] q [SEP] d [SEP], found ${first.length} segment-0 and ${second.length} segment-1 tokens`,
      );
    }
    rows.push({
      ids: [first[0]!, first[first.length - 1]!, ...second],
      types: [0, 0, ...second.map(() => 1)],
    });
  }
  const width = Math.max(...rows.map((r) => r.ids.length));
  const inputIds = new Int32Array(b * width);
  const attentionMask = new Float32Array(b * width);
  const tokenTypeIds = new Int32Array(b * width);
  rows.forEach((r, row) => {
    inputIds.set(r.ids, row * width);
    tokenTypeIds.set(r.types, row * width);
    attentionMask.fill(1, row * width, row * width + r.ids.length);
  });
  return { shape: [b, width], inputIds, attentionMask, tokenTypeIds };
}

/**
 * The CE's dual-pooled document embeddings [n, hidden] of document-alone rows
 * (`[CLS] [SEP] d [SEP]`, see {@link documentAloneBatch}): the mean of the segment-1 token
 * states, without the final [SEP] unless the scorer includes special tokens — the same pooling as
 * the CE's document segment in a pair. Query-independent, so cacheable per document.
 */
export function crossEncoderDocumentAlone(model: CrossModel, documents: TokenBatch): tf.Tensor2D {
  const { includeSpecialTokens } = dualPooling(model.spec, "document-alone embeddings");
  return segmentAlone(model, documents, 1, includeSpecialTokens);
}

/**
 * The CE's dual-pooled query embeddings [n, hidden] of query-alone rows `[CLS] q [SEP]`
 * (segment 0 only, see `queryAloneRows`): the mean of the query tokens, without [CLS] and [SEP]
 * unless the scorer includes special tokens — the CE's query segment with the document removed,
 * mirroring {@link crossEncoderDocumentAlone}.
 */
export function crossEncoderQueryAlone(model: CrossModel, queries: TokenBatch): tf.Tensor2D {
  const { includeSpecialTokens } = dualPooling(model.spec, "query-alone embeddings");
  return segmentAlone(model, queries, 0, includeSpecialTokens);
}

/**
 * The mean of one segment's token states of rows holding that segment alone: segment 1 drops
 * its final [SEP], segment 0 its [CLS] and final [SEP], unless `includeSpecialTokens`.
 */
export function segmentAlone(
  model: CrossModel,
  rows: TokenBatch,
  segment: 0 | 1,
  includeSpecialTokens: boolean,
): tf.Tensor2D {
  const [b, s] = rows.shape;
  const mask = segmentAloneMask(rows, segment, includeSpecialTokens);
  return tf.tidy(() => {
    const hidden = bertForward(
      model.spec.encoder,
      model.params,
      bertInputs(rows, model.spec.encoder),
    );
    return pool(hidden, tf.tensor2d(mask, [b, s]), "mean");
  });
}
