/**
 * An experiment definition as the report's layout: the teacher and BM25, the cross-encoders'
 * re-ranking rows of a CE -> DE table, then per size and mode
 * the methods in definition order, each cumulative row grouped with its size and mode (compared
 * with the row above), extra baselines in a group of their own (compared with labels only).
 *
 * @module
 */

import type { ReportLayout, ReportRow } from "../src/report/mod.ts";
import { cellKey } from "./cell_id.ts";
import { BM25_CELL, rerankCells, TEACHER_CELL } from "./cells.ts";
import { type ExperimentDefinition, runsAtSize } from "./definition.ts";

/** The report layout of `experiment`. */
export function reportLayout(experiment: ExperimentDefinition): ReportLayout {
  const rows: ReportRow[] = [
    { ...TEACHER_CELL, label: "teacher", group: null },
    { ...BM25_CELL, label: "BM25", group: null },
  ];
  const crossEncoders = experiment.teacher.kind === "cross" ? experiment.teacher.crossEncoders : [];
  for (const r of rerankCells(experiment)) {
    const ce = crossEncoders.find((c) => c.id === r.crossEncoder);
    rows.push({
      ...r.cell,
      label: `${ce?.label ?? r.crossEncoder} re-ranking the DE teacher's top k`,
      group: null,
    });
  }
  for (const size of experiment.sizes) {
    for (const mode of ["symmetric", "asymmetric"] as const) {
      for (const m of experiment.methods) {
        if (!m.modes.includes(mode) || !runsAtSize(m, size)) continue;
        const group = m.role === "cumulative" ? `${size}/${mode}` : `${size}/${mode}/${m.id}`;
        rows.push({ method: m.id, size, mode, label: m.label, group });
      }
    }
  }
  return {
    kind: "report-layout",
    id: experiment.id,
    title: experiment.title,
    shows: experiment.shows,
    measures: experiment.measures,
    baseline: experiment.baseline,
    teacher: cellKey(TEACHER_CELL),
    rows,
  };
}
