/**
 * What an expected file of an experiment may name (its cells and measures as run under a preset:
 * a zero-shot table's measures spelled out per corpus), and a run's values per seed-free cell
 * (the mean over seeds, as the tables show them).
 *
 * @module
 */

import { cellKey, type CellRef } from "../cell_id.ts";
import { experimentCells } from "../cells.ts";
import type { ExperimentDefinition, PresetName } from "../definition.ts";
import { zeroShotCorpora, zeroShotDefinition } from "../zero_shot.ts";
import type { ExpectedScope } from "./expected_file.ts";

/** The experiment as a run of `preset` resolves it (zero-shot measures spelled out). */
export function definitionAsRun(
  experiment: ExperimentDefinition,
  preset: PresetName,
): ExperimentDefinition {
  return experiment.zeroShot === undefined
    ? experiment
    : zeroShotDefinition(experiment, zeroShotCorpora(experiment, preset));
}

/** The cells (seed-free ids) and measures an expected file of `experiment` may name. */
export function experimentScope(
  experiment: ExperimentDefinition,
  preset: PresetName,
): ExpectedScope {
  const resolved = definitionAsRun(experiment, preset);
  const cells = [...new Set(experimentCells(resolved, 1).map(cellKey))];
  return { experiment: experiment.id, preset, cells, measures: resolved.measures };
}

/** Seed-free cell id -> measure -> value. */
export type CellValues = ReadonlyMap<string, Readonly<Record<string, number>>>;

/** A finished (or failed) cell with its test measures: a cell record or a stored cell. */
export interface MeasuredCell {
  readonly cell: CellRef;
  readonly status: string;
  readonly metrics: Readonly<Record<string, number>>;
}

/** Per seed-free cell, the mean over its `ok` seeds of each of `measures` (others dropped). */
export function cellMeans(cells: readonly MeasuredCell[], measures: readonly string[]): CellValues {
  const sums = new Map<string, Map<string, { sum: number; n: number }>>();
  for (const c of cells) {
    if (c.status !== "ok") continue;
    const key = cellKey(c.cell);
    const byMeasure = sums.get(key) ?? new Map<string, { sum: number; n: number }>();
    sums.set(key, byMeasure);
    for (const m of measures) {
      const v = c.metrics[m];
      if (v === undefined) continue;
      const s = byMeasure.get(m) ?? { sum: 0, n: 0 };
      byMeasure.set(m, { sum: s.sum + v, n: s.n + 1 });
    }
  }
  return new Map(
    [...sums].map(([key, byMeasure]) => [
      key,
      Object.fromEntries([...byMeasure].map(([m, s]) => [m, s.sum / s.n])),
    ]),
  );
}
