import assert from "node:assert/strict";
import { canonicalJson } from "./canonical_json.ts";

/** Independent reference: JSON.stringify with keys sorted by a replacer. */
function sortedStringify(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
        : v,
  );
}

Deno.test("canonicalJson sorts keys at every depth and writes no whitespace", () => {
  assert.deepStrictEqual(
    canonicalJson({ b: 1, a: [true, "x", null] }),
    '{"a":[true,"x",null],"b":1}',
  );
  const nested = { z: { y: 2, x: [{ d: 1.5, c: "é\n" }] }, a: -0, kind: "k" };
  assert.deepStrictEqual(canonicalJson(nested), sortedStringify(nested));
});

Deno.test("canonicalJson omits undefined properties and refuses non-JSON values", () => {
  assert.deepStrictEqual(canonicalJson({ a: 1, b: undefined }), '{"a":1}');
  assert.throws(() => canonicalJson({ a: Infinity }), RangeError);
  assert.throws(() => canonicalJson({ a: NaN }), RangeError);
  assert.throws(() => canonicalJson([undefined]), TypeError);
  assert.throws(() => canonicalJson({ when: new Date(0) }), TypeError);
  assert.throws(() => canonicalJson(new Map()), TypeError);
});
