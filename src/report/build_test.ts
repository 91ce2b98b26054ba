import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../store/mod.ts";
import { FIXTURE_LAYOUT, withFixtureStore } from "../testing/mod.ts";
import { buildReport, writeReport } from "./build.ts";
import { loadReport } from "./load.ts";

async function render(db: string, out: string) {
  const store = await openStore(db);
  try {
    const report = await buildReport(await loadReport(store, 1, FIXTURE_LAYOUT));
    return { report, written: await writeReport(report, out) };
  } finally {
    await store.close();
  }
}

async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const e of Deno.readDir(dir)) {
    files.set(e.name, await Deno.readTextFile(join(dir, e.name)));
  }
  return files;
}

Deno.test("buildReport: md, html and one SVG per chart; re-rendered after deleting the output, byte-identical", async () => {
  await withFixtureStore(async (db, dir) => {
    const out = join(dir, "reports");
    const { report, written } = await render(db, out);
    assert.deepEqual(report.charts.map((c) => c.chart.id), [
      "tradeoff",
      "parameters",
      "curves",
      "per-query",
    ]);
    assert.deepEqual(written.charts.map((p) => p.slice(out.length + 1)), [
      "fixture.tradeoff.svg",
      "fixture.parameters.svg",
      "fixture.curves.svg",
      "fixture.per-query.svg",
    ]);
    for (const c of report.charts) {
      assert.match(c.svg, /^<svg [^>]*width="\d+" height="\d+"/);
      assert.match(c.svg, /role-mark/);
    }
    const first = await snapshot(out);
    assert.equal(first.size, 6);
    await Deno.remove(out, { recursive: true });
    await render(db, out);
    assert.deepEqual(await snapshot(out), first);

    const md = first.get("fixture.md")!;
    assert.match(md, /^# fixture · A fixture table$/m);
    assert.match(md, /^\| \+ score KD \| score-kd\/1-10\/symmetric \| .* \| \+0\.1000 ▲ \|/m);
    assert.match(md, /^\| finished \| 2026-12-02T20:30:00\.000Z \|$/m);
    assert.match(md, /!\[[^\]]+\]\(fixture\.per-query\.svg\)/);
    assert.match(md, /score KD > labels \\\| symmetric/, "a | inside a cell is escaped");
    assert.match(md, /paired randomisation test, Holm-adjusted over the table, p < 0\.05/);
    assert.match(md, /- \*\*holds\*\* teacher nDCG@10 >= BM25 \+ 0\.10: 0\.545 vs 0\.245/);
    // The only times shown are the run's stored ones.
    const times = [...md.matchAll(/\d{4}-\d\d-\d\dT[\d:.]+Z/g)].map((m) => m[0]);
    assert.deepEqual([...new Set(times)].sort(), [
      "2026-12-02T20:00:00.000Z",
      "2026-12-02T20:30:00.000Z",
    ]);

    const html = first.get("fixture.html")!;
    assert.equal((html.match(/<svg /g) ?? []).length, 4, "every chart inline");
    assert.doesNotMatch(
      html,
      /<script|<link|<img|\bsrc=|url\((?!#)/i,
      "nothing the page would fetch",
    );
    assert.equal((html.match(/<tr data-cell=/g) ?? []).length, FIXTURE_LAYOUT.rows.length);
    assert.match(report.text, /^significance: ▲\/▼ significantly better\/worse/m);
  });
});
