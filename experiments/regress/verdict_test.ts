import assert from "node:assert/strict";
import { atPrinted, judge } from "./verdict.ts";

Deno.test("judge: OK up to exactly the tolerance either side", () => {
  assert.deepEqual(judge(0.5, 0.5, 0.005), { verdict: "OK", delta: 0 });
  assert.deepEqual(judge(0.5, 0.505, 0.005), { verdict: "OK", delta: 0.005 });
  assert.deepEqual(judge(0.5, 0.495, 0.005), { verdict: "OK", delta: -0.005 });
});

Deno.test("judge: BETTER just above expected + tolerance", () => {
  assert.deepEqual(judge(0.5, 0.5051, 0.005), { verdict: "BETTER", delta: 0.0051 });
});

Deno.test("judge: OK* below, down to exactly 1.5 x tolerance; FAIL just beyond", () => {
  assert.deepEqual(judge(0.5, 0.4949, 0.005), { verdict: "OK*", delta: -0.0051 });
  assert.deepEqual(judge(0.5, 0.4925, 0.005), { verdict: "OK*", delta: -0.0075 });
  assert.deepEqual(judge(0.5, 0.4924, 0.005), { verdict: "FAIL", delta: -0.0076 });
});

Deno.test("judge: an odd tolerance in units of 1e-4 keeps its half unit (1.5 x 0.0033 = 0.00495)", () => {
  assert.equal(judge(0.5, 0.4951, 0.0033).verdict, "OK*"); // -49 units <= 49.5
  assert.equal(judge(0.5, 0.495, 0.0033).verdict, "FAIL"); // -50 units > 49.5
});

Deno.test("judge: tolerance 0 is exact at 4 decimals (deterministic values)", () => {
  assert.equal(judge(0.6605, 0.66054, 0).verdict, "OK"); // prints as 0.6605
  assert.equal(judge(0.6605, 0.66045, 0).verdict, "OK"); // rounds up to 0.6605
  assert.deepEqual(judge(0.6605, 0.66055, 0), { verdict: "BETTER", delta: 0.0001 });
  assert.deepEqual(judge(0.6605, 0.6604, 0), { verdict: "FAIL", delta: -0.0001 });
});

Deno.test("judge: no actual value (or not a number) is a FAIL without delta", () => {
  assert.deepEqual(judge(0.5, null, 0.005), { verdict: "FAIL", delta: null });
  assert.deepEqual(judge(0.5, Number.NaN, 0.005), { verdict: "FAIL", delta: null });
});

Deno.test("atPrinted: rounds to 4 decimals", () => {
  assert.equal(atPrinted(0.123449), 0.1234);
  assert.equal(atPrinted(0.12345), 0.1235);
});
