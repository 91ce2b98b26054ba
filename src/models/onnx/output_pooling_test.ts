import assert from "node:assert/strict";
import { normalizeRows, poolEncoderOutput } from "./output_pooling.ts";

// Two rows padded to 3 tokens of hidden size 2: row 0 has 3 tokens, row 1 has 1.
const states = new Float32Array([1, 2, 3, 4, 5, 9, /* row 1 */ 7, 8, 100, 100, 100, 100]);

Deno.test("poolEncoderOutput takes token 0 or averages the unpadded tokens", () => {
  assert.deepEqual(
    [...poolEncoderOutput(states, [2, 3, 2], [3, 1], "cls", "h")],
    [1, 2, 7, 8],
  );
  assert.deepEqual(
    [...poolEncoderOutput(states, [2, 3, 2], [3, 1], "mean", "h")],
    [3, 5, 7, 8],
  );
  const pooled = new Float32Array([1, 2, 3, 4]);
  assert.deepEqual(poolEncoderOutput(pooled, [2, 2], [3, 1], "none", "e"), pooled);
});

Deno.test("poolEncoderOutput rejects outputs of the wrong rank or size", () => {
  assert.throws(
    () => poolEncoderOutput(states, [2, 3, 2], [3, 1], "none", "h"),
    /pooling "none": expected \[2, dim\], found \[2,3,2\]/,
  );
  assert.throws(
    () => poolEncoderOutput(states, [2, 6], [3, 1], "mean", "e"),
    /Cannot mean-pool output "e": expected \[2, 3, hidden\]/,
  );
});

Deno.test("normalizeRows divides by the L2 norm, leaving zero rows at zero", () => {
  const v = normalizeRows(new Float32Array([3, 4, 0, 0]), 2);
  assert.deepEqual([...v], [0.6, 0.8, 0, 0].map(Math.fround));
});
