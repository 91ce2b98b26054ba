/**
 * Pooling token states into one embedding per sequence (`cls`: the [CLS] state; `mean`: the
 * average over weighted tokens, as sentence-transformers' mean pooling over the attention mask),
 * and the segment masks the cross-encoder's dual pooling averages over.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Pooling } from "./config.ts";
import { checkTokenBatch, type TokenBatch } from "./token_batch.ts";

/**
 * Pool hidden states [B, S, H] to [B, H]. `weights` [B, S] selects the tokens of `mean` (the
 * attention mask, or a segment mask); `cls` takes token 0.
 */
export function pool(hidden: tf.Tensor3D, weights: tf.Tensor2D, pooling: Pooling): tf.Tensor2D {
  const [b, , h] = hidden.shape;
  switch (pooling) {
    case "cls":
      return tf.reshape(tf.slice(hidden, [0, 0, 0], [b, 1, h]), [b, h]);
    case "mean": {
      const summed = tf.sum(tf.mul(hidden, tf.expandDims(weights, 2)), 1) as tf.Tensor2D;
      return tf.div(summed, tf.sum(weights, 1, true));
    }
    default: {
      const unreachable: never = pooling;
      throw new TypeError(`Cannot pool with ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The tokens of the two segments of `[CLS] q [SEP] d [SEP]` rows, as 0/1 masks [B * S]. */
export interface SegmentMasks {
  readonly query: Float32Array;
  readonly document: Float32Array;
}

/**
 * Segment masks of a cross-encoder batch: the query segment is segment id 0, the document segment
 * id 1 (padding excluded). Without special tokens, [CLS] and the first [SEP] leave the query
 * segment and the final [SEP] the document segment. Throws RangeError when a segment is empty.
 */
export function segmentMasks(batch: TokenBatch, includeSpecialTokens: boolean): SegmentMasks {
  checkTokenBatch(batch);
  const [b, s] = batch.shape;
  const types = batch.tokenTypeIds;
  if (types === undefined) {
    throw new TypeError(
      "Cannot find the segments of a cross-encoder batch: it has no tokenTypeIds",
    );
  }
  const query = new Float32Array(b * s);
  const document = new Float32Array(b * s);
  for (let row = 0; row < b; row++) {
    const q: number[] = [];
    const dPos: number[] = [];
    for (let t = 0; t < s; t++) {
      const at = row * s + t;
      if (batch.attentionMask[at] === 0) continue;
      (types[at] === 0 ? q : dPos).push(at);
    }
    const qKeep = includeSpecialTokens ? q : q.slice(1, -1);
    const dKeep = includeSpecialTokens ? dPos : dPos.slice(0, -1);
    if (qKeep.length === 0 || dKeep.length === 0) {
      throw new RangeError(
        `Cannot pool row ${row} of a cross-encoder batch: its ${
          qKeep.length === 0 ? "query" : "document"
        } segment has no tokens`,
      );
    }
    for (const at of qKeep) query[at] = 1;
    for (const at of dKeep) document[at] = 1;
  }
  return { query, document };
}

/**
 * The token masks of rows holding one segment alone (`[CLS] q [SEP]` for segment 0,
 * `[CLS] [SEP] d [SEP]` for segment 1): that segment's unpadded tokens, without its final [SEP]
 * (and, for segment 0, its [CLS]) unless `includeSpecialTokens`. Row-major [B * S] 0/1; throws
 * RangeError naming the row when nothing is left to pool.
 */
export function segmentAloneMask(
  rows: TokenBatch,
  segment: 0 | 1,
  includeSpecialTokens: boolean,
): Float32Array {
  checkTokenBatch(rows);
  const [b, s] = rows.shape;
  const mask = new Float32Array(b * s);
  for (let row = 0; row < b; row++) {
    const positions: number[] = [];
    for (let t = 0; t < s; t++) {
      const at = row * s + t;
      if (rows.attentionMask[at] !== 0 && (rows.tokenTypeIds?.[at] ?? 0) === segment) {
        positions.push(at);
      }
    }
    const keep = includeSpecialTokens
      ? positions
      : segment === 1
      ? positions.slice(0, -1)
      : positions.slice(1, -1);
    if (keep.length === 0) {
      throw new RangeError(
        `Cannot pool the ${
          segment === 1 ? "document" : "query"
        } of row ${row}: its segment has no tokens`,
      );
    }
    for (const at of keep) mask[at] = 1;
  }
  return mask;
}
