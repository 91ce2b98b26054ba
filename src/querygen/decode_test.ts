/**
 * Tests of greedy and top-k token choice against hand-computed distributions.
 *
 * @module
 */

import assert from "node:assert/strict";
import { seededRandom } from "../engine/mod.ts";
import {
  argMax,
  sampleTopK,
  type TopKDecoding,
  topKDistribution,
  validateDecoding,
} from "./decode.ts";

const close = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) < 1e-12);

Deno.test("argMax reads one row at an offset and breaks ties towards the lower id", () => {
  const logits = new Float32Array([9, 9, 9, 1, 3, 3, 2, NaN, 0]);
  assert.equal(argMax(logits, 3, 3), 1);
  assert.equal(argMax(logits, 6, 3), 0);
  assert.equal(argMax(logits, 0, 3), 0);
});

Deno.test("topKDistribution keeps the k highest logits and softmaxes them with temperature", () => {
  const logits = [1, 3, 2, 3];
  const k2 = topKDistribution(logits, 0, 4, 2, 1);
  assert.deepStrictEqual(k2.ids, [1, 3]);
  assert.ok(close(k2.probabilities, [0.5, 0.5]));
  const k3 = topKDistribution(logits, 0, 4, 3, 1);
  const z = 2 + Math.exp(-1);
  assert.deepStrictEqual(k3.ids, [1, 3, 2]);
  assert.ok(close(k3.probabilities, [1 / z, 1 / z, Math.exp(-1) / z]));
  const t2 = topKDistribution(logits, 0, 4, 4, 2);
  const z2 = 2 + Math.exp(-0.5) + Math.exp(-1);
  assert.deepStrictEqual(t2.ids, [1, 3, 2, 0]);
  assert.ok(close(t2.probabilities, [1 / z2, 1 / z2, Math.exp(-0.5) / z2, Math.exp(-1) / z2]));
  // k above the vocabulary size keeps everything; NaN logits are never candidates.
  assert.deepStrictEqual(topKDistribution([0, NaN, 5], 0, 3, 10, 1).ids, [2, 0]);
});

Deno.test("sampleTopK draws each candidate at its top-k probability", () => {
  const logits = [0, 2, 1, -5, 1.5];
  const decoding: TopKDecoding = { kind: "top-k", k: 3, temperature: 1, seed: 0 };
  const { ids, probabilities } = topKDistribution(logits, 0, 5, 3, 1);
  const random = seededRandom(11);
  const counts = new Map<number, number>();
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const t = sampleTopK(logits, 0, 5, decoding, random);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  assert.deepStrictEqual([...counts.keys()].sort(), [...ids].sort());
  ids.forEach((id, i) => {
    const p = probabilities[i]!;
    const sd = Math.sqrt(p * (1 - p) / n);
    assert.ok(Math.abs(counts.get(id)! / n - p) < 4.5 * sd, `token ${id}`);
  });
  const k1: TopKDecoding = { ...decoding, k: 1 };
  assert.equal(sampleTopK(logits, 0, 5, k1, random), argMax(logits, 0, 5));
});

Deno.test("validateDecoding refuses bad top-k settings", () => {
  assert.deepStrictEqual(validateDecoding({ kind: "greedy" }), { kind: "greedy" });
  const ok: TopKDecoding = { kind: "top-k", k: 5, temperature: 0.7, seed: 3 };
  assert.deepStrictEqual(validateDecoding(ok), ok);
  assert.throws(() => validateDecoding({ ...ok, k: 0 }), RangeError);
  assert.throws(() => validateDecoding({ ...ok, temperature: 0 }), RangeError);
  assert.throws(() => validateDecoding({ ...ok, seed: 1.5 }), RangeError);
});
