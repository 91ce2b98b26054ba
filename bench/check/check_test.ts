import assert from "node:assert/strict";
import type { BaselineEntry, BaselineFile } from "./baseline.ts";
import { checkBenches, failed, type Measurement, updateBaseline } from "./check.ts";

const ENTRY: BaselineEntry = {
  ratio: 2,
  spread: 0.1,
  threshold: 0.3,
  reference: "scalar-loop-8M",
  workload: "w",
  backend: "ts",
  threads: 1,
  blas: null,
  machine: "m",
  date: "2026-12-01",
};
const BASELINE: BaselineFile = {
  kind: "bench-baseline",
  version: 1,
  note: "",
  benches: { a: ENTRY, b: ENTRY, c: ENTRY },
};

function measured(bench: string, ratio: number): Measurement {
  return {
    bench,
    workload: "w",
    ratio,
    medianMs: ratio * 10,
    referenceMedianMs: 10,
    spread: 0.05,
    repeats: 5,
    reference: "scalar-loop-8M",
    backend: "ts",
    threads: 1,
    blas: null,
  };
}

/** A fake measurer: each bench's successive ratios, and a log of the calls. */
function fake(ratios: Record<string, number[]>) {
  const calls: string[] = [];
  return {
    calls,
    measure: (name: string) => {
      calls.push(name);
      return Promise.resolve(measured(name, ratios[name]!.shift()!));
    },
  };
}

Deno.test("checkBenches: a slowdown confirmed by the re-run fails; one the re-run clears does not", async () => {
  const f = fake({ a: [2.1], b: [3, 3.1], c: [3, 2.1] });
  const outcomes = await checkBenches({
    benches: ["a", "b", "c"],
    baseline: BASELINE,
    thresholdOf: () => 0.3,
    measure: f.measure,
  });
  assert.deepEqual(f.calls, ["a", "b", "b", "c", "c"]);
  assert.deepEqual(outcomes.map((o) => o.judgement.verdict), ["same", "slower", "same"]);
  assert.equal(outcomes[1]!.first?.ratio, 3);
  assert.equal(outcomes[1]!.measurement.ratio, 3.1);
  assert.match(outcomes[1]!.judgement.reason, /confirmed by the re-run/);
  assert.match(outcomes[2]!.judgement.reason, /first run's \+50 % was not confirmed/);
  assert.equal(failed(outcomes), true);
  assert.equal(failed([outcomes[0]!, outcomes[2]!]), false);
});

Deno.test("checkBenches: faster and new are never re-run and never fail", async () => {
  const f = fake({ a: [1], d: [5] });
  const outcomes = await checkBenches({
    benches: ["a", "d"],
    baseline: BASELINE,
    thresholdOf: () => 0.3,
    measure: f.measure,
  });
  assert.deepEqual(f.calls, ["a", "d"]);
  assert.deepEqual(outcomes.map((o) => o.judgement.verdict), ["faster", "new"]);
  assert.equal(failed(outcomes), false);
});

Deno.test("updateBaseline: measured benches replaced, others kept, what moved said", async () => {
  const f = fake({ a: [2.05], b: [1], d: [4] });
  const outcomes = await checkBenches({
    benches: ["a", "b", "d"],
    baseline: BASELINE,
    thresholdOf: () => 0.3,
    measure: f.measure,
  });
  const { file, moved } = updateBaseline(BASELINE, outcomes, "new machine", "2026-12-03", "n");
  assert.equal(file.benches["a"]!.ratio, 2.05);
  assert.equal(file.benches["c"], ENTRY);
  assert.equal(file.benches["d"]!.machine, "new machine");
  assert.deepEqual(moved, [
    "b: faster, ratio 2.000 -> 1.000 (-50 %)",
    "d: new, ratio 4.000",
  ]);
});
