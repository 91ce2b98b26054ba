import assert from "node:assert/strict";
import { openStore } from "../store/mod.ts";
import { FIXTURE_LAYOUT, withFixtureStore } from "../testing/mod.ts";
import { loadReport, type ReportData } from "./load.ts";
import { reportTable } from "./table.ts";

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

Deno.test("reportTable: mean ± sd, retention, steps marked by the stored Holm p, paper value second-hand", async () => {
  const data = await fixtureData();
  const table = reportTable(data);
  assert.deepEqual(table.header.slice(0, 5), ["method", "cell", "nDCG@10", "RR@10", "retention"]);
  assert.equal(table.test, "paired randomisation test, Holm-adjusted over the table");
  const row = (key: string) => table.rows.find((r) => r.key === key)!.cells.map((c) => c.text);
  const teacher = row("teacher/full/-");
  assert.equal(teacher[4], "100.0 %");
  assert.equal(teacher.at(-1), "0.372 (second-hand)");
  assert.equal(row("bm25/full/-")[4], "", "no retention for a reference other than the teacher");
  // Symmetric score KD: +0.1 over labels with Holm p 0.004 -> significantly better, both columns.
  const kdSym = table.rows.find((r) => r.key === "score-kd/1-10/symmetric")!.cells;
  assert.match(kdSym[5]!.text, /^\+0\.1000 ▲$/);
  assert.equal(kdSym[5]!.mark, "better");
  assert.match(kdSym[5]!.detail!, /Holm p 0\.0040/);
  assert.match(kdSym[6]!.text, /^\+0\.1000 ▲$/);
  // Asymmetric: Holm p 0.6 -> not significant.
  assert.match(row("score-kd/1-10/asymmetric")[5]!, /^\+0\.1000 ·$/);
  // Two seeds: mean ± sd; one ok seed (the other failed): the mean alone.
  assert.match(row("labels/1-10/asymmetric")[2]!, /^\d\.\d{4} ± \d\.\d{4}$/);
  assert.match(row("score-kd/1-10/asymmetric")[2]!, /^\d\.\d{4}$/);
  assert.equal(row("labels/1-10/asymmetric")[5], "", "the first row of a group has no step");
  assert.equal(row("labels/1-10/asymmetric")[6], "", "the baseline is not compared with itself");
  assert.equal(row("bm25/full/-").at(-1), "not transcribed");
});

Deno.test("reportTable: without stored comparisons no marks and no test named; a layout row never run says so", async () => {
  const data = await fixtureData();
  const bare: ReportData = {
    ...data,
    comparisons: [],
    rows: [...data.rows, {
      row: { method: "x", size: "1-10", mode: "symmetric", label: "x", group: "s" },
      key: "x/1-10/symmetric",
      summary: null,
    }],
  };
  const table = reportTable(bare);
  assert.equal(table.test, null);
  assert.ok(table.rows.every((r) => r.cells.every((c) => c.mark === null)));
  assert.deepEqual(table.rows.at(-1)!.cells.slice(2, 4).map((c) => c.text), ["not run", "not run"]);
});
