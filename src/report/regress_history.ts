/**
 * The report of `regress` runs: expected vs actual over commits, from the store's regress checks.
 * A table (one row per checked value, one column per regress run: the actual value and its
 * verdict), a per-run summary, and a chart of delta / tolerance per value over the runs (the
 * bands at +-1 and -1.5 are the OK and OK* limits). Renders as text, Markdown and self-contained
 * HTML (the chart inline as SVG).
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import type { StoredRegressCheck } from "../store/mod.ts";
import type { ChartSpec } from "./charts.ts";
import { escapeHtml } from "./html.ts";
import { mdTable } from "./markdown.ts";

/** One regress run as a column. */
export interface RegressRunColumn {
  readonly runId: number;
  /** `run 12 · 6c9f1fd` (a `+` when the tree had uncommitted changes). */
  readonly label: string;
  readonly startedAt: string;
  readonly counts: Readonly<Record<string, number>>;
}

/** One checked value over the runs (null where a run did not check it). */
export interface RegressValueRow {
  readonly experiment: string;
  readonly cell: string;
  readonly measure: string;
  /** The latest run's expected value and tolerance. */
  readonly expected: number;
  readonly tolerance: number;
  readonly checks: readonly (StoredRegressCheck | null)[];
}

/** The history: runs oldest first (the last `maxRuns`), values in check order. */
export interface RegressHistory {
  readonly kind: "regress-history";
  readonly runs: readonly RegressRunColumn[];
  readonly values: readonly RegressValueRow[];
}

/** The last `maxRuns` regress runs of `checks` (the store's rows, oldest run first). */
export function regressHistory(
  checks: readonly StoredRegressCheck[],
  maxRuns = 8,
): RegressHistory {
  const ids = [...new Set(checks.map((c) => c.runId))].sort((a, b) => a - b).slice(-maxRuns);
  const kept = checks.filter((c) => ids.includes(c.runId));
  const runs = ids.map((runId) => {
    const of = kept.filter((c) => c.runId === runId);
    const first = of[0]!;
    const counts: Record<string, number> = { OK: 0, BETTER: 0, "OK*": 0, FAIL: 0 };
    for (const c of of) counts[c.verdict] = (counts[c.verdict] ?? 0) + 1;
    const commit = first.commit === null ? "unknown" : first.commit.slice(0, 7);
    return {
      runId,
      label: `run ${runId} · ${commit}${first.dirty ? "+" : ""}`,
      startedAt: first.startedAt,
      counts,
    };
  });
  const rows = new Map<string, StoredRegressCheck[]>();
  for (const c of kept) {
    const key = `${c.experiment}\t${c.cell}\t${c.measure}`;
    rows.set(key, [...(rows.get(key) ?? []), c]);
  }
  const values = [...rows.values()].map((of) => {
    const last = of[of.length - 1]!;
    return {
      experiment: last.experiment,
      cell: last.cell,
      measure: last.measure,
      expected: last.expected,
      tolerance: last.tolerance,
      checks: ids.map((id) => of.find((c) => c.runId === id) ?? null),
    };
  });
  return { kind: "regress-history", runs, values };
}

/** delta / tolerance; an exact value (tolerance 0) in units of its printed precision (1e-4). */
export function normalisedDelta(c: StoredRegressCheck): number | null {
  if (c.actual === null) return null;
  const delta = Math.round(c.actual * 1e4) / 1e4 - c.expected;
  return Math.round((delta / Math.max(c.tolerance, 1e-4)) * 1000) / 1000;
}

/** The chart's y range: a value further out is drawn at the edge (its tooltip has the value). */
export const CHART_LIMIT = 3;

