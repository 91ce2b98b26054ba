import assert from "node:assert/strict";
import type { StoredCell } from "../store/mod.ts";
import { summarizeCells } from "./summary.ts";

function cell(seed: number | null, value: number, status: "ok" | "failed" = "ok"): StoredCell {
  return {
    cellId: `m/1-10/asymmetric${seed === null ? "" : `/${seed}`}`,
    method: "m",
    size: "1-10",
    mode: "asymmetric",
    seed,
    status,
    error: status === "ok" ? null : "boom",
    chosen: {},
    metrics: status === "ok" ? { "nDCG@10": value } : {},
    queries: {},
    latency: { p50: value, p95: 2 * value, tokenizeP50: 0, queries: 10, threads: 1 },
    sizes: null,
    timings: {},
    provenance: {},
    finishedAt: "2026-12-02T21:00:00.000Z",
  };
}

Deno.test("summarizeCells: mean and sample sd over ok seeds, failed cells counted not averaged", () => {
  const [s] = summarizeCells([cell(2, 0.3), cell(1, 0.1), cell(3, 0.9, "failed")]);
  assert.equal(s!.key, "m/1-10/asymmetric");
  assert.deepEqual(s!.seeds, [1, 2]);
  assert.deepEqual([s!.cells, s!.failed], [2, 1]);
  assert.ok(Math.abs(s!.mean["nDCG@10"]! - 0.2) < 1e-12);
  assert.ok(Math.abs(s!.sd["nDCG@10"]! - Math.sqrt(0.02)) < 1e-12);
  assert.ok(Math.abs(s!.latency!.p50 - 0.2) < 1e-12);
  assert.equal(s!.sizes, null);
});

Deno.test("summarizeCells: one cell has no sd; a seedless cell has no seeds; only failed cells give no latency", () => {
  assert.equal(summarizeCells([cell(null, 0.5)])[0]!.sd["nDCG@10"], null);
  assert.deepEqual(summarizeCells([cell(null, 0.5)])[0]!.seeds, []);
  const failed = summarizeCells([cell(1, 0.5, "failed")])[0]!;
  assert.deepEqual([failed.cells, failed.latency, failed.mean], [0, null, {}]);
});
