/**
 * The report's HTML in a real browser: headless Chromium (network off through the DevTools
 * protocol) opens a report rendered from the fixture store. Ignored with a message when no
 * Chromium is found; with CI=true a missing Chromium is an error.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../store/mod.ts";
import { chromiumForTests, FIXTURE_LAYOUT, withFixtureStore } from "../testing/mod.ts";
import { buildReport, writeReport } from "./build.ts";
import { loadReport } from "./load.ts";
import { checkReportPage } from "./page_check.ts";

const chromium = chromiumForTests();

Deno.test({
  name:
    "checkReportPage: the report opens offline with no console error, every chart drawn, the table's rows; a PNG is written",
  ignore: chromium.kind === "absent",
  async fn() {
    if (chromium.kind === "absent") return;
    await withFixtureStore(async (db, dir) => {
      const store = await openStore(db);
      let html: string;
      try {
        const report = await buildReport(await loadReport(store, 1, FIXTURE_LAYOUT));
        html = (await writeReport(report, join(dir, "out"))).html;
      } finally {
        await store.close();
      }
      const png = join(dir, "page.png");
      const check = await checkReportPage(html, { chromium: chromium.path, screenshot: png });
      assert.deepEqual(check.errors, []);
      assert.deepEqual(check.externalRequests, []);
      assert.equal(check.title, "fixture · A fixture table");
      assert.deepEqual(
        check.tableRows,
        FIXTURE_LAYOUT.rows.map((r) => `${r.method}/${r.size}/${r.mode}`),
      );
      assert.deepEqual(check.charts.map((c) => c.id), [
        "chart-tradeoff",
        "chart-parameters",
        "chart-curves",
        "chart-per-query",
      ]);
      for (const c of check.charts) {
        assert.ok(c.width > 0 && c.height > 0, `${c.id} is ${c.width}x${c.height}`);
        assert.ok(c.marks >= 1, `${c.id} has no mark`);
      }
      const bytes = await Deno.readFile(png);
      assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      assert.equal(view.getUint32(16), 1500, "PNG width");
      assert.equal(view.getUint32(20), check.pageHeight, "PNG height: the whole page");
    });
  },
});

Deno.test({
  name:
    "checkReportPage: a page that errors, fetches from the network or draws nothing is reported as such",
  ignore: chromium.kind === "absent",
  async fn() {
    if (chromium.kind === "absent") return;
    const dir = await Deno.makeTempDir({ prefix: "embeddistill-page-" });
    try {
      const html = join(dir, "bad.html");
      await Deno.writeTextFile(
        html,
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title>' +
          '<link rel="stylesheet" href="http://example.invalid/x.css"></head><body>' +
          '<figure id="chart-empty" class="chart"><svg width="0" height="0"></svg></figure>' +
          "<script>console.error('broken', 42); undefinedFunction();</script></body></html>",
      );
      const check = await checkReportPage(html, { chromium: chromium.path });
      assert.ok(
        check.errors.some((e) => e === "console.error: broken 42"),
        check.errors.join("\n"),
      );
      assert.ok(
        check.errors.some((e) => /exception: .*undefinedFunction/.test(e)),
        check.errors.join("\n"),
      );
      assert.deepEqual(check.externalRequests, ["http://example.invalid/x.css"]);
      assert.deepEqual(check.charts, [{ id: "chart-empty", width: 0, height: 0, marks: 0 }]);
      assert.deepEqual(check.tableRows, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
