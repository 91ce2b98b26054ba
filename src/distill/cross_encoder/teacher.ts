/**
 * A cross-encoder teacher as plain data, its content hash, and the token batches it reads:
 * `[CLS] q [SEP] d [SEP]` pairs and document-alone `[CLS] [SEP] d [SEP]` rows, built from bare
 * token ids (no special tokens).
 *
 * @module
 */

import { type CrossEncoderSpec, type NamedTensors, type TokenBatch } from "../../models/mod.ts";
import { pairTruncationLengths } from "../../text/mod.ts";

/** A cross-encoder teacher: its spec (`cls` or `dual-pooling` scorer) and weights. */
export interface CrossEncoderTeacher {
  readonly spec: CrossEncoderSpec;
  readonly weights: NamedTensors;
}

/** Bare token ids (no `[CLS]` / `[SEP]`) of the texts a cross-encoder pairs, and those two ids. */
export interface CeTokens {
  readonly queries: readonly ArrayLike<number>[];
  readonly documents: readonly ArrayLike<number>[];
  readonly clsId: number;
  readonly sepId: number;
}

function rowsToBatch(rows: readonly { ids: number[]; types: number[] }[]): TokenBatch {
  const width = Math.max(1, ...rows.map((r) => r.ids.length));
  const inputIds = new Int32Array(rows.length * width);
  const attentionMask = new Int32Array(rows.length * width);
  const tokenTypeIds = new Int32Array(rows.length * width);
  rows.forEach((r, i) => {
    inputIds.set(r.ids, i * width);
    tokenTypeIds.set(r.types, i * width);
    attentionMask.fill(1, i * width, i * width + r.ids.length);
  });
  return { shape: [rows.length, width], inputIds, attentionMask, tokenTypeIds };
}

function row(tokens: CeTokens, list: "queries" | "documents", index: number): number[] {
  const ids = tokens[list][index];
  if (ids === undefined) {
    throw new RangeError(
      `Cannot build a cross-encoder row: no ${list} entry ${index} (${tokens[list].length} given)`,
    );
  }
  return Array.from(ids);
}

/**
 * Rows `[CLS] q [SEP] d [SEP]` (segment 0 up to the first `[SEP]`, 1 after) of (query, document)
 * index pairs, each cut to `maxLength` tokens with Hugging Face's `longest_first` truncation,
 * right-padded (id 0, mask 0) to the longest row.
 */
export function pairRows(
  tokens: CeTokens,
  pairs: readonly (readonly [number, number])[],
  maxLength: number,
): TokenBatch {
  return rowsToBatch(pairs.map(([q, d]) => {
    let a = row(tokens, "queries", q);
    let b = row(tokens, "documents", d);
    const [n1, n2] = pairTruncationLengths(a.length, b.length, maxLength - 3, "longest_first");
    a = a.slice(0, n1);
    b = b.slice(0, n2);
    return {
      ids: [tokens.clsId, ...a, tokens.sepId, ...b, tokens.sepId],
      types: [0, ...a.map(() => 0), 0, ...b.map(() => 1), 1],
    };
  }));
}

/**
 * Document-alone rows `[CLS] [SEP] d [SEP]` (the pair layout with an empty query, see
 * `documentAloneBatch`), documents cut to `maxLength - 3` tokens.
 */
export function documentAloneRows(
  tokens: CeTokens,
  documents: readonly number[],
  maxLength: number,
): TokenBatch {
  return rowsToBatch(documents.map((d) => {
    const b = row(tokens, "documents", d).slice(0, Math.max(0, maxLength - 3));
    return {
      ids: [tokens.clsId, tokens.sepId, ...b, tokens.sepId],
      types: [0, 0, ...b.map(() => 1), 1],
    };
  }));
}

/**
 * Query-alone rows `[CLS] q [SEP]` (segment 0 only: the pair layout with the document removed),
 * queries cut to `maxLength - 2` tokens.
 */
export function queryAloneRows(
  tokens: CeTokens,
  queries: readonly number[],
  maxLength: number,
): TokenBatch {
  return rowsToBatch(queries.map((q) => {
    const a = row(tokens, "queries", q).slice(0, Math.max(0, maxLength - 2));
    return { ids: [tokens.clsId, ...a, tokens.sepId], types: [0, ...a.map(() => 0), 0] };
  }));
}
