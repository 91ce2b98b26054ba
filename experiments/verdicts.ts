/**
 * The comparisons of one table (paired tests on per-query values averaged over seeds, Holm over
 * all comparisons x measures) and the claims' verdicts computed from them (EXPERIMENTS.md).
 *
 * @module
 */

import { match } from "ts-pattern";
import { holmAdjust, pairByQuery, pairedRandomizationTest, pairedTTest } from "../src/eval/mod.ts";
import { cellKey, type CellRef } from "./cell_id.ts";
import type { Claim } from "./paper.ts";

/** One cell's quality on one measure: mean over seeds and per-query values averaged over seeds. */
export interface CellQuality {
  readonly cell: CellRef;
  readonly measure: string;
  /** Mean over seeds of the cell's aggregate value. */
  readonly mean: number;
  /** Query id -> value averaged over seeds. */
  readonly perQuery: ReadonlyMap<string, number>;
}

/** One paired comparison `a` vs `b` on one measure. */
export interface Comparison {
  readonly a: CellRef;
  readonly b: CellRef;
  readonly measure: string;
  /** mean(a) - mean(b), over seeds' aggregates. */
  readonly delta: number;
  readonly queries: number;
  readonly tTestP: number;
  readonly randomizationP: number;
  /** Holm-adjusted randomisation p over the table's comparisons x measures: what verdicts use. */
  readonly adjustedP: number;
  /** Holm-adjusted t-test p, reported beside it. */
  readonly adjustedTTestP: number;
}

/** Significance level of every verdict. */
export const ALPHA = 0.05;

/** Options of {@link compareCells}. */
export interface CompareOptions {
  /** Uniform [0, 1) source for the randomisation test (a fixed seed gives fixed p-values). */
  readonly random: () => number;
  /** Default 10,000 (EXPERIMENTS.md). */
  readonly permutations?: number;
}

/**
 * Compare each pair on each measure where both cells were measured, then Holm-adjust the whole
 * family. Pairs whose cells are missing, or that have fewer than 2 per-query values, are left out
 * (their claims become "not measured").
 */
