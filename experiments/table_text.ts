/**
 * The terminal table of a run: one line per cell (mean ± sd over seeds of each measure, retention
 * of the teacher's headline measure, the step over the row above and over labels only with
 * significance marks, query-tower parameters, query latency, the paper's value), then the claims'
 * verdicts with the numbers behind them.
 *
 * @module
 */

import { cellKey, type CellRef } from "./cell_id.ts";
import type { CellSummary } from "./aggregate.ts";
import { BM25_CELL, REFERENCE_CELLS, rerankCells, TEACHER_CELL } from "./cells.ts";
import { type ExperimentDefinition, runsAtSize } from "./definition.ts";
import { paperValue } from "./paper.ts";
import { ALPHA, type ClaimVerdict, type Comparison } from "./verdicts.ts";

/** Everything the table shows. */
export interface TableInput {
  readonly experiment: ExperimentDefinition;
  readonly preset: string;
  readonly runKey: string;
  readonly summaries: readonly CellSummary[];
  readonly comparisons: readonly Comparison[];
  readonly verdicts: readonly ClaimVerdict[];
  /** Lines about the data's calibration (mini preset), shown under the title. */
  readonly calibration: readonly string[];
  /** Lines under the table (e.g. how Success@k was judged, retention per corpus). */
  readonly notes?: readonly string[];
}

const f4 = (x: number) => x.toFixed(4);

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** `+0.0123 ▲` (significantly better), `▼` (significantly worse), `·` (not significant). */
export function formatStep(c: Comparison | undefined): string {
  if (c === undefined) return "";
  const mark = c.adjustedP < ALPHA ? (c.delta > 0 ? "▲" : "▼") : "·";
  return `${c.delta >= 0 ? "+" : ""}${f4(c.delta)} ${mark}`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  return rows.map((r) =>
    r.map((cell, i) => cell + " ".repeat(widths[i]! - [...cell].length)).join("  ").trimEnd()
  );
}

/**
 * The rows' order: the teacher and BM25, the re-ranking cells, then per size and mode the methods
 * in definition order.
 */
function rowOrder(experiment: ExperimentDefinition): CellRef[] {
  const cells: CellRef[] = [...REFERENCE_CELLS, ...rerankCells(experiment).map((r) => r.cell)];
  for (const size of experiment.sizes) {
    for (const mode of ["symmetric", "asymmetric"] as const) {
      for (const m of experiment.methods) {
        if (m.modes.includes(mode) && runsAtSize(m, size)) cells.push({ method: m.id, size, mode });
      }
    }
  }
  return cells;
}

/** The rendered table (plain text, no colour). */
export function renderTable(input: TableInput): string {
  const { experiment, summaries, comparisons } = input;
  const measures = experiment.measures;
  const head = measures[0]!;
  const byKey = new Map(summaries.map((s) => [cellKey(s.cell), s]));
  const teacher = byKey.get(cellKey(TEACHER_CELL));
  const seeds = Math.max(1, ...summaries.map((s) => s.seeds.length));
  const find = (a: CellRef, b: CellRef) =>
    comparisons.find((c) =>
      c.measure === head && cellKey(c.a) === cellKey(a) && cellKey(c.b) === cellKey(b)
    );
  const header = [
    "cell",
    ...measures,
    "retention",
    `vs above (${head})`,
    `vs ${experiment.baseline}`,
    "query params (no emb.)",
    "query p50/p95 ms",
    `paper ${head}`,
  ];
  const rows: string[][] = [header];
  let previous: CellRef | null = null;
  const reranks = rerankCells(experiment);
  for (const cell of rowOrder(experiment)) {
    const s = byKey.get(cellKey(cell));
    // A re-ranking row is compared with its first stage; a student row with the row above.
    const rerank = reranks.find((r) => cellKey(r.cell) === cellKey(cell));
    // A one-factor row (the ablations) is compared with its reference row instead.
    const reference = experiment.methods.find((m) => m.id === cell.method)?.reference;
    const above = rerank !== undefined
      ? TEACHER_CELL
      : reference !== undefined
      ? { method: reference, size: cell.size, mode: cell.mode }
      : previous !== null && previous.size === cell.size && previous.mode === cell.mode
      ? previous
      : null;
    const isReference = cell.size === "full";
    previous = isReference ? null : cell;
    const paper = paperValue(experiment.id, cell, head);
    const paperText = paper.kind === "not-transcribed"
      ? "not transcribed"
      : `${paper.value.toFixed(3)}${paper.kind === "secondary" ? " (secondary)" : ""}`;
    if (s === undefined) {
      rows.push([cellKey(cell), ...measures.map(() => "-"), "", "", "", "", "", paperText]);
      continue;
    }
    const values = measures.map((m) => {
      const mean = s.mean[m];
      if (mean === undefined) return "-";
      const sd = s.sd[m];
      return sd === null || sd === undefined ? f4(mean) : `${f4(mean)} ± ${f4(sd)}`;
    });
    const retention = teacher !== undefined && (teacher.mean[head] ?? 0) > 0 &&
        cellKey(cell) !== cellKey(BM25_CELL)
      ? `${(100 * (s.mean[head] ?? 0) / teacher.mean[head]!).toFixed(1)} %`
      : "";
    const sizes = s.first.sizes;
    const latency = s.first.latency;
    rows.push([
      cellKey(cell),
      ...values,
      retention,
      above === null ? "" : formatStep(find(cell, above)),
      cell.method === experiment.baseline || isReference
        ? ""
        : formatStep(find(cell, { method: experiment.baseline, size: cell.size, mode: cell.mode })),
      sizes === null
        ? ""
        : `${compact(sizes.queryParameters)} (${compact(sizes.queryParametersWithoutEmbeddings)})` +
          (isReference ? "" : ` ${(100 * sizes.ratio).toFixed(1)} %`),
      latency === null ? "" : `${latency.p50.toFixed(2)}/${latency.p95.toFixed(2)}`,
      paperText,
    ]);
  }
  const lines = [
    `${experiment.id} · ${experiment.title}`,
    `preset ${input.preset} · run ${input.runKey} · ${seeds} seed${seeds === 1 ? "" : "s"}` +
    ` · ▲/▼ significantly better/worse (paired randomisation test, Holm over the table, p < ${ALPHA}), · not significant`,
    ...input.calibration.map((c) => `calibration: ${c}`),
    "",
    ...table(rows),
    "",
    ...(input.notes === undefined || input.notes.length === 0 ? [] : [...input.notes, ""]),
    "claims:",
    ...input.verdicts.map((v) => `  ${v.verdict.padEnd(12)} ${v.statement}: ${v.evidence}`),
  ];
  return lines.join("\n") + "\n";
}
