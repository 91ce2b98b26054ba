import assert from "node:assert/strict";
import { seededRandom } from "../../engine/mod.ts";
import { holmAdjust, pairByQuery, pairedRandomizationTest, pairedTTest } from "./mod.ts";
import { logGamma, regularizedBeta, studentTTwoSided } from "./student_t.ts";

// Reference values: scipy 1.17.1 (scipy.stats.ttest_rel, t.sf, permutation_test with
// permutation_type="samples", n_resamples=inf), computed once on these fixed inputs.
const A = [0.52, 0.31, 0.77, 0.10, 0.95, 0.44, 0.61, 0.28, 0.83, 0.50, 0.12, 0.69];
const B = [0.40, 0.35, 0.60, 0.05, 0.90, 0.30, 0.65, 0.20, 0.70, 0.52, 0.10, 0.55];

function close(actual: number, expected: number, relative = 1e-10): void {
  const tolerance = relative * Math.max(1e-300, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `expected ${expected}, found ${actual} (difference ${Math.abs(actual - expected)})`,
  );
}

Deno.test("Student t two-sided tail matches scipy on fixed points", () => {
  const cases: [number, number, number][] = [
    [0.5, 3, 0.651447964848151],
    [2.0, 10, 0.07338803477074037],
    [-3.5, 5, 0.017284431785293358],
    [1.96, 1000, 0.050273184955748736],
    [10.0, 2, 0.00985245702332569],
    [0.0, 7, 1.0],
    [4.2, 299, 3.526213845396629e-05],
  ];
  for (const [t, df, p] of cases) close(studentTTwoSided(t, df), p, 1e-9);
  assert.equal(studentTTwoSided(Infinity, 4), 0);
});

Deno.test("ln Gamma and I_x(a, b) agree with hand-computed values", () => {
  assert.ok(Math.abs(logGamma(1)) < 1e-14);
  close(Math.exp(logGamma(5)), 24, 1e-13);
  close(Math.exp(logGamma(0.5)), Math.sqrt(Math.PI), 1e-13);
  // I_x(1, 1) = x; I_x(a, 1) = x^a; I_{1/2}(a, a) = 1/2.
  close(regularizedBeta(0.3, 1, 1), 0.3, 1e-13);
  close(regularizedBeta(0.6, 3, 1), 0.216, 1e-12);
  close(regularizedBeta(0.5, 4.5, 4.5), 0.5, 1e-12);
  assert.throws(() => regularizedBeta(1.5, 1, 1), /expected 0 <= x <= 1/);
});

Deno.test("paired t-test matches scipy.stats.ttest_rel", () => {
  const r = pairedTTest(A, B);
  assert.equal(r.kind, "paired-t");
  assert.equal(r.n, 12);
  assert.equal(r.df, 11);
  close(r.t, 3.089412330304542, 1e-12);
  close(r.p, 0.010296859341047696, 1e-9);
  const small = pairedTTest([0.5, 0.7, 0.9], [0.4, 0.5, 0.6]);
  close(small.t, 3.464101615137753, 1e-12);
  close(small.p, 0.0741799002274486, 1e-9);
  // Swapping the systems flips t, not p.
  close(pairedTTest(B, A).t, -3.089412330304542, 1e-12);
});

Deno.test("paired t-test on constant differences is defined, not NaN", () => {
  assert.deepEqual(pairedTTest([0.2, 0.4], [0.2, 0.4]), {
    kind: "paired-t",
    n: 2,
    meanDifference: 0,
    t: 0,
    df: 1,
    p: 1,
  });
  const shifted = pairedTTest([0.5, 0.75], [0.25, 0.5]);
  assert.equal(shifted.t, Infinity);
  assert.equal(shifted.p, 0);
});

Deno.test("randomisation test enumerates 2^n exactly as scipy's permutation_test", () => {
  const r = pairedRandomizationTest(A, B, { random: seededRandom(1) });
  assert.equal(r.exact, true);
  assert.equal(r.permutations, 4096);
  close(r.p, 0.01513671875, 1e-15);
});

Deno.test("randomisation test samples with a fixed seed: repeatable, near the exact p", () => {
  const run = () => pairedRandomizationTest(A, B, { random: seededRandom(7), permutations: 4000 });
  const first = run();
  assert.equal(first.exact, false);
  assert.equal(first.permutations, 4000);
  assert.deepEqual(run(), first);
  // Monte Carlo standard error at p ~ 0.015 over 4000 draws is ~0.002.
  assert.ok(Math.abs(first.p - 0.01513671875) < 0.008, `p ${first.p}`);
  assert.ok(first.p > 0);
});

Deno.test("Holm adjustment: hand-computed step-down values in input order", () => {
  assert.deepEqual(holmAdjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
  const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.5, 0.002]);
  [0.04, 0.09, 0.09, 0.5, 0.01].forEach((p, i) => close(adjusted[i]!, p, 1e-12));
  assert.deepEqual(holmAdjust([0.6, 0.9]), [1, 1]);
  assert.deepEqual(holmAdjust([]), []);
  assert.throws(
    () => holmAdjust([0.1, 1.2]),
    /p-value 1: expected a number in \[0, 1\], found 1.2/,
  );
});

Deno.test("pairByQuery aligns by id and names the queries that do not pair", () => {
  const p = pairByQuery(new Map([["q2", 0.5], ["q1", 0.25]]), new Map([["q1", 0.5], ["q2", 0]]));
  assert.deepEqual(p, { queryIds: ["q1", "q2"], a: [0.25, 0.5], b: [0.5, 0] });
  assert.throws(
    () => pairByQuery(new Map([["q1", 1], ["q3", 1]]), new Map([["q1", 1]])),
    /1 queries only in the first system \("q3"\), 0 only in the second/,
  );
  assert.throws(() => pairedTTest([1], [0]), /at least 2/);
  assert.throws(() => pairedTTest([1, 2], [0]), /Cannot pair 2 values with 1/);
});
