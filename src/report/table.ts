/**
 * The report's table as data (header and rows of text cells, each with an optional detail and
 * significance mark): one row per seed-free cell in the layout's order with the mean ± sd of each
 * measure over seeds, retention of the teacher's headline measure, the step over the row above
 * and over the baseline with the stored comparison's significance, query-tower parameters,
 * query latency and the paper's value. Text, Markdown and HTML render the same table.
 *
 * @module
 */

import type { ComparisonInput } from "../store/mod.ts";
import { compact, f4, pValue, signed } from "./format.ts";
import { rowKey } from "./layout.ts";
import type { ReportData, RowData } from "./load.ts";

/** Significance level of the marks (verdicts use the same: EXPERIMENTS.md). */
export const REPORT_ALPHA = 0.05;

/** `better`/`worse`: significantly, by the stored Holm-adjusted p; `same`: not significant. */
export type Mark = "better" | "worse" | "same";

/** One cell of the table. */
export interface TableCell {
  readonly text: string;
  /** The numbers behind it (p-values, source), for a tooltip or footnote. */
  readonly detail: string | null;
  readonly mark: Mark | null;
}

/** The table. */
export interface ReportTable {
  readonly kind: "report-table";
  readonly header: readonly string[];
  readonly rows: readonly { readonly key: string; readonly cells: readonly TableCell[] }[];
  /** The test behind the marks, named (from the stored comparisons), or null when none stored. */
  readonly test: string | null;
}

const plain = (text: string, detail: string | null = null): TableCell => ({
  text,
  detail,
  mark: null,
});

/** The symbol of a mark: ▲ significantly better, ▼ worse, · not significant. */
export function markSymbol(mark: Mark): string {
  return mark === "better" ? "▲" : mark === "worse" ? "▼" : "·";
}

/** A comparison as a table cell (`+0.0123 ▲` with its p-values as detail). */
export function stepCell(c: ComparisonInput | undefined): TableCell {
  if (c === undefined) return plain("");
  const mark: Mark = c.adjustedP < REPORT_ALPHA ? (c.delta > 0 ? "better" : "worse") : "same";
  return {
    text: `${signed(c.delta)} ${markSymbol(mark)}`,
    detail: `${c.a} - ${c.b}: Holm p ${pValue(c.adjustedP)} (randomisation ${
      pValue(c.randomizationP)
    }; t-test Holm ${pValue(c.adjustedTTestP)}), ${c.queries} queries`,
    mark,
  };
}

/** The row above `index` in the same group (the cumulative step), or null. */
export function rowAbove(rows: readonly RowData[], index: number): RowData | null {
  const group = rows[index]!.row.group;
  if (group === null) return null;
  for (let i = index - 1; i >= 0; i--) {
    if (rows[i]!.row.group === group) return rows[i]!;
  }
  return null;
}

/** The comparison of `a` vs `b` on `measure` stored with the run, if any. */
export function findComparison(
  data: ReportData,
  a: string,
  b: string,
  measure: string,
): ComparisonInput | undefined {
  return data.comparisons.find((c) => c.a === a && c.b === b && c.measure === measure);
}

/** Build the table of `data`. */
export function reportTable(data: ReportData): ReportTable {
  const { layout } = data;
  const head = layout.measures[0]!;
  const teacher = layout.teacher === null
    ? undefined
    : data.rows.find((r) => r.key === layout.teacher)?.summary?.mean[head];
  const header = [
    "method",
    "cell",
    ...layout.measures,
    "retention",
    `vs above (${head})`,
    `vs ${layout.baseline} (${head})`,
    "query params (no emb.)",
    "query p50/p95 ms",
    `paper ${head}`,
  ];
  const rows = data.rows.map((r, i) => {
    const s = r.summary;
    const paper = data.paper.find((p) => p.key === r.key && p.measure === head);
    const paperCell = paper === undefined
      ? plain("not transcribed")
      : plain(`${paper.value.toFixed(3)}${paper.secondary ? " (second-hand)" : ""}`, paper.source);
    if (s === null) {
      return {
        key: r.key,
        cells: [
          plain(r.row.label),
          plain(r.key),
          ...layout.measures.map(() => plain("not run")),
          ...[1, 2, 3, 4, 5].map(() => plain("")),
          paperCell,
        ],
      };
    }
    const values = layout.measures.map((m) => {
      const mean = s.mean[m];
      if (mean === undefined) return plain("-");
      const sd = s.sd[m];
      return plain(
        sd === null || sd === undefined ? f4(mean) : `${f4(mean)} ± ${f4(sd)}`,
        `${s.cells} cell${s.cells === 1 ? "" : "s"}${
          s.seeds.length > 0 ? `, seeds ${s.seeds.join(", ")}` : ""
        }${s.failed > 0 ? `, ${s.failed} failed` : ""}`,
      );
    });
    const mean = s.mean[head];
    const retention = teacher !== undefined && teacher > 0 && mean !== undefined &&
        (r.row.group !== null || r.key === layout.teacher)
      ? plain(`${(100 * mean / teacher).toFixed(1)} %`)
      : plain("");
    const above = rowAbove(data.rows, i);
    const isBaseline = r.row.method === layout.baseline || r.row.group === null;
    const sizes = s.sizes;
    return {
      key: r.key,
      cells: [
        plain(r.row.label),
        plain(r.key),
        ...values,
        retention,
        above === null ? plain("") : stepCell(findComparison(data, r.key, above.key, head)),
        isBaseline ? plain("") : stepCell(
          findComparison(
            data,
            r.key,
            rowKey({ method: layout.baseline, size: r.row.size, mode: r.row.mode }),
            head,
          ),
        ),
        sizes === null ? plain("") : plain(
          `${compact(sizes.queryParameters)} (${compact(sizes.queryParametersWithoutEmbeddings)})` +
            (r.row.group === null ? "" : ` ${(100 * sizes.ratio).toFixed(1)} %`),
        ),
        s.latency === null
          ? plain("")
          : plain(`${s.latency.p50.toFixed(2)}/${s.latency.p95.toFixed(2)}`),
        paperCell,
      ],
    };
  });
  const tests = [...new Set(data.comparisons.map((c) => c.test))].sort();
  return {
    kind: "report-table",
    header,
    rows,
    test: tests.length === 0 ? null : tests.join("; "),
  };
}
