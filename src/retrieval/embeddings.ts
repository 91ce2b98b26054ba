/**
 * Row-major float32 embedding matrices with their row ids: queries to search with and blocks of
 * documents to search in.
 *
 * @module
 */

import { checkMatrix, type Matrix } from "../io/mod.ts";

/**
 * io's {@linkcode Matrix} with named rows: `ids.length` row vectors of `dims` floats, row-major
 * in `vectors`. The row count is `ids.length` rather than a `count` field that could disagree
 * with it.
 */
export interface IdEmbeddings extends Omit<Matrix, "count"> {
  /** Row ids, one per row. */
  readonly ids: readonly string[];
}

/**
 * Check that `vectors` holds exactly `ids.length * dims` floats (io's `checkMatrix`); returns
 * its argument. `what` names the matrix in the error message.
 */
export function checkEmbeddings<T extends IdEmbeddings>(matrix: T, what: string): T {
  checkMatrix({ count: matrix.ids.length, dims: matrix.dims, vectors: matrix.vectors }, what);
  return matrix;
}

/** Split a matrix into consecutive blocks of at most `rows` rows (views, no copies). */
export function* blocksOf(matrix: IdEmbeddings, rows: number): Generator<IdEmbeddings> {
  if (!Number.isInteger(rows) || rows <= 0) {
    throw new RangeError(`Cannot split embeddings into blocks of ${rows} rows: expected >= 1`);
  }
  for (let start = 0; start < matrix.ids.length; start += rows) {
    const end = Math.min(matrix.ids.length, start + rows);
    yield {
      ids: matrix.ids.slice(start, end),
      dims: matrix.dims,
      vectors: matrix.vectors.subarray(start * matrix.dims, end * matrix.dims),
    };
  }
}
