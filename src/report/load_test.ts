import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../store/mod.ts";
import { FIXTURE_LAYOUT, withFixtureStore, writeFixtureRun } from "../testing/mod.ts";
import { loadReport, ReportRunError, resolveRunId } from "./load.ts";

Deno.test("loadReport: rows in the layout's order, seeds grouped, failed cells left out, store-only extras appended", async () => {
  await withFixtureStore(async (db) => {
    const store = await openStore(db);
    try {
      const layout = {
        ...FIXTURE_LAYOUT,
        rows: [
          ...FIXTURE_LAYOUT.rows.filter((r) => r.method !== "bm25"),
          { method: "margin-mse", size: "1-10", mode: "symmetric", label: "MMSE", group: null },
        ],
      };
      const data = await loadReport(store, await resolveRunId(store, "fixture"), layout);
      assert.deepEqual(data.rows.map((r) => r.key), [
        "teacher/full/-",
        "labels/1-10/symmetric",
        "score-kd/1-10/symmetric",
        "labels/1-10/asymmetric",
        "score-kd/1-10/asymmetric",
        "margin-mse/1-10/symmetric",
        "bm25/full/-", // stored, not in the layout: appended with its method as label
      ]);
      assert.equal(data.rows[5]!.summary, null);
      assert.equal(data.rows[6]!.row.label, "bm25");
      const kd = data.rows[4]!.summary!;
      assert.deepEqual([kd.cells, kd.failed, kd.seeds], [1, 1, [1]]);
      const labels = data.rows[3]!.summary!;
      assert.deepEqual(labels.seeds, [1, 2]);
      assert.ok(labels.sd["nDCG@10"] !== null);
      // Per-query values averaged over the two seeds of labels/asymmetric.
      const pq = data.perQuery.get("labels/1-10/asymmetric|nDCG@10")!;
      assert.equal(pq.size, 20);
      const mean = [...pq.values()].reduce((a, b) => a + b, 0) / pq.size;
      assert.ok(Math.abs(mean - labels.mean["nDCG@10"]!) < 1e-12);
      assert.deepEqual(data.paper, [{
        key: "teacher/full/-",
        measure: "nDCG@10",
        value: 0.372,
        secondary: true,
        source: "notes | second-hand",
      }]);
      assert.equal(data.comparisons.length, 2);
      assert.deepEqual(data.claims.map((c) => c.id), ["kd-over-labels", "retention"]);
      assert.equal(data.calibration.length, 1);
      // Curves of each student's first seed only: 3 loss + 2 dev points, for 4 student rows.
      assert.equal(data.curves.length, 4 * 5);
      assert.ok(data.curves.every((c) => c.key !== "teacher/full/-"));
    } finally {
      await store.close();
    }
  });
});

Deno.test("resolveRunId: the latest finished run by default; a run of another experiment or an unknown run is an error", async () => {
  await withFixtureStore(async (db, dir) => {
    await writeFixtureRun(db, { runKey: "second", shift: 0.05 });
    const store = await openStore(db);
    try {
      await store.db.updateTable("runs").set({ started_at: "2026-12-03T00:00:00.000Z" })
        .where("run_key", "=", "second").execute();
      assert.equal(await resolveRunId(store, "fixture"), 2);
      assert.equal(await resolveRunId(store, "fixture", "fixture-run"), 1);
      assert.equal(await resolveRunId(store, "fixture", "1"), 1);
      await assert.rejects(resolveRunId(store, "fixture", "nope"), ReportRunError);
      await assert.rejects(resolveRunId(store, "table2"), /No run of table2 in results store/);
      await assert.rejects(resolveRunId(store, "table2", "1"), /is of fixture, not table2/);
    } finally {
      await store.close();
    }
    const empty = await openStore(join(dir, "empty.sqlite"));
    try {
      await assert.rejects(loadReport(empty, 7, FIXTURE_LAYOUT), /No run 7 in results store/);
    } finally {
      await empty.close();
    }
  });
});
