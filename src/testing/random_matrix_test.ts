import assert from "node:assert/strict";
import { randomMatrix } from "./random_matrix.ts";

Deno.test("randomMatrix is seeded, shaped rows x cols and scaled", () => {
  const a = randomMatrix(3, 4, 7);
  assert.equal(a.length, 3);
  assert.ok(a.every((row) => row.length === 4));
  assert.deepEqual(randomMatrix(3, 4, 7), a);
  assert.notDeepEqual(randomMatrix(3, 4, 8), a);
  const scaled = randomMatrix(3, 4, 7, 2);
  scaled.forEach((row, i) => row.forEach((x, j) => assert.equal(x, 2 * a[i]![j]!)));
});
