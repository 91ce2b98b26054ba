/**
 * The one dense float matrix of the library: `count` row vectors of `dims` floats, row-major.
 *
 * @module
 */

/** `count` row vectors of `dims` floats, row-major in `vectors` (length `count * dims`). */
export interface Matrix {
  readonly count: number;
  readonly dims: number;
  readonly vectors: Float32Array;
}

/**
 * Check that `matrix.vectors` holds exactly `count * dims` floats and that both are
 * non-negative integers (`dims` positive); returns its argument. `what` names the matrix in
 * the error message.
 */
export function checkMatrix<T extends Matrix>(matrix: T, what: string): T {
  if (!Number.isInteger(matrix.dims) || matrix.dims <= 0) {
    throw new RangeError(
      `Cannot use ${what}: expected a positive integer dimension, found ${matrix.dims}`,
    );
  }
  if (!Number.isInteger(matrix.count) || matrix.count < 0) {
    throw new RangeError(
      `Cannot use ${what}: expected a non-negative integer row count, found ${matrix.count}`,
    );
  }
  if (matrix.vectors.length !== matrix.count * matrix.dims) {
    throw new TypeError(
      `Cannot use ${what}: expected ${matrix.count} x ${matrix.dims} = ${
        matrix.count * matrix.dims
      } floats, found ${matrix.vectors.length}`,
    );
  }
  return matrix;
}

/** Row `row` of `matrix` as a view (no copy). */
export function matrixRow(matrix: Matrix, row: number): Float32Array {
  if (!Number.isInteger(row) || row < 0 || row >= matrix.count) {
    throw new RangeError(`Cannot read row ${row} of a ${matrix.count}-row matrix`);
  }
  return matrix.vectors.subarray(row * matrix.dims, (row + 1) * matrix.dims);
}
