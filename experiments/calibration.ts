/**
 * The data calibration of EXPERIMENTS.md, checked on every run's cells: the teacher beats BM25 by
 * at least 0.10 nDCG@10 (the data rewards semantics), and the label-only 1/10 student is at least
 * 15 % below the teacher (there is a gap for distillation to close). Defined for the mini preset;
 * shown for every preset so a tiny or full run says where it stands.
 *
 * @module
 */

import type { CellSummary } from "./aggregate.ts";
import { cellKey, type CellRef } from "./cell_id.ts";
import { BM25_CELL, TEACHER_CELL } from "./cells.ts";
import type { ExperimentDefinition } from "./definition.ts";

/** The calibration's measure (EXPERIMENTS.md: nDCG@10). */
export const CALIBRATION_MEASURE = "nDCG@10";
/** The teacher's least margin over BM25. */
export const TEACHER_MARGIN = 0.10;
/** The label-only 1/10 student's least relative gap to the teacher. */
export const STUDENT_GAP = 0.15;

/** One check of the calibration. */
export interface CalibrationCheck {
  readonly kind: "calibration";
  readonly statement: string;
  readonly verdict: "holds" | "fails" | "not measured";
  /** The numbers behind the verdict. */
  readonly evidence: string;
}

const f3 = (x: number) => x.toFixed(3);

/** The calibration checks of a run (a check whose cells are missing is `not measured`). */
export function calibrationChecks(
  experiment: ExperimentDefinition,
  summaries: readonly CellSummary[],
): CalibrationCheck[] {
  // A zero-shot table's data is its source's (calibrated there); out of domain, a teacher may
  // well lose to BM25 (BEIR's finding), which is a result, not a miscalibration.
  if (experiment.zeroShot !== undefined) return [];
  const m = CALIBRATION_MEASURE;
  const byKey = new Map(summaries.map((s) => [cellKey(s.cell), s]));
  const value = (cell: CellRef) => byKey.get(cellKey(cell))?.mean[m];
  const teacher = value(TEACHER_CELL);
  const bm25 = value(BM25_CELL);
  const checks: CalibrationCheck[] = [];
  const margin = `teacher ${m} >= BM25 + ${TEACHER_MARGIN.toFixed(2)}`;
  checks.push(
    teacher === undefined || bm25 === undefined
      ? { kind: "calibration", statement: margin, verdict: "not measured", evidence: "" }
      : {
        kind: "calibration",
        statement: margin,
        verdict: teacher >= bm25 + TEACHER_MARGIN ? "holds" : "fails",
        evidence: `${f3(teacher)} vs ${f3(bm25)} (${teacher >= bm25 ? "+" : ""}${
          f3(teacher - bm25)
        })`,
      },
  );
  const smallest = experiment.sizes.includes("1-10") ? "1-10" : null;
  // The label-only row (an ablation table's baseline is another row: no gap check there).
  const labels = experiment.methods.find((x) => x.id === "labels" && x.id === experiment.baseline);
  for (const mode of smallest === null ? [] : labels?.modes ?? []) {
    const cell = { method: "labels", size: "1-10", mode };
    const student = value(cell);
    const statement = `${cellKey(cell)} >= ${100 * STUDENT_GAP} % below the teacher`;
    checks.push(
      teacher === undefined || student === undefined || teacher <= 0
        ? { kind: "calibration", statement, verdict: "not measured", evidence: "" }
        : {
          kind: "calibration",
          statement,
          verdict: student <= (1 - STUDENT_GAP) * teacher ? "holds" : "fails",
          evidence: `${f3(student)} vs ${f3(teacher)} (${
            (100 * (teacher - student) / teacher).toFixed(1)
          } % below)`,
        },
    );
  }
  return checks;
}

/** The checks as the table prints them (one line each). */
export function calibrationLines(checks: readonly CalibrationCheck[]): string[] {
  return checks.map((c) =>
    `${c.verdict} ${c.statement}${c.evidence === "" ? "" : `: ${c.evidence}`}`
  );
}
