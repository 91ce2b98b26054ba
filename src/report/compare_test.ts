import assert from "node:assert/strict";
import { openStore } from "../store/mod.ts";
import { FIXTURE_LAYOUT, withFixtureStore, writeFixtureRun } from "../testing/mod.ts";
import { compareRuns } from "./compare.ts";
import {
  renderComparisonHtml,
  renderComparisonMarkdown,
  renderComparisonText,
} from "./compare_render.ts";
import { loadReport } from "./load.ts";

Deno.test("compareRuns: a run against itself differs by 0 (p 1); a shifted run is significantly higher, Holm-adjusted", async () => {
  await withFixtureStore(async (db) => {
    await writeFixtureRun(db, { runKey: "better", shift: 0.2 });
    const store = await openStore(db);
    try {
      const base = await loadReport(store, 1, FIXTURE_LAYOUT);
      const better = await loadReport(store, 2, FIXTURE_LAYOUT);
      const same = compareRuns(base, base, 200);
      assert.ok(same.differences.every((d) => d.delta === null || d.delta === 0));
      assert.ok(same.differences.filter((d) => d.queries > 0).every((d) => d.adjustedP === 1));

      const c = compareRuns(base, better, 2000);
      const d = c.differences.find((x) =>
        x.key === "labels/1-10/symmetric" && x.measure === "nDCG@10"
      )!;
      assert.equal(d.queries, 20);
      assert.ok(Math.abs(d.delta! - 0.2) < 0.05, `delta ${d.delta}`);
      assert.ok(d.adjustedP! < 0.05 && d.adjustedP! >= d.randomizationP!);
      // The teacher is not shifted: no difference.
      const t = c.differences.find((x) => x.key === "teacher/full/-" && x.measure === "nDCG@10")!;
      assert.equal(t.delta, 0);
      // Same stores, same p-values (fixed seed).
      assert.deepEqual(compareRuns(base, better, 2000).differences, c.differences);

      assert.match(renderComparisonText(c), /^fixture · run 1 vs run 2$/m);
      assert.match(
        renderComparisonText(c),
        /^labels\/1-10\/symmetric\s+nDCG@10\s+\S+\s+\S+\s+\+0\.\d{4} ▲/m,
      );
      assert.match(renderComparisonMarkdown(c), /^\| run key \| fixture-run \| better \|$/m);
      assert.match(renderComparisonHtml(c), /<td class="better">\+0\.\d{4} ▲<\/td>/);
    } finally {
      await store.close();
    }
  });
});
