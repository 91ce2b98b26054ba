import assert from "node:assert/strict";
import { measureLatency, percentile, percentiles } from "./latency.ts";

Deno.test("percentile: linear interpolation between closest ranks (numpy's default)", () => {
  const xs = [5, 1, 4, 2, 3];
  assert.equal(percentile(xs, 50), 3);
  assert.equal(percentile(xs, 95), 4.8);
  assert.equal(percentile(xs, 0), 1);
  assert.equal(percentile([7], 95), 7);
  const p = percentiles([1, 2, 3, 4]);
  assert.equal(p.p50Ms, 2.5);
  assert.ok(Math.abs(p.p95Ms - 3.85) < 1e-12);
  assert.equal(p.meanMs, 2.5);
  assert.throws(() => percentile([], 50), RangeError);
});

Deno.test("measureLatency: warm-up runs untimed, then min(max, |queries|) timed queries, in order", async () => {
  const seen: string[] = [];
  const queries = ["a", "b", "c"];
  const result = await measureLatency(queries, (q) => {
    seen.push(q);
    return Promise.resolve({ total: seen.length });
  }, { warmup: 4, maxQueries: 2 });
  assert.deepEqual(seen, ["a", "b", "c", "a", "a", "b"]);
  assert.equal(result.queries, 2);
  assert.equal(result.warmup, 4);
  assert.equal(result.stages["total"]!.p50Ms, 5.5);
  assert.ok(Math.abs(result.stages["total"]!.p95Ms - 5.95) < 1e-12);
});
