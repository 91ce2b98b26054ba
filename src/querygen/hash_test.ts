/**
 * Tests of the config / corpus hashes.
 *
 * @module
 */

import assert from "node:assert/strict";
import { sha256Text } from "../io/mod.ts";
import { configHash, corpusHash } from "./hash.ts";

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