export function compareCells(
  pairs: readonly (readonly [CellRef, CellRef])[],
  measures: readonly string[],
  quality: readonly CellQuality[],
  options: CompareOptions,
): Comparison[] {
  const byKey = new Map(quality.map((q) => [`${cellKey(q.cell)}|${q.measure}`, q]));
  const seen = new Set<string>();
  const raw: Omit<Comparison, "adjustedP" | "adjustedTTestP">[] = [];
  for (const [a, b] of pairs) {
    for (const measure of measures) {
      const key = `${cellKey(a)}|${cellKey(b)}|${measure}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const qa = byKey.get(`${cellKey(a)}|${measure}`);
      const qb = byKey.get(`${cellKey(b)}|${measure}`);
      if (qa === undefined || qb === undefined) continue;
      const paired = pairByQuery(qa.perQuery, qb.perQuery);
      if (paired.queryIds.length < 2) continue; // no per-query values: nothing to test
      const testOptions = options.permutations === undefined
        ? { random: options.random }
        : { random: options.random, permutations: options.permutations };
      raw.push({
        a,
        b,
        measure,
        delta: qa.mean - qb.mean,
        queries: paired.queryIds.length,
        tTestP: pairedTTest(paired.a, paired.b).p,
        randomizationP: pairedRandomizationTest(paired.a, paired.b, testOptions).p,
      });
    }
  }
  const adjusted = holmAdjust(raw.map((c) => c.randomizationP));
  const adjustedT = holmAdjust(raw.map((c) => c.tTestP));
  return raw.map((c, i) => ({ ...c, adjustedP: adjusted[i]!, adjustedTTestP: adjustedT[i]! }));
}

/** EXPERIMENTS.md's verdicts. */
export type Verdict = "holds" | "fails" | "inconclusive" | "not measured";

/** A claim's verdict with the numbers behind it. */
export interface ClaimVerdict {
  readonly id: string;
  readonly statement: string;
  readonly verdict: Verdict;
  /** One line: the numbers and p-values the verdict rests on. */
  readonly evidence: string;
}

/** Every pair a claim compares (to include in the table's comparison family). */
export function claimPairs(claims: readonly Claim[]): [CellRef, CellRef][] {
  return claims.flatMap((claim) =>
    match(claim)
      .with({ kind: "retention" }, () => [])
      .with({ kind: "better" }, (c) =>
        c.chain.slice(1).map((b, i) => [c.chain[i]!, b] as [CellRef, CellRef]))
      .with({ kind: "not-worse" }, (c) => [[c.candidate, c.baseline] as [CellRef, CellRef]])
      .exhaustive()
  );
}

const fmt = (x: number) => x.toFixed(4);
const fmtP = (p: number) => (p < 1e-4 ? "< 0.0001" : p.toFixed(4));

/**
 * Judge each claim on `measure` (the table's first): retention by the mean over seeds against
 * the threshold; `better` pairs by sign and Holm-adjusted p < {@link ALPHA}; `not-worse` holds
 * unless the candidate is significantly worse.
 */
export function judgeClaims(
  claims: readonly Claim[],
  measure: string,
  quality: readonly CellQuality[],
  comparisons: readonly Comparison[],
): ClaimVerdict[] {
  const mean = (cell: CellRef) =>
    quality.find((q) => q.measure === measure && cellKey(q.cell) === cellKey(cell))?.mean;
  const comparison = (a: CellRef, b: CellRef) =>
    comparisons.find((c) =>
      c.measure === measure && cellKey(c.a) === cellKey(a) && cellKey(c.b) === cellKey(b)
    );
  const describe = (c: Comparison) =>
    `${cellKey(c.a)} - ${cellKey(c.b)} = ${c.delta >= 0 ? "+" : ""}${fmt(c.delta)} ${measure}, ` +
    `Holm p ${fmtP(c.adjustedP)} (randomisation; t-test ${fmtP(c.adjustedTTestP)})`;
  return claims.map((claim) => {
    const base = { id: claim.id, statement: claim.statement };
    return match(claim)
      .with({ kind: "retention" }, (c): ClaimVerdict => {
        const student = mean(c.student);
        const teacher = mean(c.teacher);
        if (student === undefined || teacher === undefined || teacher === 0) {
          return { ...base, verdict: "not measured", evidence: "the run lacks the cells" };
        }
        const ratio = student / teacher;
        return {
          ...base,
          verdict: ratio >= c.threshold ? "holds" : "fails",
          evidence: `${fmt(student)} / ${fmt(teacher)} ${measure} = ${(100 * ratio).toFixed(1)} %` +
            ` (threshold ${(100 * c.threshold).toFixed(0)} %)`,
        };
      })
      .with({ kind: "better" }, (c): ClaimVerdict => {
        const steps = c.chain.slice(1).map((b, i) => comparison(c.chain[i]!, b));
        if (steps.some((s) => s === undefined)) {
          return { ...base, verdict: "not measured", evidence: "the run lacks the cells" };
        }
        const found = steps as Comparison[];
        const significant = (s: Comparison) => s.adjustedP < ALPHA;
        const verdict: Verdict = found.some((s) => s.delta < 0 && significant(s))
          ? "fails"
          : found.every((s) => s.delta > 0 && significant(s))
          ? "holds"
          : "inconclusive";
        return { ...base, verdict, evidence: found.map(describe).join("; ") };
      })
      .with({ kind: "not-worse" }, (c): ClaimVerdict => {
        const s = comparison(c.candidate, c.baseline);
        if (s === undefined) {
          return { ...base, verdict: "not measured", evidence: "the run lacks the cells" };
        }
        const worse = s.delta < 0 && s.adjustedP < ALPHA;
        return { ...base, verdict: worse ? "fails" : "holds", evidence: describe(s) };
      })
      .exhaustive();
  });
}
