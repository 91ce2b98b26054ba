/**
 * Run vs run: two stored runs of one experiment side by side, row by row and measure by measure
 * (means over seeds as stored), with the difference tested on the per-query values both runs
 * stored (averaged over seeds; queries paired by id): a paired randomisation test (fixed seed,
 * so the same stores give the same p-values) and a paired t-test, Holm-adjusted over the whole
 * comparison.
 *
 * @module
 */

import { seededRandom } from "../engine/mod.ts";
import { holmAdjust, pairByQuery, pairedRandomizationTest, pairedTTest } from "../eval/mod.ts";
import { signed } from "./format.ts";
import type { ReportData } from "./load.ts";
import { markSymbol, REPORT_ALPHA } from "./table.ts";

/** The test behind a run-vs-run p-value, as reports name it. */
export const RUN_COMPARISON_TEST =
  "paired randomisation test on per-query values (10,000 sign flips, seed 20230124), " +
  "Holm-adjusted over every row and measure";

/** One row and measure of two runs. */
export interface RunDifference {
  /** `method/size/mode`. */
  readonly key: string;
  readonly label: string;
  readonly measure: string;
  /** Mean over seeds in the base run (`--run`) and the other (`--compare`); null: not stored. */
  readonly base: number | null;
  readonly other: number | null;
  /** other - base. */
  readonly delta: number | null;
  /** Queries paired (0 when either run lacks per-query values). */
  readonly queries: number;
  readonly randomizationP: number | null;
  readonly tTestP: number | null;
  /** Holm-adjusted randomisation p: what the mark uses. */
  readonly adjustedP: number | null;
}

/** Two runs compared. */
export interface RunComparison {
  readonly kind: "run-comparison";
  readonly base: ReportData;
  readonly other: ReportData;
  readonly differences: readonly RunDifference[];
}

/** Compare `other` with `base` (both of one experiment), row by row in `base`'s layout order. */
export function compareRuns(
  base: ReportData,
  other: ReportData,
  permutations = 10_000,
): RunComparison {
  const measures = base.layout.measures;
  const otherRows = new Map(other.rows.map((r) => [r.key, r]));
  const random = seededRandom(20230124);
  const raw = base.rows.flatMap((r) =>
    measures.map((measure) => {
      const o = otherRows.get(r.key);
      const a = r.summary?.mean[measure] ?? null;
      const b = o?.summary?.mean[measure] ?? null;
      const qa = base.perQuery.get(`${r.key}|${measure}`);
      const qb = other.perQuery.get(`${r.key}|${measure}`);
      let randomizationP: number | null = null;
      let tTestP: number | null = null;
      let queries = 0;
      if (qa !== undefined && qb !== undefined) {
        // Only the queries both runs stored are paired (runs on other data pair none).
        const common = [...qa.keys()].filter((q) => qb.has(q));
        const pick = (m: ReadonlyMap<string, number>) => new Map(common.map((q) => [q, m.get(q)!]));
        const paired = pairByQuery(pick(qb), pick(qa));
        queries = paired.queryIds.length;
        if (queries >= 2) {
          randomizationP = pairedRandomizationTest(paired.a, paired.b, { random, permutations }).p;
          tTestP = pairedTTest(paired.a, paired.b).p;
        }
      }
      return {
        key: r.key,
        label: r.row.label,
        measure,
        base: a,
        other: b,
        delta: a === null || b === null ? null : b - a,
        queries,
        randomizationP,
        tTestP,
      };
    })
  );
  const tested = raw.flatMap((d, i) => d.randomizationP === null ? [] : [i]);
  const adjusted = holmAdjust(tested.map((i) => raw[i]!.randomizationP!));
  const adjustedOf = new Map(tested.map((i, j) => [i, adjusted[j]!]));
  return {
    kind: "run-comparison",
    base,
    other,
    differences: raw.map((d, i) => ({ ...d, adjustedP: adjustedOf.get(i) ?? null })),
  };
}

/** `+0.0123 ▲` (other significantly higher), `▼` lower, `·` not significant, `` untested. */
export function differenceText(d: RunDifference): string {
  if (d.delta === null) return "";
  if (d.adjustedP === null) return signed(d.delta);
  const mark = d.adjustedP < REPORT_ALPHA ? (d.delta > 0 ? "better" : "worse") : "same";
  return `${signed(d.delta)} ${markSymbol(mark)}`;
}
