import assert from "node:assert/strict";
import { checkMatrix, matrixRow } from "./matrix.ts";

Deno.test("checkMatrix accepts a consistent matrix and names the bad one", () => {
  const m = { count: 2, dims: 3, vectors: new Float32Array([1, 2, 3, 4, 5, 6]) };
  assert.equal(checkMatrix(m, "x"), m);
  assert.throws(
    () => checkMatrix({ count: 2, dims: 3, vectors: new Float32Array(5) }, "teacher queries"),
    /Cannot use teacher queries: expected 2 x 3 = 6 floats, found 5/,
  );
  assert.throws(
    () => checkMatrix({ count: 1, dims: 0, vectors: new Float32Array(0) }, "y"),
    RangeError,
  );
});

Deno.test("matrixRow returns a view of one row", () => {
  const m = { count: 2, dims: 2, vectors: new Float32Array([1, 2, 3, 4]) };
  assert.deepEqual([...matrixRow(m, 1)], [3, 4]);
  matrixRow(m, 0)[0] = 9;
  assert.equal(m.vectors[0], 9);
  assert.throws(() => matrixRow(m, 2), /Cannot read row 2 of a 2-row matrix/);
});
