/**
 * The cells of an experiment: the teacher, then every method x size x mode x seed the definition
 * names, in the order the runner trains them (smallest students first).
 *
 * @module
 */

import { match } from "ts-pattern";
import type { CellRef } from "./cell_id.ts";
import { type ExperimentDefinition, type Method, runsAtSize } from "./definition.ts";
import type { Claim } from "./paper.ts";

/** The teacher's cell (`teacher/full/-`). */
export const TEACHER_CELL: CellRef = { method: "teacher", size: "full", mode: "-" };

/** BM25 on the test split (`bm25/full/-`): the lexical reference of the calibration line. */
export const BM25_CELL: CellRef = { method: "bm25", size: "full", mode: "-" };

/** The cells that train no student and have no seed: the teacher, then BM25. */
export const REFERENCE_CELLS: readonly CellRef[] = [TEACHER_CELL, BM25_CELL];

/**
 * The re-ranking cells of a CE -> DE experiment: each cross-encoder over the DE teacher's top k
 * (`<ce>/full/-`). BM25's top k is not re-ranked: its R@k (the BM25 cell's R@100) already caps
 * what a re-ranker of it can reach, and each re-ranking costs |test| x k CE passes.
 */
export function rerankCells(
  experiment: ExperimentDefinition,
): { readonly cell: CellRef; readonly crossEncoder: string }[] {
  if (experiment.teacher.kind !== "cross") return [];
  return experiment.teacher.crossEncoders.map((ce) => ({
    cell: { method: ce.id, size: "full", mode: "-" },
    crossEncoder: ce.id,
  }));
}

/**
 * Every cell of `experiment` for seeds 1 .. `seeds` (the teacher, BM25 and re-ranking cells have
 * no seed).
 */
export function experimentCells(experiment: ExperimentDefinition, seeds: number): CellRef[] {
  if (!Number.isInteger(seeds) || seeds < 1) {
    throw new RangeError(`Cannot run ${seeds} seeds: expected an integer >= 1`);
  }
  const cells: CellRef[] = [...REFERENCE_CELLS, ...rerankCells(experiment).map((r) => r.cell)];
  for (const size of experiment.sizes) {
    for (const method of experiment.methods) {
      if (!runsAtSize(method, size)) continue;
      for (const mode of method.modes) {
        for (let seed = 1; seed <= seeds; seed++) {
          cells.push({ method: method.id, size, mode, seed });
        }
      }
    }
  }
  return cells;
}

/**
 * The table's comparison pairs (EXPERIMENTS.md): each cumulative row vs the row above in the same
 * size and mode (the asymmetric "+ score KD" row is compared with the symmetric one above it:
 * inheriting the teacher's document embeddings is the step), each method vs the baseline, and
 * every pair a claim needs.
 */
export function comparisonPairs(
  experiment: ExperimentDefinition,
  claims: readonly Claim[],
): [CellRef, CellRef][] {
  const pairs: [CellRef, CellRef][] = [];
  const cumulative = experiment.methods.filter((m) => m.role === "cumulative");
  for (const size of experiment.sizes) {
    for (const mode of ["symmetric", "asymmetric"] as const) {
      const here = (m: Method) => m.modes.includes(mode) && runsAtSize(m, size);
      const rows = cumulative.filter(here);
      rows.forEach((m, i) => {
        if (i > 0) {
          pairs.push([{ method: m.id, size, mode }, { method: rows[i - 1]!.id, size, mode }]);
        }
      });
      const baseline = experiment.methods.find((m) => m.id === experiment.baseline);
      for (const m of experiment.methods.filter(here)) {
        // A one-factor row is compared with its reference (when that row has the cell too).
        const reference = experiment.methods.find((r) => r.id === m.reference);
        if (reference !== undefined && here(reference)) {
          pairs.push([{ method: m.id, size, mode }, { method: reference.id, size, mode }]);
        }
        if (m.id !== experiment.baseline && (baseline === undefined || here(baseline))) {
          pairs.push([{ method: m.id, size, mode }, { method: experiment.baseline, size, mode }]);
        }
      }
    }
    // The cumulative ablation's asymmetric step: score KD asymmetric vs score KD symmetric.
    const scoreKd = experiment.methods.find((m) => m.id === "score-kd");
    if (scoreKd?.modes.includes("asymmetric") && scoreKd.modes.includes("symmetric")) {
      pairs.push([
        { method: "score-kd", size, mode: "asymmetric" },
        { method: "score-kd", size, mode: "symmetric" },
      ]);
    }
  }
  for (const r of rerankCells(experiment)) {
    pairs.push([r.cell, TEACHER_CELL]);
  }
  for (const claim of claims) {
    match(claim)
      .with({ kind: "retention" }, () => {})
      .with(
        { kind: "better" },
        (c) => c.chain.slice(1).forEach((b, i) => pairs.push([c.chain[i]!, b])),
      )
      .with({ kind: "not-worse" }, (c) => pairs.push([c.candidate, c.baseline]))
      .exhaustive();
  }
  const seen = new Set<string>();
  return pairs.filter(([a, b]) => {
    const key = `${a.method}/${a.size}/${a.mode}|${b.method}/${b.size}/${b.mode}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
