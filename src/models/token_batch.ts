/**
 * The padded token batch the models consume (structurally the tokenizer's `EncodedBatch`:
 * row-major `[batch, seq]` ids, attention mask and segment ids) and its conversion to tensors.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** A padded batch, row-major `[batchSize, seqLength]`; mask 1 = token, 0 = padding. */
export interface TokenBatch {
  readonly shape: readonly [number, number];
  readonly inputIds: ArrayLike<number>;
  readonly attentionMask: ArrayLike<number>;
  /** Segment ids (0 query / first text, 1 document / second text); all 0 when omitted. */
  readonly tokenTypeIds?: ArrayLike<number>;
}

/** The tensors of a batch: int32 ids and segments, float32 mask, each `[batch, seq]`. */
export interface BertInputs {
  readonly inputIds: tf.Tensor2D;
  readonly attentionMask: tf.Tensor2D;
  readonly tokenTypeIds: tf.Tensor2D;
}

/** Check the array lengths of a batch against its shape; throws TypeError naming the field. */
export function checkTokenBatch(batch: TokenBatch): void {
  const [b, s] = batch.shape;
  const n = b * s;
  const fields: Array<[string, ArrayLike<number> | undefined]> = [
    ["inputIds", batch.inputIds],
    ["attentionMask", batch.attentionMask],
    ["tokenTypeIds", batch.tokenTypeIds],
  ];
  for (const [name, values] of fields) {
    if (values !== undefined && values.length !== n) {
      throw new TypeError(
        `Cannot use token batch: ${name} has ${values.length} entries, expected ${b} x ${s} = ${n}`,
      );
    }
  }
}

/** Vocabulary sizes ids must stay below (an out-of-range id would embed garbage silently). */
export interface IdLimits {
  readonly vocabSize: number;
  readonly typeVocabSize: number;
}

/** Throw RangeError naming the first id or segment id outside `limits`. */
export function checkIds(batch: TokenBatch, limits: IdLimits): void {
  const [b, s] = batch.shape;
  for (let i = 0; i < b * s; i++) {
    const id = batch.inputIds[i]!;
    const type = batch.tokenTypeIds?.[i] ?? 0;
    if (!(id >= 0 && id < limits.vocabSize && type >= 0 && type < limits.typeVocabSize)) {
      throw new RangeError(
        `Cannot embed token ${i % s} of row ${
          Math.floor(i / s)
        }: id ${id} (vocabulary ${limits.vocabSize}) or segment ${type} (${limits.typeVocabSize} segments) out of range`,
      );
    }
  }
}

/**
 * Make the input tensors of a batch (the caller disposes them, or runs inside `tf.tidy`); with
 * `limits`, ids are checked first.
 */
export function bertInputs(batch: TokenBatch, limits?: IdLimits): BertInputs {
  checkTokenBatch(batch);
  if (limits !== undefined) checkIds(batch, limits);
  const shape: [number, number] = [batch.shape[0], batch.shape[1]];
  return {
    inputIds: tf.tensor2d(Int32Array.from(batch.inputIds), shape, "int32"),
    attentionMask: tf.tensor2d(Float32Array.from(batch.attentionMask), shape, "float32"),
    tokenTypeIds: batch.tokenTypeIds === undefined
      ? tf.zeros(shape, "int32")
      : tf.tensor2d(Int32Array.from(batch.tokenTypeIds), shape, "int32"),
  };
}
