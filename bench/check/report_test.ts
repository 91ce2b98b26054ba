import assert from "node:assert/strict";
import { join } from "node:path";
import { beginRun, finishRun, openStore, writeBenchResults } from "../../src/store/mod.ts";
import { sampleRun } from "../../src/testing/mod.ts";
import { benchChart, benchMarkdown, renderBenchReport } from "./report.ts";

function benchRow(bench: string, ratio: number) {
  return {
    bench,
    reference: "scalar-loop-8M",
    medianMs: ratio,
    referenceMedianMs: 1,
    ratio,
    spread: 0.2,
    repeats: 5,
    backend: "ts",
    threads: 1,
    blas: null,
    baselineRatio: 2,
    threshold: 0.3,
    verdict: "same",
  };
}

Deno.test("renderBenchReport: ratio per bench per run from the store, latest table, chart file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bench-report-" });
  try {
    const store = await openStore(join(dir, "r.sqlite"));
    for (const [key, commit, ratio] of [["b1", "a", 2], ["b2", "b", 2.5]] as const) {
      const id = await beginRun(
        store,
        sampleRun(key, { kind: "bench", preset: "quick", commit: commit.repeat(40) }),
      );
      await writeBenchResults(store, id, [
        benchRow("bm25/search", ratio),
        benchRow("peer/encode@1", 1.5),
      ]);
      await finishRun(store, id, "ok");
    }
    await store.close();
    const report = await renderBenchReport(join(dir, "r.sqlite"), join(dir, "out"), false);
    assert.match(report.markdown, /Latest run #2 bbbbbbb \(quick/);
    assert.match(report.markdown, /\| bench \| #1 aaaaaaa \| #2 bbbbbbb \|/);
    assert.match(report.markdown, /\| bm25\/search \| 2\.000 \| 2\.500 \|/);
    assert.doesNotMatch(report.markdown, /peer\/encode/);
    assert.deepEqual(report.files.map((f) => f.split("/").at(-1)), ["bench.md", "bench.ratio.svg"]);
    assert.match(await Deno.readTextFile(report.files[1]!), /^<svg/);
    const peers = await renderBenchReport(join(dir, "r.sqlite"), join(dir, "out"), true);
    assert.match(peers.markdown, /peer\/encode@1 \| 1\.500 \| 1\.500 \|/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("benchMarkdown / benchChart: no runs says so; the chart orders runs by id on a log axis", () => {
  assert.match(benchMarkdown([], false), /No bench runs stored yet/);
  const row = {
    ...benchRow("x", 3),
    runId: 7,
    commit: null,
    dirty: true,
    startedAt: "2026-12-03",
    preset: "full",
  };
  const chart = benchChart([row], false);
  const spec = chart.spec as { data: { values: unknown[] }; encoding: { y: { scale: unknown } } };
  assert.deepEqual(spec.data.values, [{ run: "#7 no-commit+", bench: "x", ratio: 3, order: 7 }]);
  assert.deepEqual(spec.encoding.y.scale, { type: "log" });
});
