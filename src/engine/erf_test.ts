import assert from "node:assert/strict";
import { erf, geluErf } from "./erf.ts";

// Reference values: erf from Wolfram|Alpha / scipy.special.erf to 16 digits.
const KNOWN: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [0.1, 0.1124629160182849],
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [3, 0.9999779095030014],
  [4, 0.9999999845827421],
  [-0.7, -0.6778011938374184],
];

Deno.test("erf matches 16-digit reference values", () => {
  for (const [x, expected] of KNOWN) {
    const got = erf(x);
    assert(Math.abs(got - expected) <= 2e-15, `erf(${x}) = ${got}, expected ${expected}`);
  }
  assert(erf(7) === 1 && erf(-7) === -1);
  assert(Number.isNaN(erf(Number.NaN)));
});

Deno.test("geluErf is x * Phi(x)", () => {
  // Phi(1) = 0.8413447460685429
  assert(Math.abs(geluErf(1) - 0.8413447460685429) < 1e-15);
  assert(Math.abs(geluErf(-1) - (-1 + 0.8413447460685429)) < 1e-15);
  assert(geluErf(0) === 0);
});
