import assert from "node:assert/strict";
import { isSpace } from "./trec_space.ts";

Deno.test("byte helpers: C isspace", () => {
  assert.deepEqual([9, 10, 11, 12, 13, 32, 0, 65].map(isSpace), [
    true,
    true,
    true,
    true,
    true,
    true,
    false,
    false,
  ]);
});
