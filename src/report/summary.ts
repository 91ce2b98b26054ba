/**
 * Stored cells grouped over seeds: per seed-free cell the seeds, the mean and sample sd of each
 * measure as stored, the mean query latency and the sizes of its first seed. Arithmetic over
 * stored values only: no metric is recomputed.
 *
 * @module
 */

import type { LatencyInput, SizesInput, StoredCell } from "../store/mod.ts";
import { rowKey } from "./layout.ts";

/** One seed-free cell over its stored `ok` seeds. */
export interface CellSummary {
  readonly kind: "cell-summary";
  /** `method/size/mode`. */
  readonly key: string;
  readonly method: string;
  readonly size: string;
  readonly mode: string;
  /** Seeds of the `ok` cells (empty for the teacher and BM25, which have none). */
  readonly seeds: readonly number[];
  /** Number of `ok` cells averaged. */
  readonly cells: number;
  /** Number of failed cells (not averaged). */
  readonly failed: number;
  /** Measure -> mean over the `ok` cells. */
  readonly mean: Readonly<Record<string, number>>;
  /** Measure -> sample sd (n - 1), null with one cell. */
  readonly sd: Readonly<Record<string, number | null>>;
  /** Mean over the cells that have it; null when none has. */
  readonly latency: { readonly p50: number; readonly p95: number } | null;
  /** The first `ok` cell's sizes. */
  readonly sizes: SizesInput | null;
}

function meanOf(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0) / values.length;
}

/** Group `cells` by seed-free key, in the order each key first appears. */
export function summarizeCells(cells: readonly StoredCell[]): CellSummary[] {
  const groups = new Map<string, StoredCell[]>();
  for (const c of cells) {
    const key = rowKey(c);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [c]);
    else list.push(c);
  }
  return [...groups.entries()].map(([key, group]) => {
    const ok = group.filter((c) => c.status === "ok");
    const measures = [...new Set(ok.flatMap((c) => Object.keys(c.metrics)))].sort();
    const mean: Record<string, number> = {};
    const sd: Record<string, number | null> = {};
    for (const m of measures) {
      const values = ok.flatMap((c) => c.metrics[m] === undefined ? [] : [c.metrics[m]]);
      const mu = meanOf(values);
      mean[m] = mu;
      sd[m] = values.length < 2
        ? null
        : Math.sqrt(values.reduce((s, x) => s + (x - mu) ** 2, 0) / (values.length - 1));
    }
    const latencies = ok.flatMap((c) => c.latency === null ? [] : [c.latency as LatencyInput]);
    const first = group[0]!;
    return {
      kind: "cell-summary",
      key,
      method: first.method,
      size: first.size,
      mode: first.mode,
      seeds: ok.flatMap((c) => c.seed === null ? [] : [c.seed]).sort((a, b) => a - b),
      cells: ok.length,
      failed: group.length - ok.length,
      mean,
      sd,
      latency: latencies.length === 0 ? null : {
        p50: meanOf(latencies.map((l) => l.p50)),
        p95: meanOf(latencies.map((l) => l.p95)),
      },
      sizes: ok.find((c) => c.sizes !== null)?.sizes ?? null,
    };
  });
}
