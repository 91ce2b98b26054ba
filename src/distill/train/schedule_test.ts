import assert from "node:assert/strict";
import { learningRate, validateSchedule } from "./schedule.ts";

Deno.test("linear schedule warms up, peaks and decays to zero (hand values)", () => {
  const s = { kind: "linear", peak: 1, warmupSteps: 4, totalSteps: 12 } as const;
  const rates = Array.from({ length: 13 }, (_, i) => learningRate(s, i));
  assert.deepEqual(rates.slice(0, 5), [0.25, 0.5, 0.75, 1, 1]);
  // After warm-up: (12 - step) / 8.
  assert.deepEqual(rates.slice(5), [7 / 8, 6 / 8, 5 / 8, 4 / 8, 3 / 8, 2 / 8, 1 / 8, 0]);
});

Deno.test("linear schedule without warm-up starts at the peak", () => {
  const s = { kind: "linear", peak: 2e-3, warmupSteps: 0, totalSteps: 4 } as const;
  assert.deepEqual([0, 1, 2, 3].map((i) => learningRate(s, i)), [2e-3, 1.5e-3, 1e-3, 0.5e-3]);
});

Deno.test("constant schedule and validation errors", () => {
  assert.equal(learningRate({ kind: "constant", rate: 0.1 }, 99), 0.1);
  assert.throws(
    () => validateSchedule({ kind: "linear", peak: 1, warmupSteps: 5, totalSteps: 4 }),
    RangeError,
  );
  assert.throws(
    () => validateSchedule({ kind: "linear", peak: 0, warmupSteps: 0, totalSteps: 4 }),
    RangeError,
  );
  assert.throws(() => validateSchedule({ kind: "constant", rate: NaN }), RangeError);
});
