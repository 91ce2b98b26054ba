/**
 * Encoded sequences and padded batches: the flat row-major `input_ids` / `attention_mask` /
 * `token_type_ids` a tfjs model or an ONNX Runtime session consumes.
 *
 * @module
 */

/** One encoded sequence (special tokens included, no padding). */
export interface Encoding {
  readonly ids: readonly number[];
  /** Segment of each token: 0 for the first sequence (with `[CLS]` and its `[SEP]`), 1 for the second. */
  readonly tokenTypeIds: readonly number[];
}

/**
 * How a batch is padded: to its longest sequence (optionally rounded up to a multiple, e.g. 8),
 * or to a fixed length.
 */
export type Padding =
  | { readonly kind: "longest"; readonly multipleOf?: number }
  | { readonly kind: "fixed"; readonly length: number };

/** A padded batch in row-major `[batchSize, seqLength]` layout, padding on the right. */
export interface EncodedBatch {
  readonly batchSize: number;
  readonly seqLength: number;
  readonly shape: readonly [number, number];
  readonly inputIds: Readonly<Int32Array>;
  /** 1 for real tokens, 0 for padding. */
  readonly attentionMask: Readonly<Int32Array>;
  readonly tokenTypeIds: Readonly<Int32Array>;
  /** The unpadded length of each sequence. */
  readonly lengths: Readonly<Int32Array>;
}

function paddedLength(encodings: readonly Encoding[], padding: Padding): number {
  let longest = 0;
  for (const e of encodings) longest = Math.max(longest, e.ids.length);
  switch (padding.kind) {
    case "longest": {
      const m = padding.multipleOf ?? 1;
      if (!Number.isInteger(m) || m < 1) {
        throw new RangeError(
          `Cannot pad a batch: multipleOf must be a positive integer, found ${m}`,
        );
      }
      return Math.ceil(longest / m) * m;
    }
    case "fixed": {
      if (!Number.isInteger(padding.length) || padding.length < 0) {
        throw new RangeError(
          `Cannot pad a batch: fixed length must be a non-negative integer, found ${padding.length}`,
        );
      }
      if (longest > padding.length) {
        throw new RangeError(
          `Cannot pad a batch to fixed length ${padding.length}: a sequence has ${longest} tokens (truncate first)`,
        );
      }
      return padding.length;
    }
    default: {
      const never: never = padding;
      throw new TypeError(`Unknown padding kind "${String((never as Padding).kind)}"`);
    }
  }
}

/**
 * Pad encodings into one batch. Padding positions get `padId`, token type 0 and mask 0.
 *
 * @example
 * ```ts
 * const b = padBatch([{ ids: [101, 7592, 102], tokenTypeIds: [0, 0, 0] }], { kind: "fixed", length: 4 }, 0);
 * b.inputIds; // Int32Array [101, 7592, 102, 0]
 * ```
 */
export function padBatch(
  encodings: readonly Encoding[],
  padding: Padding,
  padId: number,
): EncodedBatch {
  const batchSize = encodings.length;
  const seqLength = paddedLength(encodings, padding);
  const inputIds = new Int32Array(batchSize * seqLength);
  const attentionMask = new Int32Array(batchSize * seqLength);
  const tokenTypeIds = new Int32Array(batchSize * seqLength);
  const lengths = new Int32Array(batchSize);
  if (padId !== 0) inputIds.fill(padId);
  encodings.forEach((e, row) => {
    const base = row * seqLength;
    inputIds.set(e.ids, base);
    tokenTypeIds.set(e.tokenTypeIds, base);
    attentionMask.fill(1, base, base + e.ids.length);
    lengths[row] = e.ids.length;
  });
  return {
    batchSize,
    seqLength,
    shape: [batchSize, seqLength],
    inputIds,
    attentionMask,
    tokenTypeIds,
    lengths,
  };
}
