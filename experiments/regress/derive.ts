/**
 * Expected values derived from measured runs (the tolerance rule of expected_file.ts): per cell
 * and measure, over every run, expected = the midpoint of [min, max] at printed precision, spread
 * = max - min, tolerance = 2 x spread rounded up to 4 decimals and at least
 * {@link MIN_TRAINED_TOLERANCE} for trained cells, 0 for deterministic ones (which must not vary).
 *
 * @module
 */

import { parseCellId } from "../cell_id.ts";
import type { PaperValue } from "../paper.ts";
import type { ExpectedValue } from "./expected_file.ts";
import type { CellValues } from "./scope.ts";
import { atPrinted, printedUnits } from "./verdict.ts";

/** The smallest tolerance of a trained cell. */
export const MIN_TRAINED_TOLERANCE = 0.005;

/** One measured run of an experiment. */
export interface Observation {
  readonly threads: number;
  /** The commit the run ran at (null: unknown), from its stored provenance. */
  readonly commit: string | null;
  /** Where it came from (a results folder), for messages and the file's measurement. */
  readonly source: string;
  readonly values: CellValues;
}

/** How to derive: which cells are deterministic and the paper's numbers. */
export interface DeriveRules {
  readonly experiment: string;
  /** Cells that train nothing (e.g. `bm25/full/-`): exact, and an error when they vary. */
  readonly deterministic: (cell: string) => boolean;
  /** The paper's value of a cell and measure (kept in the file only when transcribed). */
  readonly paper: (cell: string, measure: string) => PaperValue;
}

/** A derivation that cannot be made (a value missing from a run, a deterministic value varying). */
export class DeriveError extends Error {
  override name = "DeriveError";
}

/** 2 x spread, rounded up to 4 decimals (float noise below 1e-9 units ignored). */
export function trainedTolerance(spread: number): number {
  const units = Math.ceil(2 * spread * 1e4 - 1e-6);
  return Math.max(MIN_TRAINED_TOLERANCE, units / 1e4);
}

/** The expected values of one experiment from its measured runs, in the first run's order. */
export function deriveValues(
  observations: readonly Observation[],
  rules: DeriveRules,
): ExpectedValue[] {
  const first = observations[0];
  if (first === undefined) {
    throw new DeriveError(`Cannot derive ${rules.experiment}: no measured run`);
  }
  const out: ExpectedValue[] = [];
  for (const [cell, measures] of first.values) {
    for (const measure of Object.keys(measures)) {
      const seen = observations.map((o) => {
        const v = o.values.get(cell)?.[measure];
        if (v === undefined) {
          throw new DeriveError(
            `Cannot derive ${rules.experiment} ${cell} ${measure}: the run in ${o.source} ` +
              `(threads ${o.threads}) has no value; every run must have finished every cell`,
          );
        }
        return v;
      });
      const min = Math.min(...seen);
      const max = Math.max(...seen);
      const spread = max - min;
      const exact = rules.deterministic(cell);
      if (exact && printedUnits(max) !== printedUnits(min)) {
        throw new DeriveError(
          `Cannot derive ${rules.experiment} ${cell} ${measure}: a deterministic value varied ` +
            `from ${min.toFixed(4)} to ${max.toFixed(4)} over the runs (${
              observations.map((o) => o.source).join(", ")
            })`,
        );
      }
      const paper = rules.paper(cell, measure);
      const value: ExpectedValue = {
        cell,
        measure,
        expected: atPrinted((min + max) / 2),
        tolerance: exact ? 0 : trainedTolerance(spread),
        spread: atPrinted(spread),
      };
      // Only a transcribed number sits beside the suite's (secondary ones are unverified).
      out.push(paper.kind === "transcribed" ? { ...value, paper } : value);
    }
  }
  return out;
}

/** `bm25/full/-` and every other cell that trains nothing is deterministic. */
export function isDeterministicCell(cell: string): boolean {
  return parseCellId(cell).method === "bm25";
}
