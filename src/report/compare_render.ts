/**
 * A run-vs-run comparison rendered as plain text, Markdown or self-contained HTML: both runs'
 * provenance, then per row and measure the base run's value, the other's, and the difference with
 * its significance mark and p-values.
 *
 * @module
 */

import {
  differenceText,
  RUN_COMPARISON_TEST,
  type RunComparison,
  type RunDifference,
} from "./compare.ts";
import { f4, pValue } from "./format.ts";
import { escapeHtml } from "./html.ts";
import { mdTable } from "./markdown.ts";
import { provenanceItems } from "./provenance.ts";
import { REPORT_ALPHA } from "./table.ts";

const HEADER = [
  "method",
  "cell",
  "measure",
  "base",
  "other",
  "other - base",
  "queries",
  "Holm p",
  "randomisation p",
  "t-test p",
];

function cells(d: RunDifference): string[] {
  const v = (x: number | null) => (x === null ? "-" : f4(x));
  const p = (x: number | null) => (x === null ? "" : pValue(x));
  return [
    d.label,
    d.key,
    d.measure,
    v(d.base),
    v(d.other),
    differenceText(d),
    String(d.queries),
    p(d.adjustedP),
    p(d.randomizationP),
    p(d.tTestP),
  ];
}

function title(c: RunComparison): string {
  return `${c.base.layout.id} · run ${c.base.run.id} vs run ${c.other.run.id}`;
}

function legend(): string {
  return `other - base: ▲/▼ the other run significantly higher/lower, · not significant ` +
    `(${RUN_COMPARISON_TEST}, p < ${REPORT_ALPHA}).`;
}

function provenancePairs(c: RunComparison): string[][] {
  const a = provenanceItems(c.base.run);
  const b = provenanceItems(c.other.run);
  return a.map((item, i) => [item.label, item.value, b[i]?.value ?? ""]);
}

/** Plain text. */
export function renderComparisonText(c: RunComparison): string {
  const rows = [HEADER.slice(1), ...c.differences.map((d) => cells(d).slice(1))];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const align = (r: string[]) =>
    r.map((x, i) => x + " ".repeat(widths[i]! - [...x].length)).join("  ").trimEnd();
  return [
    title(c),
    ...provenancePairs(c).map(([label, a, b]) => `${label}: ${a}${a === b ? "" : ` | ${b}`}`),
    legend(),
    "",
    ...rows.map(align),
    "",
  ].join("\n");
}

/** Markdown. */
export function renderComparisonMarkdown(c: RunComparison): string {
  return [
    `# ${title(c)}`,
    "",
    "## Provenance",
    "",
    ...mdTable({
      header: ["", `base (run ${c.base.run.id})`, `other (run ${c.other.run.id})`],
      rows: provenancePairs(c),
    }),
    "",
    "## Differences",
    "",
    legend(),
    "",
    ...mdTable({ header: HEADER, rows: c.differences.map(cells) }),
    "",
  ].join("\n");
}

/** Self-contained HTML (no script, no external resource). */
export function renderComparisonHtml(c: RunComparison): string {
  const row = (r: string[], tag = "td") =>
    `<tr>${r.map((x) => `<${tag}>${escapeHtml(x)}</${tag}>`).join("")}</tr>`;
  const markClass = (d: RunDifference) =>
    d.adjustedP === null || d.delta === null
      ? ""
      : d.adjustedP < REPORT_ALPHA
      ? (d.delta > 0 ? "better" : "worse")
      : "same";
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title(c))}</title>`,
    "<style>body { font-family: sans-serif; margin: 24px; } table { border-collapse: collapse; font-size: 13px; }" +
    " th, td { border: 1px solid #ddd; padding: 3px 7px; } th { background: #f3f3f3; text-align: left; }" +
    " .better { color: #1b5e20; font-weight: bold; } .worse { color: #b71c1c; font-weight: bold; } .same { color: #666; }</style>",
    "</head>",
    "<body>",
    `<h1>${escapeHtml(title(c))}</h1>`,
    "<h2>Provenance</h2>",
    '<table id="provenance">',
    row(["", `base (run ${c.base.run.id})`, `other (run ${c.other.run.id})`], "th"),
    ...provenancePairs(c).map((r) => row(r)),
    "</table>",
    "<h2>Differences</h2>",
    `<p>${escapeHtml(legend())}</p>`,
    '<table id="results">',
    row(HEADER, "th"),
    ...c.differences.map((d) => {
      const cs = cells(d);
      return `<tr data-cell="${escapeHtml(d.key)}">${
        cs.map((x, i) =>
          `<td${i === 5 && markClass(d) !== "" ? ` class="${markClass(d)}"` : ""}>${
            escapeHtml(x)
          }</td>`
        ).join("")
      }</tr>`;
    }),
    "</table>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
