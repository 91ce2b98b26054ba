/**
 * Running an experiment's cells: finished cells (an `ok` record under the run key) are reused,
 * the others run one by one; a failing cell is recorded as failed and never loses the others;
 * cells that need a failed cell (the students of a failed teacher) are skipped with the reason.
 *
 * @module
 */

import { cellKey, type CellRef, formatCellId } from "./cell_id.ts";
import { type CellRecord, readCellRecord, writeCellRecord } from "./cell_records.ts";
import { TEACHER_CELL } from "./cells.ts";

/** What a cell computes: everything of its record except what the runner fills in. */
export type CellResult = Omit<
  CellRecord,
  | "kind"
  | "version"
  | "experiment"
  | "preset"
  | "runKey"
  | "cell"
  | "status"
  | "error"
  | "finishedAt"
>;

/** The result of a cell that produced nothing (a failed cell's record carries it). */
export const NO_RESULT: CellResult = {
  chosen: {},
  metrics: {},
  perQuery: {},
  latency: null,
  sizes: null,
  timings: {},
  curves: {},
  runFile: null,
  provenance: {},
};

/** How one cell ended. */
export type CellOutcome =
  | { readonly kind: "reused"; readonly cell: CellRef; readonly record: CellRecord }
  | { readonly kind: "ok"; readonly cell: CellRef; readonly record: CellRecord }
  | { readonly kind: "failed"; readonly cell: CellRef; readonly record: CellRecord }
  | { readonly kind: "skipped"; readonly cell: CellRef; readonly reason: string };

/** Progress of a run, cell by cell. */
export type RunnerEvent =
  | {
    readonly kind: "cell-start";
    readonly cell: CellRef;
    readonly index: number;
    readonly total: number;
  }
  | {
    readonly kind: "cell-end";
    readonly outcome: CellOutcome;
    readonly index: number;
    readonly total: number;
  };

/** A run to carry out. */
export interface RunPlan {
  readonly experiment: string;
  readonly preset: string;
  readonly runKey: string;
  /** results/runs/<run-key>. */
  readonly runDir: string;
  /** In order; the teacher's cell first when present. */
  readonly cells: readonly CellRef[];
}

/**
 * Run `plan`: reuse `ok` records, run the rest with `runCell`, write each record atomically as soon
 * as its cell ends. Returns every cell's outcome (a batch result: nothing is thrown for a cell).
 */
export async function runCells(
  plan: RunPlan,
  runCell: (cell: CellRef) => Promise<CellResult>,
  onEvent: (event: RunnerEvent) => void = () => {},
): Promise<CellOutcome[]> {
  const outcomes: CellOutcome[] = [];
  let teacherFailure: string | null = null;
  const total = plan.cells.length;
  for (const [index, cell] of plan.cells.entries()) {
    onEvent({ kind: "cell-start", cell, index, total });
    const outcome = await runOne(plan, cell, runCell, teacherFailure);
    if (
      cellKey(cell) === cellKey(TEACHER_CELL) && outcome.kind !== "ok" && outcome.kind !== "reused"
    ) {
      teacherFailure = outcome.kind === "failed"
        ? `the teacher failed: ${outcome.record.error}`
        : outcome.reason;
    }
    outcomes.push(outcome);
    onEvent({ kind: "cell-end", outcome, index, total });
  }
  return outcomes;
}

async function runOne(
  plan: RunPlan,
  cell: CellRef,
  runCell: (cell: CellRef) => Promise<CellResult>,
  teacherFailure: string | null,
): Promise<CellOutcome> {
  const existing = await readCellRecord(plan.runDir, cell);
  if (existing !== null && existing.status === "ok") {
    return { kind: "reused", cell, record: existing };
  }
  if (teacherFailure !== null && cellKey(cell) !== cellKey(TEACHER_CELL)) {
    return { kind: "skipped", cell, reason: teacherFailure };
  }
  const base = {
    kind: "cell" as const,
    version: 1 as const,
    experiment: plan.experiment,
    preset: plan.preset,
    runKey: plan.runKey,
    cell,
  };
  let record: CellRecord;
  try {
    const result = await runCell(cell);
    record = {
      ...base,
      ...result,
      status: "ok",
      error: null,
      finishedAt: new Date().toISOString(),
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    record = {
      ...base,
      ...NO_RESULT,
      status: "failed",
      error: message,
      finishedAt: new Date().toISOString(),
    };
  }
  await writeCellRecord(plan.runDir, record);
  return record.status === "ok" ? { kind: "ok", cell, record } : { kind: "failed", cell, record };
}

/** Select cells by id (`--only`); an unknown id is a RangeError listing the valid ones. */
export function selectCells(cells: readonly CellRef[], only: readonly string[]): CellRef[] {
  if (only.length === 0) return [...cells];
  const byId = new Map(cells.map((c) => [formatCellId(c), c]));
  const picked: CellRef[] = [];
  for (const id of only) {
    const found = byId.get(id) ?? cells.filter((c) => cellKey(c) === id);
    if (found === undefined || (Array.isArray(found) && found.length === 0)) {
      throw new RangeError(
        `Unknown cell "${id}": expected one of ${
          [...byId.keys()].join(", ")
        } (or an id without its seed)`,
      );
    }
    picked.push(...(Array.isArray(found) ? found : [found]));
  }
  const wanted = new Set(picked.map(formatCellId));
  return cells.filter((c) => wanted.has(formatCellId(c)));
}
