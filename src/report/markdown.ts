/**
 * A report as Markdown: provenance, calibration, the table with significance marks and the test
 * named, the claims' verdicts with their evidence, the stored comparisons on the headline measure,
 * the paper's sources, and the charts as links to their SVG files beside the report.
 *
 * @module
 */

import type { ChartFile } from "./charts.ts";
import { pValue } from "./format.ts";
import type { ReportData } from "./load.ts";
import { provenanceItems } from "./provenance.ts";
import { comparisonsTable, paperTable, type TextTable } from "./sections.ts";
import { REPORT_ALPHA, type ReportTable } from "./table.ts";

/** `text` safe inside a Markdown table cell. */
export function mdCell(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** A Markdown table: a header row, the separator, one row per entry (cells escaped). */
export function mdTable({ header, rows }: TextTable): string[] {
  return [
    `| ${header.map(mdCell).join(" | ")} |`,
    `|${header.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ];
}

/** The Markdown report; `charts` are linked by file name (relative to the report). */
export function renderMarkdown(
  data: ReportData,
  table: ReportTable,
  charts: readonly ChartFile[],
): string {
  const { layout } = data;
  const head = layout.measures[0]!;
  const lines: string[] = [
    `# ${layout.id} · ${layout.title}`,
    "",
    `> ${layout.shows}`,
    "",
    "## Provenance",
    "",
    ...mdTable({
      header: ["", ""],
      rows: provenanceItems(data.run).map((p) => [p.label, p.value]),
    }),
    "",
    "## Calibration",
    "",
    ...(data.calibration.length === 0
      ? ["No calibration checks stored with this run."]
      : data.calibration.map((c) =>
        `- **${c.verdict}** ${c.statement}${c.evidence === "" ? "" : `: ${c.evidence}`}`
      )),
    "",
    "## Results",
    "",
    `Mean ± sd over seeds. ${
      table.test === null
        ? "No comparisons are stored with this run: no significance marks (rerun reproduce)."
        : `▲/▼ significantly better/worse, · not significant: ${table.test}, p < ${REPORT_ALPHA}.`
    } Paper values marked second-hand are unverified.`,
    "",
    ...mdTable({ header: table.header, rows: table.rows.map((r) => r.cells.map((c) => c.text)) }),
    "",
    "## Claims",
    "",
    ...(data.claims.some((c) => c.pValue !== null)
      ? mdTable({
        header: ["verdict", "claim", "evidence", "p"],
        rows: data.claims.map((c) => [
          c.verdict,
          c.statement,
          c.evidence,
          c.pValue === null ? "" : pValue(c.pValue),
        ]),
      })
      : mdTable({
        header: ["verdict", "claim", "evidence"],
        rows: data.claims.map((c) => [c.verdict, c.statement, c.evidence]),
      })),
    "",
    `## Comparisons (${head})`,
    "",
    ...mdTable(comparisonsTable(data, head)),
    "",
    "## Charts",
    "",
    ...charts.flatMap((
      c,
    ) => [`### ${c.chart.title}`, "", c.chart.caption, "", `![${c.chart.title}](${c.file})`, ""]),
    "## Paper values",
    "",
    ...(data.paper.length === 0
      ? ["No paper values stored with this run."]
      : mdTable(paperTable(data))),
    "",
  ];
  return lines.join("\n");
}
