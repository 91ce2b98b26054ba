/**
 * Tests of canonical JSON and the config / corpus hashes.
 *
 * @module
 */

import assert from "node:assert/strict";
import { canonicalJson, configHash, corpusHash, sha256Text } from "./query_gen_hash.ts";

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

Deno.test("sha256Text matches the FIPS 180-2 test vector and configHash hashes canonical JSON", () => {
  assert.deepStrictEqual(
    sha256Text("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.deepStrictEqual(configHash({ b: 2, a: 1 }), configHash({ a: 1, b: 2 }));
  assert.deepStrictEqual(configHash({ b: 2, a: 1 }), sha256Text('{"a":1,"b":2}'));
  assert.notDeepStrictEqual(configHash({ a: 1 }), configHash({ a: 2 }));
});

Deno.test("corpusHash depends on every field and on document order", () => {
  const a = { id: "1", title: "t", text: "x" };
  const b = { id: "2", title: "", text: "y" };
  const base = corpusHash([a, b]);
  assert.deepStrictEqual(corpusHash([{ ...a }, { ...b }]), base);
  assert.notDeepStrictEqual(corpusHash([b, a]), base);
  assert.notDeepStrictEqual(corpusHash([{ ...a, title: "" }, b]), base);
  assert.notDeepStrictEqual(corpusHash([{ ...a, text: "x " }, b]), base);
  assert.deepStrictEqual(
    corpusHash([a]),
    sha256Text('{"id":"1","text":"x","title":"t"}\n'),
  );
});
