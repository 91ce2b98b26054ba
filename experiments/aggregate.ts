/**
 * From finished cell records to what a table shows: per cell (over seeds) the mean and sd (n - 1)
 * of each measure, per-query values averaged over seeds, and the mean of sizes and latency.
 *
 * @module
 */

import { cellKey, type CellRef } from "./cell_id.ts";
import type { CellRecord } from "./cell_records.ts";
import type { CellQuality } from "./verdicts.ts";

/** One cell over its seeds. */
export interface CellSummary {
  /** The cell without its seed. */
  readonly cell: CellRef;
  readonly seeds: readonly number[];
  /** Measure -> mean over seeds. */
  readonly mean: Readonly<Record<string, number>>;
  /** Measure -> sample sd over seeds (n - 1); null with one seed. */
  readonly sd: Readonly<Record<string, number | null>>;
  /** The first seed's record (sizes, latency, provenance). */
  readonly first: CellRecord;
}

function seedless(cell: CellRef): CellRef {
  return { method: cell.method, size: cell.size, mode: cell.mode };
}

/** Group `ok` records by cell (seed dropped), in the records' order. */
export function summarize(records: readonly CellRecord[]): CellSummary[] {
  const groups = new Map<string, CellRecord[]>();
  for (const r of records) {
    if (r.status !== "ok") continue;
    const key = cellKey(r.cell);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const measures = Object.keys(group[0]!.metrics);
    const mean: Record<string, number> = {};
    const sd: Record<string, number | null> = {};
    for (const m of measures) {
      const values = group.map((r) => r.metrics[m]).filter((v): v is number => v !== undefined);
      const mu = values.reduce((s, x) => s + x, 0) / values.length;
      mean[m] = mu;
      sd[m] = values.length < 2
        ? null
        : Math.sqrt(values.reduce((s, x) => s + (x - mu) ** 2, 0) / (values.length - 1));
    }
    return {
      cell: seedless(group[0]!.cell),
      seeds: group.map((r) => r.cell.seed ?? 0),
      mean,
      sd,
      first: group[0]!,
    };
  });
}

/**
 * Per cell and measure: the mean over seeds and the per-query values averaged over the seeds that
 * have them (what the paired tests compare).
 */
export function cellQualities(records: readonly CellRecord[]): CellQuality[] {
  const out: CellQuality[] = [];
  for (const summary of summarize(records)) {
    const group = records.filter((r) =>
      r.status === "ok" && cellKey(r.cell) === cellKey(summary.cell)
    );
    for (const [measure, mean] of Object.entries(summary.mean)) {
      const sums = new Map<string, { sum: number; n: number }>();
      for (const r of group) {
        for (const [q, v] of Object.entries(r.perQuery[measure] ?? {})) {
          const s = sums.get(q) ?? { sum: 0, n: 0 };
          sums.set(q, { sum: s.sum + v, n: s.n + 1 });
        }
      }
      const perQuery = new Map([...sums].map(([q, s]) => [q, s.sum / s.n] as const));
      out.push({ cell: summary.cell, measure, mean, perQuery });
    }
  }
  return out;
}
