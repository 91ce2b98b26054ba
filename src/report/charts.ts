/**
 * The report's charts as vega-lite specifications with their data inline: quality vs query
 * latency (the paper's trade-off), quality vs query-tower parameters, training curves (every
 * stored curve of each cell's first seed), and per-query differences to the baseline (sorted
 * bars, one panel per cell). A chart with no data to show is left out.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { rowKey } from "./layout.ts";
import type { ReportData } from "./load.ts";

/** One chart of a report. */
export interface ChartSpec {
  readonly kind: "chart";
  /** File-name part: `tradeoff`, `parameters`, `curves`, `per-query`. */
  readonly id: string;
  readonly title: string;
  /** One sentence under the chart: what it shows. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

const CONFIG = {
  font: "sans-serif",
  background: "white",
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
} as const;

/** Points of the rows that have the headline measure and `x` (latency or parameters). */
function points(data: ReportData, x: (i: number) => number | null) {
  const head = data.layout.measures[0]!;
  return data.rows.flatMap((r, i) => {
    const y = r.summary?.mean[head];
    const xv = x(i);
    if (y === undefined || xv === null) return [];
    return [{ method: r.row.label, mode: r.row.mode, size: r.row.size, cell: r.key, x: xv, y }];
  });
}

function scatter(
  id: string,
  title: string,
  caption: string,
  values: ReturnType<typeof points>,
  xTitle: string,
  yTitle: string,
  logX: boolean,
): ChartSpec {
  return {
    kind: "chart",
    id,
    title,
    caption,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title,
      width: 520,
      height: 320,
      config: CONFIG,
      data: { values },
      mark: { type: "point", filled: true, size: 90, opacity: 0.85 },
      encoding: {
        x: {
          field: "x",
          type: "quantitative",
          title: xTitle,
          scale: logX ? { type: "log" } : { zero: false },
        },
        y: { field: "y", type: "quantitative", title: yTitle, scale: { zero: false } },
        color: { field: "method", type: "nominal", title: "method", sort: null },
        shape: { field: "mode", type: "nominal", title: "mode" },
        tooltip: [
          { field: "cell", type: "nominal" },
          { field: "x", type: "quantitative", title: xTitle, format: ".3~g" },
          { field: "y", type: "quantitative", title: yTitle, format: ".4f" },
        ],
      },
    },
  };
}

/** The charts of `data`, in the report's order. */
export function reportCharts(data: ReportData): ChartSpec[] {
  const head = data.layout.measures[0]!;
  const charts: ChartSpec[] = [];
  const labelOf = new Map(data.rows.map((r) => [r.key, r.row.label]));

  const latency = points(data, (i) => data.rows[i]!.summary?.latency?.p50 ?? null);
  if (latency.length > 0) {
    charts.push(scatter(
      "tradeoff",
      `${head} vs query latency`,
      `Quality against the online cost of one query (tokenisation + query encoding, p50 over ` +
        `queries, mean over seeds): the paper's trade-off.`,
      latency,
      "query latency p50 (ms)",
      `${head} (mean over seeds)`,
      false,
    ));
  }
  const params = points(data, (i) => data.rows[i]!.summary?.sizes?.queryParameters ?? null);
  if (params.length > 0) {
    charts.push(scatter(
      "parameters",
      `${head} vs query-tower parameters`,
      "Quality against the size of the tower that encodes queries online (log scale).",
      params,
      "query-tower parameters",
      `${head} (mean over seeds)`,
      true,
    ));
  }

  if (data.curves.length > 0) {
    const values = data.curves.map((c) => {
      const row = data.rows.find((r) => r.key === c.key)!;
      return {
        series: `${labelOf.get(c.key) ?? c.key} · ${row.row.mode}`,
        panel: `${c.name} · ${row.row.size}`,
        step: c.step,
        value: c.value,
      };
    });
    charts.push({
      kind: "chart",
      id: "curves",
      title: "Training curves",
      caption: "Every stored curve (loss terms, dev measures) by step, first seed of each cell; " +
        "one panel per curve and student size.",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: "Training curves (first seed)",
        config: CONFIG,
        data: { values },
        facet: {
          field: "panel",
          type: "nominal",
          title: null,
          sort: [...new Set(values.map((v) => v.panel))],
        },
        columns: 2,
        resolve: { scale: { y: "independent" } },
        spec: {
          width: 360,
          height: 220,
          mark: { type: "line", strokeWidth: 1.2, clip: true },
          encoding: {
            x: { field: "step", type: "quantitative", title: "step" },
            y: { field: "value", type: "quantitative", title: "value", scale: { zero: false } },
            color: { field: "series", type: "nominal", title: "cell", sort: null },
          },
        },
      },
    });
  }

  const diffs: { panel: string; rank: number; diff: number; query: string }[] = [];
  for (const r of data.rows) {
    if (r.row.group === null || r.row.method === data.layout.baseline) continue;
    const baseKey = rowKey({ method: data.layout.baseline, size: r.row.size, mode: r.row.mode });
    const mine = data.perQuery.get(`${r.key}|${head}`);
    const base = data.perQuery.get(`${baseKey}|${head}`);
    if (mine === undefined || base === undefined) continue;
    const paired = [...mine].flatMap(([q, v]) => {
      const b = base.get(q);
      return b === undefined ? [] : [{ query: q, diff: v - b }];
    }).sort((x, y) => y.diff - x.diff || (x.query < y.query ? -1 : 1));
    const panel = `${r.row.label} · ${r.row.size} · ${r.row.mode}`;
    paired.forEach((p, rank) => diffs.push({ panel, rank: rank + 1, ...p }));
  }
  if (diffs.length > 0) {
    charts.push({
      kind: "chart",
      id: "per-query",
      title: `Per-query ${head} differences to ${data.layout.baseline}`,
      caption: `Each bar is one test query: the cell's ${head} minus the ${data.layout.baseline} ` +
        `cell's of the same size and mode (averaged over seeds), as sorted bars one query wide; ` +
        "above zero the cell wins.",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: `Per-query ${head} minus ${data.layout.baseline}, sorted`,
        config: CONFIG,
        data: { values: diffs },
        facet: {
          field: "panel",
          type: "nominal",
          title: null,
          sort: [...new Set(diffs.map((d) => d.panel))],
        },
        columns: 2,
        spec: {
          width: 360,
          height: 140,
          // One step per query: sorted bars drawn as one path (hundreds of queries per panel).
          mark: { type: "area", interpolate: "step-after", line: { strokeWidth: 0.6 } },
          encoding: {
            x: {
              field: "rank",
              type: "quantitative",
              title: "queries, sorted by difference",
              scale: { nice: false },
            },
            y: { field: "diff", type: "quantitative", title: `Δ ${head}` },
            color: { value: "#4c78a8" },
          },
        },
      },
    });
  }
  return charts;
}

/** A chart rendered: its spec, its SVG text, and the file it is written to. */
export interface ChartFile {
  readonly chart: ChartSpec;
  readonly svg: string;
  /** File name beside the report (`<experiment>.<chart id>.svg`). */
  readonly file: string;
}
