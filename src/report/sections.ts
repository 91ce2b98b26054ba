/**
 * The report sections that are plain tables of text, built once for every format: the stored
 * comparisons on the headline measure and the paper's values with their sources. The Markdown and
 * HTML renderers only lay them out.
 *
 * @module
 */

import { f4, pValue, signed } from "./format.ts";
import type { ReportData } from "./load.ts";

/** A table of text: its header and its rows, one string per column. */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The stored comparisons on `measure` (the headline): delta, queries and every p-value. */
export function comparisonsTable(data: ReportData, measure: string): TextTable {
  return {
    header: ["cell", "vs", `Δ ${measure}`, "queries", "Holm p", "randomisation p", "t-test Holm p"],
    rows: data.comparisons.filter((c) => c.measure === measure).map((c) => [
      c.a,
      c.b,
      signed(c.delta),
      String(c.queries),
      pValue(c.adjustedP),
      pValue(c.randomizationP),
      pValue(c.adjustedTTestP),
    ]),
  };
}

/** The paper's values stored with the run, second-hand ones marked. */
export function paperTable(data: ReportData): TextTable {
  return {
    header: ["cell", "measure", "paper", "source"],
    rows: data.paper.map((p) => [
      p.key,
      p.measure,
      `${f4(p.value)}${p.secondary ? " (second-hand)" : ""}`,
      p.source,
    ]),
  };
}

/** Sources of the paper values the table shows, sorted, second-hand ones marked. */
export function paperSources(data: ReportData): string[] {
  return [...new Set(data.paper.map((p) => `${p.secondary ? "second-hand: " : ""}${p.source}`))]
    .sort();
}
