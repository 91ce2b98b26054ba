/**
 * A report as plain text for the terminal: title, provenance, calibration, the table (columns
 * aligned), the claims' verdicts with their evidence, and the charts' files when written.
 *
 * @module
 */

import type { ReportData } from "./load.ts";
import { provenanceItems } from "./provenance.ts";
import { REPORT_ALPHA, type ReportTable } from "./table.ts";

function aligned(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  return rows.map((r) =>
    r.map((cell, i) => cell + " ".repeat(widths[i]! - [...cell].length)).join("  ").trimEnd()
  );
}

/** The plain-text report of `data` with its `table`. */
export function renderText(data: ReportData, table: ReportTable): string {
  const { layout } = data;
  const lines = [
    `${layout.id} · ${layout.title}`,
    ...provenanceItems(data.run).map((p) => `${p.label}: ${p.value}`),
    table.test === null
      ? "significance: no comparisons stored with this run (rerun reproduce to store them)"
      : `significance: ▲/▼ significantly better/worse, · not (${table.test}, p < ${REPORT_ALPHA})`,
    ...data.calibration.map((c) =>
      `calibration: ${c.verdict} ${c.statement}${c.evidence === "" ? "" : `: ${c.evidence}`}`
    ),
    "",
    ...aligned([
      table.header.slice(1),
      ...table.rows.map((r) => r.cells.slice(1).map((c) => c.text)),
    ]),
    "",
    "claims:",
    ...data.claims.map((c) =>
      `  ${c.verdict.padEnd(12)} ${c.statement}: ${c.evidence}${
        c.pValue === null ? "" : ` (p ${c.pValue})`
      }`
    ),
  ];
  return lines.join("\n") + "\n";
}
