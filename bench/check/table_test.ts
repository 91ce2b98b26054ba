import assert from "node:assert/strict";
import { formatOutcomes } from "./table.ts";

Deno.test("formatOutcomes: one aligned line per bench with ratio, baseline, change, spread, verdict", () => {
  const measurement = {
    bench: "bm25/search",
    workload: "w",
    ratio: 2.6,
    medianMs: 26,
    referenceMedianMs: 10,
    spread: 0.123,
    repeats: 5,
    reference: "scalar-loop-8M",
    backend: "ts",
    threads: 1,
    blas: null,
  };
  const text = formatOutcomes([{
    bench: "bm25/search",
    measurement,
    judgement: { verdict: "slower", change: 0.3, reason: "beyond +25 %, confirmed by the re-run" },
    threshold: 0.25,
    baseline: undefined,
    first: { ...measurement, ratio: 2.7 },
  }]);
  const [header, line] = text.split("\n");
  assert.match(header!, /^bench +\| ratio \| baseline \| change \| spread \| verdict \| notes$/);
  assert.match(
    line!,
    /^bm25\/search \| 2\.600 \| - +\| \+30 % +\| 0\.12 +\| slower +\| scalar-loop-8M, ts, 1 thr, BLAS none; .*confirmed by the re-run \(first run 2\.700\)$/,
  );
});
