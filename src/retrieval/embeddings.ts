/**
 * Row-major float32 embedding matrices with their row ids: queries to search with and blocks of
 * documents to search in.
 *
 * @module
 */

/** `ids.length` row vectors of `dims` floats, row-major in `vectors`. */
export interface IdEmbeddings {
  readonly ids: readonly string[];
  readonly dims: number;
  readonly vectors: Float32Array;
}

/**
 * Check that `vectors` holds exactly `ids.length * dims` floats; returns its argument.
 * `what` names the matrix in the error message.
 */
export function checkEmbeddings<T extends IdEmbeddings>(matrix: T, what: string): T {
  if (!Number.isInteger(matrix.dims) || matrix.dims <= 0) {
    throw new RangeError(
      `Cannot use ${what}: expected a positive integer dimension, found ${matrix.dims}`,
    );
  }
  if (matrix.vectors.length !== matrix.ids.length * matrix.dims) {
    throw new TypeError(
      `Cannot use ${what}: expected ${matrix.ids.length} x ${matrix.dims} = ${
        matrix.ids.length * matrix.dims
      } floats, found ${matrix.vectors.length}`,
    );
  }
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
