import assert from "node:assert/strict";
import { sampleRun, withTempStore } from "../testing/mod.ts";
import {
  benchHistory,
  type BenchResultInput,
  readBenchResults,
  writeBenchResults,
} from "./bench_results.ts";
import { beginRun, finishRun } from "./runs.ts";

function row(bench: string, ratio: number, overrides: Partial<BenchResultInput> = {}) {
  return {
    bench,
    reference: "scalar-loop",
    medianMs: 10 * ratio,
    referenceMedianMs: 10,
    ratio,
    spread: 0.1,
    repeats: 5,
    backend: "ts",
    threads: 1,
    blas: null,
    baselineRatio: 1.5,
    threshold: 0.3,
    verdict: "same",
    ...overrides,
  } satisfies BenchResultInput;
}

Deno.test("writeBenchResults: rows read back by bench name; a rewrite replaces the set", async () => {
  await withTempStore(async (store) => {
    const runId = await beginRun(store, sampleRun("bench-1", { kind: "bench" }));
    const a = row("bm25/search", 2);
    const b = row("encode/ort", 0.5, { reference: "sgemm-512", blas: "openblas", verdict: null });
    await writeBenchResults(store, runId, [b, a]);
    assert.deepEqual(await readBenchResults(store, runId), [a, b]);
    await writeBenchResults(store, runId, [a]);
    assert.deepEqual(await readBenchResults(store, runId), [a]);
  });
});

Deno.test("writeBenchResults: a non-finite ratio or a bench written twice is refused, naming it", async () => {
  await withTempStore(async (store) => {
    const runId = await beginRun(store, sampleRun("bench-2", { kind: "bench" }));
    await assert.rejects(
      writeBenchResults(store, runId, [row("x", NaN, { medianMs: 5 })]),
      /bench "x" of run \d+ .*ratio is NaN/,
    );
    await assert.rejects(
      writeBenchResults(store, runId, [row("x", 1), row("x", 2)]),
      /bench "x" .*appears twice/,
    );
    assert.deepEqual(await readBenchResults(store, runId), []);
  });
});

Deno.test("benchHistory: rows of finished bench runs only, oldest first, with commit", async () => {
  await withTempStore(async (store) => {
    const first = await beginRun(
      store,
      sampleRun("b1", { kind: "bench", commit: "a".repeat(40), startedAt: "2026-12-01T00:00:00Z" }),
    );
    const second = await beginRun(
      store,
      sampleRun("b2", { kind: "bench", commit: "b".repeat(40), startedAt: "2026-12-02T00:00:00Z" }),
    );
    const running = await beginRun(store, sampleRun("b3", { kind: "bench" }));
    const other = await beginRun(store, sampleRun("r1"));
    for (const [id, ratio] of [[second, 3], [first, 2], [running, 9], [other, 7]] as const) {
      await writeBenchResults(store, id, [row("bm25/search", ratio)]);
    }
    await finishRun(store, first, "ok");
    await finishRun(store, second, "ok");
    await finishRun(store, other, "ok");
    const history = await benchHistory(store);
    assert.deepEqual(history.map((h) => [h.runId, h.commit?.[0], h.ratio]), [
      [first, "a", 2],
      [second, "b", 3],
    ]);
  });
});
