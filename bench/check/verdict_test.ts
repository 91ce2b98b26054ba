import assert from "node:assert/strict";
import type { BaselineEntry } from "./baseline.ts";
import { judge, type MeasuredRatio } from "./verdict.ts";

const BASE: BaselineEntry = {
  ratio: 2,
  spread: 0.1,
  threshold: 0.3,
  reference: "sgemm-512x4",
  workload: "w",
  backend: "wasm",
  threads: 1,
  blas: "openblas",
  machine: "m",
  date: "2026-12-03",
};
const at = (ratio: number, o: Partial<MeasuredRatio> = {}): MeasuredRatio => ({
  ratio,
  reference: "sgemm-512x4",
  workload: "w",
  backend: "wasm",
  threads: 1,
  blas: "openblas",
  ...o,
});

Deno.test("judge: slower beyond +threshold, faster beyond baseline / (1 + threshold), else same", () => {
  assert.equal(judge(at(2.7), BASE, 0.3).verdict, "slower");
  assert.equal(judge(at(2.59), BASE, 0.3).verdict, "same");
  assert.equal(judge(at(1.6), BASE, 0.3).verdict, "same");
  assert.equal(judge(at(1.5), BASE, 0.3).verdict, "faster");
  const j = judge(at(3), BASE, 0.3);
  assert.equal(j.change, 0.5);
});

Deno.test("judge: no baseline is new; BLAS vs no BLAS, reference, backend, threads are incomparable", () => {
  assert.deepEqual(judge(at(2), undefined, 0.3), {
    verdict: "new",
    change: null,
    reason: "no baseline",
  });
  const noBlas = judge(at(20, { blas: null, reference: "ts-matmul-128x4" }), BASE, 0.3);
  assert.equal(noBlas.verdict, "incomparable");
  assert.match(noBlas.reason, /BLAS none here, openblas in the baseline/);
  assert.match(judge(at(2, { reference: "x" }), BASE, 0.3).reason, /reference x here/);
  assert.match(judge(at(2, { backend: "cpu" }), BASE, 0.3).reason, /backend cpu here/);
  assert.match(
    judge(at(2, { workload: "generated" }), BASE, 0.3).reason,
    /workload "generated" here, "w" in the baseline/,
  );
  assert.match(judge(at(2, { threads: 2 }), BASE, 0.3).reason, /2 threads here, 1 in the baseline/);
});

Deno.test("judge: a threshold that is not positive is refused", () => {
  assert.throws(() => judge(at(2), BASE, 0), /threshold 0/);
});
