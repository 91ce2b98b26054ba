/**
 * A report's data, read from the results store alone: the run and its provenance, its cells
 * grouped over seeds in the layout's row order, the comparisons, claims and calibration checks
 * reproduce stored, the paper's values stored with the run, the training curves, and per-query
 * values (averaged over seeds) for the charts and run-vs-run comparisons.
 *
 * @module
 */

import {
  type CalibrationInput,
  type ComparisonInput,
  listRuns,
  readCalibration,
  readComparisons,
  readCurves,
  readPerQuery,
  readRun,
  type Store,
  type StoredClaim,
  type StoredRunInfo,
} from "../store/mod.ts";
import { type ReportLayout, type ReportRow, rowKey } from "./layout.ts";
import { type CellSummary, summarizeCells } from "./summary.ts";

/** A paper value stored with the run. */
export interface PaperEntry {
  /** `method/size/mode`. */
  readonly key: string;
  readonly measure: string;
  readonly value: number;
  /** Second-hand (unverified) rather than transcribed from the paper. */
  readonly secondary: boolean;
  readonly source: string;
}

/** One point of a training curve of a cell's first seed. */
export interface CurvePoint {
  /** `method/size/mode`. */
  readonly key: string;
  readonly name: string;
  readonly step: number;
  readonly value: number;
}

/** A row of the table with what was stored for it (null: no cell stored). */
export interface RowData {
  readonly row: ReportRow;
  readonly key: string;
  readonly summary: CellSummary | null;
}

/** Everything a report shows. */
export interface ReportData {
  readonly kind: "report-data";
  readonly layout: ReportLayout;
  readonly run: StoredRunInfo;
  readonly rows: readonly RowData[];
  readonly comparisons: readonly ComparisonInput[];
  readonly claims: readonly StoredClaim[];
  readonly calibration: readonly CalibrationInput[];
  readonly paper: readonly PaperEntry[];
  readonly curves: readonly CurvePoint[];
  /** `key|measure` -> query id -> value averaged over the key's seeds. */
  readonly perQuery: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** A run the store does not hold, or that is not of the experiment asked for. */
export class ReportRunError extends Error {
  override name = "ReportRunError";
}

function paperEntries(stored: unknown): PaperEntry[] {
  if (!Array.isArray(stored)) return [];
  const out: PaperEntry[] = [];
  for (const p of stored) {
    const v = p?.value;
    if (
      typeof p?.measure !== "string" || typeof p?.cell?.method !== "string" ||
      typeof v?.value !== "number"
    ) continue;
    out.push({
      key: rowKey(p.cell),
      measure: p.measure,
      value: v.value,
      secondary: v.kind === "secondary",
      source: typeof v.source === "string" ? v.source : "",
    });
  }
  return out;
}

/**
 * The id of the run to report: `run` (id or run key) when given, else the latest finished (`ok`)
 * run of `experiment`, else its latest run. Throws {@link ReportRunError} when there is none.
 */
export async function resolveRunId(
  store: Store,
  experiment: string,
  run?: number | string,
): Promise<number> {
  const runs = (await listRuns(store)).filter((r) => r.experiment === experiment);
  if (run !== undefined) {
    const all = await listRuns(store);
    const found = all.find((r) => r.id === run || r.runKey === String(run) || String(r.id) === run);
    if (found === undefined) {
      throw new ReportRunError(
        `No run ${run} in results store "${store.path}": expected a run id or key of \`deno task runs --db ${store.path}\``,
      );
    }
    if (found.experiment !== experiment) {
      throw new ReportRunError(
        `Run ${run} in "${store.path}" is of ${found.experiment}, not ${experiment}`,
      );
    }
    return found.id;
  }
  const byStart = [...runs].sort((a, b) =>
    a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id - a.id
  );
  const chosen = byStart.find((r) => r.status === "ok") ?? byStart[0];
  if (chosen === undefined) {
    throw new ReportRunError(
      `No run of ${experiment} in results store "${store.path}": run \`deno task reproduce ${experiment}\` first`,
    );
  }
  return chosen.id;
}

/** Read run `runId` of the store as a report of `layout`'s experiment shows it. */
export async function loadReport(
  store: Store,
  runId: number,
  layout: ReportLayout,
): Promise<ReportData> {
  const stored = await readRun(store, runId);
  if (stored === null) {
    throw new ReportRunError(`No run ${runId} in results store "${store.path}"`);
  }
  if (stored.run.experiment !== layout.id) {
    throw new ReportRunError(
      `Run ${runId} in "${store.path}" is of ${stored.run.experiment}, not ${layout.id}`,
    );
  }
  const summaries = new Map(summarizeCells(stored.cells).map((s) => [s.key, s]));
  const listed = new Set(layout.rows.map(rowKey));
  const extra: ReportRow[] = [...summaries.values()].filter((s) => !listed.has(s.key)).map((s) => ({
    method: s.method,
    size: s.size,
    mode: s.mode,
    label: s.method,
    group: null,
  }));
  const rows = [...layout.rows, ...extra].map((row) => {
    const key = rowKey(row);
    return { row, key, summary: summaries.get(key) ?? null };
  });

  const sums = new Map<string, Map<string, { sum: number; n: number }>>();
  const seedless = new Map(stored.cells.map((c) => [c.cellId, rowKey(c)]));
  const okCells = new Set(stored.cells.filter((c) => c.status === "ok").map((c) => c.cellId));
  for await (const v of readPerQuery(store, runId)) {
    if (!okCells.has(v.cellId)) continue;
    const id = `${seedless.get(v.cellId)}|${v.measure}`;
    let byQuery = sums.get(id);
    if (byQuery === undefined) sums.set(id, byQuery = new Map());
    const s = byQuery.get(v.queryId) ?? { sum: 0, n: 0 };
    byQuery.set(v.queryId, { sum: s.sum + v.value, n: s.n + 1 });
  }
  const perQuery = new Map(
    [...sums].map(([id, byQuery]) => [
      id,
      new Map([...byQuery].map(([q, s]) => [q, s.sum / s.n] as const)),
    ]),
  );

  // Training curves of each seed-free cell's first stored seed.
  const curvesByCell = await readCurves(store, runId);
  const firstSeed = new Map<string, string>();
  for (const c of stored.cells) {
    const key = rowKey(c);
    const current = firstSeed.get(key);
    if (
      c.status === "ok" && curvesByCell.has(c.cellId) &&
      (current === undefined || c.cellId < current)
    ) {
      firstSeed.set(key, c.cellId);
    }
  }
  const curves: CurvePoint[] = [];
  for (const { key } of rows) {
    const cellId = firstSeed.get(key);
    if (cellId === undefined) continue;
    for (const [name, points] of Object.entries(curvesByCell.get(cellId) ?? {}).sort()) {
      for (const [step, value] of points) curves.push({ key, name, step, value });
    }
  }

  return {
    kind: "report-data",
    layout,
    run: stored.run,
    rows,
    comparisons: await readComparisons(store, runId),
    claims: stored.claims,
    calibration: await readCalibration(store, runId),
    paper: paperEntries(stored.run.paperValues),
    curves,
    perQuery,
  };
}
