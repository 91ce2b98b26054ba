import assert from "node:assert/strict";
import { openStore } from "../store/mod.ts";
import { FIXTURE_LAYOUT, FIXTURE_QUERIES, withFixtureStore } from "../testing/mod.ts";
import { reportCharts } from "./charts.ts";
import { loadReport, type ReportData } from "./load.ts";

async function fixtureData(): Promise<ReportData> {
  return await withFixtureStore(async (db) => {
    const store = await openStore(db);
    try {
      return await loadReport(store, 1, FIXTURE_LAYOUT);
    } finally {
      await store.close();
    }
  });
}

// deno-lint-ignore no-explicit-any
const values = (spec: any): Record<string, unknown>[] => spec.data.values;

Deno.test("reportCharts: trade-off and parameter points per row with the headline mean; curves of student rows", async () => {
  const data = await fixtureData();
  const charts = reportCharts(data);
  assert.deepEqual(charts.map((c) => c.id), ["tradeoff", "parameters", "curves", "per-query"]);
  const tradeoff = values(charts[0]!.spec);
  assert.equal(tradeoff.length, FIXTURE_LAYOUT.rows.length);
  const teacher = tradeoff.find((p) => p["cell"] === "teacher/full/-")!;
  const row = data.rows.find((r) => r.key === "teacher/full/-")!.summary!;
  assert.equal(teacher["y"], row.mean["nDCG@10"]);
  assert.equal(teacher["x"], row.latency!.p50);
  // BM25 has 0 query parameters: its point is kept (the log scale is vega's concern).
  assert.equal(values(charts[1]!.spec).length, FIXTURE_LAYOUT.rows.length);
  const panels = new Set(values(charts[2]!.spec).map((v) => v["panel"]));
  assert.deepEqual([...panels], ["dev nDCG@10 · 1-10", "loss · 1-10"]);
});

Deno.test("reportCharts: per-query differences to the baseline of the same size and mode, sorted, one panel per cell", async () => {
  const data = await fixtureData();
  const perQuery = reportCharts(data).find((c) => c.id === "per-query")!;
  const diffs = values(perQuery.spec) as {
    panel: string;
    rank: number;
    diff: number;
    query: string;
  }[];
  const panels = [...new Set(diffs.map((d) => d.panel))];
  assert.deepEqual(panels, ["+ score KD · 1-10 · symmetric", "+ score KD · 1-10 · asymmetric"]);
  const sym = diffs.filter((d) => d.panel === panels[0]);
  assert.equal(sym.length, FIXTURE_QUERIES);
  assert.deepEqual(
    sym.map((d) => d.rank),
    Array.from({ length: FIXTURE_QUERIES }, (_, i) => i + 1),
  );
  for (let i = 1; i < sym.length; i++) assert.ok(sym[i - 1]!.diff >= sym[i]!.diff);
  const kd = data.perQuery.get("score-kd/1-10/symmetric|nDCG@10")!;
  const labels = data.perQuery.get("labels/1-10/symmetric|nDCG@10")!;
  const q = sym[0]!.query;
  assert.equal(sym[0]!.diff, kd.get(q)! - labels.get(q)!);
});

Deno.test("reportCharts: a run with nothing to chart has no charts", async () => {
  const data = await fixtureData();
  const empty: ReportData = {
    ...data,
    rows: data.rows.map((r) => ({ ...r, summary: null })),
    curves: [],
    perQuery: new Map(),
  };
  assert.deepEqual(reportCharts(empty), []);
});
