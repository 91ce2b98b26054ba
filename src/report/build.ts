/**
 * A report built from its data: the table, the charts rendered to SVG, and the three renderings
 * (text, Markdown, HTML); and the files written for it. Deterministic: the same store gives the
 * same bytes (no time but the run's stored ones).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../io/mod.ts";
import { reportCharts } from "./charts.ts";
import type { ChartFile } from "./charts.ts";
import { renderHtml } from "./html.ts";
import type { ReportData } from "./load.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderSvg } from "./svg.ts";
import { type ReportTable, reportTable } from "./table.ts";
import { renderText } from "./text.ts";

/** Where reports go by default: `results/reports/` under the repository root (git-ignored). */
export const DEFAULT_REPORTS_DIR: string = fileURLToPath(
  new URL("../../results/reports/", import.meta.url),
);

/** A report, rendered. */
export interface BuiltReport {
  readonly kind: "report";
  /** The experiment id: the files' base name. */
  readonly id: string;
  readonly table: ReportTable;
  readonly charts: readonly ChartFile[];
  readonly text: string;
  readonly markdown: string;
  readonly html: string;
}

/** Render `data`'s table, charts, text, Markdown and HTML. */
export async function buildReport(data: ReportData): Promise<BuiltReport> {
  const id = data.layout.id;
  const table = reportTable(data);
  const charts: ChartFile[] = [];
  for (const chart of reportCharts(data)) {
    charts.push({
      chart,
      svg: await renderSvg(chart.spec, `${id}-${chart.id}`),
      file: `${id}.${chart.id}.svg`,
    });
  }
  return {
    kind: "report",
    id,
    table,
    charts,
    text: renderText(data, table),
    markdown: renderMarkdown(data, table, charts),
    html: renderHtml(data, table, charts),
  };
}

/** The files of a written report. */
export interface WrittenReport {
  readonly markdown: string;
  readonly html: string;
  readonly charts: readonly string[];
}

/** Write `<id>.md`, `<id>.html` and `<id>.<chart>.svg` into `dir` (created), atomically each. */
export async function writeReport(report: BuiltReport, dir: string): Promise<WrittenReport> {
  await Deno.mkdir(dir, { recursive: true });
  const encoder = new TextEncoder();
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFileAtomic(path, encoder.encode(text));
    return path;
  };
  const charts: string[] = [];
  for (const c of report.charts) charts.push(await write(c.file, c.svg));
  return {
    markdown: await write(`${report.id}.md`, report.markdown),
    html: await write(`${report.id}.html`, report.html),
    charts,
  };
}
