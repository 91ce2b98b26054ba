/**
 * A report as one self-contained HTML page: inline CSS, the charts' SVG inline, no script and no
 * external resource, so it opens with no network. Same sections as the Markdown report.
 *
 * @module
 */

import type { ChartFile } from "./charts.ts";
import { pValue } from "./format.ts";
import type { ReportData } from "./load.ts";
import { provenanceItems } from "./provenance.ts";
import { comparisonsTable, paperSources, paperTable, type TextTable } from "./sections.ts";
import { REPORT_ALPHA, type ReportTable, type TableCell } from "./table.ts";

/** `text` escaped for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

const STYLE = `
body { font-family: sans-serif; margin: 24px auto; max-width: 1500px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ddd; }
blockquote { color: #555; margin: 8px 0; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.better { color: #1b5e20; font-weight: bold; } .worse { color: #b71c1c; font-weight: bold; }
.same { color: #666; }
.holds { color: #1b5e20; } .fails { color: #b71c1c; } .inconclusive { color: #8a6d00; }
figure { margin: 16px 0; } figcaption { color: #555; font-size: 13px; }
`.trim();

function td(cell: TableCell, numeric: boolean): string {
  const classes = [numeric ? "num" : "", cell.mark ?? ""].filter((c) => c !== "").join(" ");
  const attrs = (classes === "" ? "" : ` class="${classes}"`) +
    (cell.detail === null ? "" : ` title="${escapeHtml(cell.detail)}"`);
  return `<td${attrs}>${escapeHtml(cell.text)}</td>`;
}

function simpleTable(id: string, { header, rows }: TextTable) {
  return [
    `<table id="${id}">`,
    `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`),
    "</tbody>",
    "</table>",
  ];
}

function claimsTable(data: ReportData, verdict: (v: string) => string): string[] {
  const withP = data.claims.some((c) => c.pValue !== null);
  return [
    '<table id="claims">',
    `<thead><tr><th>verdict</th><th>claim</th><th>evidence</th>${
      withP ? "<th>p</th>" : ""
    }</tr></thead>`,
    "<tbody>",
    ...data.claims.map((c) =>
      `<tr><td>${verdict(c.verdict)}</td><td>${escapeHtml(c.statement)}</td><td>${
        escapeHtml(c.evidence)
      }</td>${withP ? `<td>${c.pValue === null ? "" : pValue(c.pValue)}</td>` : ""}</tr>`
    ),
    "</tbody>",
    "</table>",
  ];
}

/** The HTML report with `charts` inline. */
export function renderHtml(
  data: ReportData,
  table: ReportTable,
  charts: readonly ChartFile[],
): string {
  const { layout } = data;
  const head = layout.measures[0]!;
  const title = `${layout.id} · ${layout.title}`;
  const verdict = (v: string) =>
    `<span class="${escapeHtml(v.replaceAll(" ", "-"))}">${escapeHtml(v)}</span>`;
  const lines = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(title)}</h1>`,
    `<blockquote>${escapeHtml(layout.shows)}</blockquote>`,
    "<h2>Provenance</h2>",
    '<table id="provenance"><tbody>',
    ...provenanceItems(data.run).map((p) =>
      `<tr><th>${escapeHtml(p.label)}</th><td>${escapeHtml(p.value)}</td></tr>`
    ),
    "</tbody></table>",
    "<h2>Calibration</h2>",
    data.calibration.length === 0
      ? "<p>No calibration checks stored with this run.</p>"
      : `<ul id="calibration">${
        data.calibration.map((c) =>
          `<li>${verdict(c.verdict)} ${escapeHtml(c.statement)}${
            c.evidence === "" ? "" : `: ${escapeHtml(c.evidence)}`
          }</li>`
        ).join("")
      }</ul>`,
    "<h2>Results</h2>",
    `<p>Mean ± sd over seeds. ${
      table.test === null
        ? "No comparisons are stored with this run: no significance marks (rerun reproduce)."
        : `<span class="better">▲</span>/<span class="worse">▼</span> significantly better/worse, ` +
          `<span class="same">·</span> not significant: ${
            escapeHtml(table.test)
          }, p &lt; ${REPORT_ALPHA}` +
          " (hover a step for its p-values)."
    } Paper values marked second-hand are unverified.</p>`,
    '<table id="results">',
    `<thead><tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...table.rows.map((r) =>
      `<tr data-cell="${escapeHtml(r.key)}">${r.cells.map((c, i) => td(c, i >= 2)).join("")}</tr>`
    ),
    "</tbody>",
    "</table>",
    "<h2>Claims</h2>",
    ...claimsTable(data, verdict),
    "<h2>Charts</h2>",
    ...charts.flatMap((c) => [
      `<figure id="chart-${escapeHtml(c.chart.id)}" class="chart">`,
      c.svg,
      `<figcaption>${escapeHtml(c.chart.caption)}</figcaption>`,
      "</figure>",
    ]),
    `<h2>Comparisons (${escapeHtml(head)})</h2>`,
    ...simpleTable("comparisons", comparisonsTable(data, head)),
    "<h2>Paper values</h2>",
    ...simpleTable("paper", paperTable(data)),
    `<p>Sources: ${escapeHtml(paperSources(data).join("; ") || "none")}</p>`,
    "</body>",
    "</html>",
    "",
  ];
  return lines.join("\n");
}
