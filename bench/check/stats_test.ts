import assert from "node:assert/strict";
import { median, summariseRatios } from "./stats.ts";

Deno.test("median: odd and even counts, order does not matter; empty is a RangeError", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.throws(() => median([]), /no values/);
});

Deno.test("summariseRatios: ratio of medians, spread of per-repeat ratios", () => {
  const s = summariseRatios([20, 30, 40], [10, 10, 20]);
  assert.equal(s.medianMs, 30);
  assert.equal(s.referenceMedianMs, 10);
  assert.equal(s.ratio, 3);
  // per-repeat ratios 2, 3, 2: (3 - 2) / 2
  assert.equal(s.spread, 0.5);
  assert.equal(s.repeats, 3);
});

Deno.test("summariseRatios: a drift shared by bench and reference cancels in the ratio", () => {
  const s = summariseRatios([10, 20, 40], [5, 10, 20]);
  assert.equal(s.ratio, 2);
  assert.equal(s.spread, 0);
});

Deno.test("summariseRatios: mismatched, empty or non-positive timings are RangeErrors", () => {
  assert.throws(() => summariseRatios([1, 2], [1]), /2 bench and 1 reference/);
  assert.throws(() => summariseRatios([], []), /0 bench and 0 reference/);
  assert.throws(() => summariseRatios([1, 0], [1, 1]), /a bench time is 0/);
  assert.throws(() => summariseRatios([1], [NaN]), /a reference time is NaN/);
});
