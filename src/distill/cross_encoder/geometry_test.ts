import assert from "node:assert/strict";
import { embeddingGeometry, symmetricEigenvalues } from "./geometry.ts";

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

Deno.test("symmetricEigenvalues: a hand-computed 2 x 2 and a diagonal-plus-rank-one 3 x 3", () => {
  // [[2, 1], [1, 2]]: eigenvalues 1 and 3.
  const two = [...symmetricEigenvalues(Float64Array.from([2, 1, 1, 2]), 2)].sort();
  close(two[0]!, 1);
  close(two[1]!, 3);
  // I + u u^T with u = (1, 1, 1): eigenvalues 1, 1, 4; the trace is kept.
  const three = [...symmetricEigenvalues(Float64Array.from([2, 1, 1, 1, 2, 1, 1, 1, 2]), 3)]
    .sort();
  close(three[0]!, 1);
  close(three[1]!, 1);
  close(three[2]!, 4);
});

Deno.test("embeddingGeometry: isotropic rows have effective rank d and mean cosine below 0; collapsed rows rank 1 and cosine 1", () => {
  // The rows +-e_k: singular values all sqrt(2), pairwise cosines -1 (opposites) or 0.
  const dims = 3;
  const iso = new Float32Array(2 * dims * dims);
  for (let k = 0; k < dims; k++) {
    iso[2 * k * dims + k] = 1;
    iso[(2 * k + 1) * dims + k] = -1;
  }
  const g = embeddingGeometry({ count: 2 * dims, dims, vectors: iso });
  close(g.effectiveRank, 3);
  close(g.topShare, 1 / 3);
  // 6 rows, 3 opposite pairs: cosine sum over ordered pairs = -6, over 30 ordered pairs.
  close(g.meanCosine, -6 / 30);
  const collapsed = embeddingGeometry({
    count: 4,
    dims: 2,
    vectors: Float32Array.from([1, 2, 2, 4, 3, 6, 0.5, 1]),
  });
  close(collapsed.effectiveRank, 1);
  close(collapsed.meanCosine, 1);
  close(collapsed.topShare, 1);
  assert.throws(
    () => embeddingGeometry({ count: 1, dims: 2, vectors: new Float32Array(2) }),
    /at least 2/,
  );
});