/** The chart: delta / tolerance per value over the runs, coloured by verdict. */
export function regressChart(history: RegressHistory): ChartSpec {
  const values = history.values.flatMap((v) =>
    v.checks.flatMap((c, i) => {
      const y = c === null ? null : normalisedDelta(c);
      return c === null || y === null ? [] : [{
        run: history.runs[i]!.label,
        order: i,
        value: `${v.experiment} ${v.cell} ${v.measure}`,
        y: Math.max(-CHART_LIMIT, Math.min(CHART_LIMIT, y)),
        ratio: y,
        verdict: c.verdict,
      }];
    })
  );
  const title = "Regress checks: delta / tolerance per value over runs";
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 640,
    height: 320,
    config: { font: "sans-serif", background: "white" },
    layer: [
      {
        data: { values: [{ y: 1 }, { y: -1 }, { y: -1.5 }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#999" },
        encoding: {
          y: {
            field: "y",
            type: "quantitative",
            scale: { domain: [-CHART_LIMIT, CHART_LIMIT] },
          },
        },
      },
      {
        data: { values },
        mark: { type: "line", opacity: 0.25, color: "#777" },
        encoding: {
          x: { field: "run", type: "ordinal", sort: { field: "order" }, title: "regress run" },
          y: { field: "y", type: "quantitative", title: "delta / tolerance" },
          detail: { field: "value" },
        },
      },
      {
        data: { values },
        mark: { type: "point", filled: true },
        encoding: {
          x: { field: "run", type: "ordinal", sort: { field: "order" } },
          y: { field: "y", type: "quantitative" },
          color: {
            field: "verdict",
            type: "nominal",
            scale: {
              domain: ["OK", "BETTER", "OK*", "FAIL"],
              range: ["#1b5e20", "#1565c0", "#8a6d00", "#b71c1c"],
            },
          },
          tooltip: [{ field: "value" }, { field: "ratio" }, { field: "verdict" }],
        },
      },
    ],
  };
  return {
    kind: "chart",
    id: "delta",
    title,
    caption: "Each point is one expected value in one regress run: 0 is the expected value, " +
      "+-1 the tolerance (OK inside), -1.5 the OK* limit; exact values (tolerance 0) are in units " +
      `of 1e-4; a value beyond +-${CHART_LIMIT} is drawn at the edge.`,
    spec,
  };
}

function cellText(c: StoredRegressCheck | null): string {
  if (c === null) return "";
  return `${c.actual === null ? "missing" : c.actual.toFixed(4)} ${c.verdict}`;
}

function tableRows(h: RegressHistory): string[][] {
  return h.values.map((v) => [
    v.experiment,
    v.cell,
    v.measure,
    v.expected.toFixed(4),
    v.tolerance.toFixed(4),
    ...v.checks.map(cellText),
  ]);
}

function header(h: RegressHistory): string[] {
  return ["check", "cell", "measure", "expected", "tol", ...h.runs.map((r) => r.label)];
}

function summaryRows(h: RegressHistory): string[][] {
  return h.runs.map((r) => [
    r.label,
    r.startedAt,
    ...["OK", "BETTER", "OK*", "FAIL"].map((v) => String(r.counts[v] ?? 0)),
  ]);
}

const SUMMARY_HEADER = ["run", "started", "OK", "BETTER", "OK*", "FAIL"];

/** Plain text: the per-run summary, then the values that were not OK in some run. */
export function renderRegressText(h: RegressHistory): string {
  const lines = ["Regress runs (oldest first)", ""];
  for (const r of summaryRows(h)) lines.push(r.join("  "));
  const notOk = h.values.filter((v) => v.checks.some((c) => c !== null && c.verdict !== "OK"));
  lines.push("", `${notOk.length} of ${h.values.length} values were not OK in some run`);
  for (const v of notOk) {
    lines.push(
      `  ${v.experiment} ${v.cell} ${v.measure} expected ${v.expected.toFixed(4)}: ${
        v.checks.map(cellText).join(" | ")
      }`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Markdown, the chart as an SVG file beside it. */
export function renderRegressMarkdown(h: RegressHistory, chartFile: string): string {
  return [
    "# Regress: expected vs actual over commits",
    "",
    ...mdTable({ header: SUMMARY_HEADER, rows: summaryRows(h) }),
    "",
    `![delta / tolerance](${chartFile})`,
    "",
    ...mdTable({ header: header(h), rows: tableRows(h) }),
    "",
  ].join("\n");
}

/** Self-contained HTML with the chart's SVG inline. */
export function renderRegressHtml(h: RegressHistory, svg: string): string {
  const table = (id: string, head: string[], rows: string[][]) => [
    `<table id="${id}">`,
    `<thead><tr>${head.map((x) => `<th>${escapeHtml(x)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((r) =>
      `<tr>${
        r.map((x) => {
          const cls = /FAIL$/.test(x)
            ? ' class="fail"'
            : /BETTER$/.test(x)
            ? ' class="better"'
            : "";
          return `<td${cls}>${escapeHtml(x)}</td>`;
        }).join("")
      }</tr>`
    ),
    "</tbody>",
    "</table>",
  ];
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    "<title>Regress: expected vs actual over commits</title>",
    "<style>body { font-family: sans-serif; margin: 24px; } table { border-collapse: collapse; " +
    "font-size: 13px; } th, td { border: 1px solid #ddd; padding: 3px 7px; } th { background: " +
    "#f3f3f3; text-align: left; } .fail { color: #b71c1c; font-weight: bold; } .better { color: " +
    "#1565c0; }</style>",
    "</head>",
    "<body>",
    "<h1>Regress: expected vs actual over commits</h1>",
    ...table("runs", SUMMARY_HEADER, summaryRows(h)),
    `<figure id="chart-delta">${svg}<figcaption>${
      escapeHtml(regressChart(h).caption)
    }</figcaption></figure>`,
    ...table("results", header(h), tableRows(h)),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
