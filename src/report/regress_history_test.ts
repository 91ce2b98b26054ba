import assert from "node:assert/strict";
import type { StoredRegressCheck } from "../store/mod.ts";
import {
  normalisedDelta,
  regressChart,
  regressHistory,
  renderRegressHtml,
  renderRegressMarkdown,
  renderRegressText,
} from "./regress_history.ts";
import { renderSvg } from "./svg.ts";

function check(
  runId: number,
  measure: string,
  actual: number | null,
  verdict: StoredRegressCheck["verdict"],
  tolerance = 0.005,
): StoredRegressCheck {
  return {
    runId,
    experiment: "table2",
    cell: "teacher/full/-",
    measure,
    expected: 0.3,
    actual,
    tolerance,
    verdict,
    commit: runId === 1 ? "6c9f1fdc4918de69237226850eb6116e39f02140" : null,
    dirty: runId === 2,
    startedAt: `2026-12-0${runId}T10:00:00.000Z`,
  };
}

const CHECKS = [
  check(1, "RR@10", 0.3, "OK"),
  check(1, "nDCG@10", 0.2912, "OK*"),
  check(2, "RR@10", 0.31, "BETTER"),
  check(2, "nDCG@10", null, "FAIL"),
  check(3, "RR@10", 0.2999, "OK", 0),
];

Deno.test("regressHistory: runs as columns (commit, dirty mark, counts), values as rows", () => {
  const h = regressHistory(CHECKS);
  assert.deepEqual(h.runs.map((r) => r.label), [
    "run 1 · 6c9f1fd",
    "run 2 · unknown+",
    "run 3 · unknown",
  ]);
  assert.deepEqual(h.runs[1]!.counts, { OK: 0, BETTER: 1, "OK*": 0, FAIL: 1 });
  assert.deepEqual(
    h.values.map((v) => [v.measure, v.checks.map((c) => c?.verdict ?? null)]),
    [["RR@10", ["OK", "BETTER", "OK"]], ["nDCG@10", ["OK*", "FAIL", null]]],
  );
  assert.deepEqual(regressHistory(CHECKS, 2).runs.map((r) => r.runId), [2, 3]);
});

Deno.test("normalisedDelta: delta / tolerance; an exact value in units of 1e-4; none when missing", () => {
  assert.equal(normalisedDelta(CHECKS[1]!), -1.76);
  assert.equal(normalisedDelta(CHECKS[2]!), 2);
  assert.equal(normalisedDelta(CHECKS[3]!), null);
  assert.equal(normalisedDelta(CHECKS[4]!), -1);
});

Deno.test("regress report: text, Markdown and HTML show each run and value; the chart renders points", async () => {
  const h = regressHistory(CHECKS);
  assert.match(renderRegressText(h), /2 of 2 values were not OK in some run/);
  const md = renderRegressMarkdown(h, "regress.delta.svg");
  assert.match(
    md,
    /\| table2 \| teacher\/full\/- \| nDCG@10 \| 0\.3000 \| 0\.0050 \| 0\.2912 OK\* \| missing FAIL \| {2}\|/,
  );
  assert.match(md, /!\[delta \/ tolerance\]\(regress\.delta\.svg\)/);
  const svg = await renderSvg(regressChart(h).spec, "regress-delta");
  assert.match(svg, /^<svg/);
  assert.ok((svg.match(/<path/g) ?? []).length >= 4, "points and lines drawn");
  // A far-off value (delta / tolerance -17.6) is drawn at the chart's edge, its ratio kept.
  const far = regressHistory([check(1, "RR@10", 0.212, "FAIL")]);
  const points = (regressChart(far).spec as { layer: { data: { values: unknown[] } }[] }).layer[2]!
    .data.values;
  assert.deepEqual(points, [{
    run: "run 1 · 6c9f1fd",
    order: 0,
    value: "table2 teacher/full/- RR@10",
    y: -3,
    ratio: -17.6,
    verdict: "FAIL",
  }]);
  const html = renderRegressHtml(h, svg);
  assert.match(html, /<td class="fail">missing FAIL<\/td>/);
  assert.ok(!/<script|https?:\/\/(?!www\.w3\.org)/.test(html), "self-contained");
});
