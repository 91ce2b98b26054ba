import assert from "node:assert/strict";
import { reference, scalarLoop, tsMatmul } from "./references.ts";

Deno.test("scalarLoop: the sum of the LCG's low 10 bits (checked by hand for 3 steps)", () => {
  // x1 = 1664525 + 1013904223 = 1015568748, x2, x3 by the same recurrence.
  let x = 1;
  let expected = 0;
  for (let i = 0; i < 3; i++) {
    x = Number((BigInt(x) * 1664525n + 1013904223n) % 2n ** 32n);
    expected += x % 1024;
  }
  assert.equal(scalarLoop(3), expected);
});

Deno.test("tsMatmul: a 2 x 2 product", () => {
  const c = new Float32Array(4);
  tsMatmul(Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8), c, 2);
  assert.deepEqual([...c], [19, 22, 43, 50]);
});

Deno.test("reference: scalar is the loop; sgemm says which BLAS it ran on (none when disabled)", () => {
  const scalar = reference("scalar", 1);
  assert.equal(scalar.name, "scalar-loop-8M");
  assert.equal(scalar.blas, null);
  const sgemm = reference("sgemm", 1);
  assert.match(sgemm.name, /^(sgemm-512x4|ts-matmul-128x4)$/);
  assert.equal(sgemm.blas === null, sgemm.name.startsWith("ts-matmul"));
  sgemm.run();
});
