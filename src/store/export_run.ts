/**
 * A stored run's results for other tools: CSV (one row per cell and measure), JSON Lines (one
 * object per cell), a LaTeX booktabs table (cells x measures), and per-query values as a long TSV
 * (`query_id system measure value`, system = cell id) that pandas pivots for ranx or trectools.
 *
 * @module
 */

import { match } from "ts-pattern";
import type { Store } from "./open_store.ts";
import { readPerQuery, readRun, type StoredRun } from "./read_run.ts";

/** The export formats of a run's results. */
export type ExportFormat = "csv" | "jsonl" | "latex" | "per-query-tsv";

/** Every {@link ExportFormat}. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "jsonl", "latex", "per-query-tsv"];

function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function* csv(stored: StoredRun): Generator<string> {
  const { run } = stored;
  yield "run,run_key,experiment,preset,cell,method,size,mode,seed,status,measure,value,queries\n";
  for (const c of stored.cells) {
    const head: (string | number | null)[] = [
      run.id,
      run.runKey,
      run.experiment,
      run.preset,
      c.cellId,
      c.method,
      c.size,
      c.mode,
      c.seed,
      c.status,
    ];
    const measures = Object.keys(c.metrics);
    const rows = measures.length === 0
      ? [[...head, null, null, null]]
      : measures.map((m) => [...head, m, c.metrics[m]!, c.queries[m] ?? null]);
    for (const row of rows) yield row.map(csvField).join(",") + "\n";
  }
}

function* jsonl(stored: StoredRun): Generator<string> {
  const { run } = stored;
  for (const c of stored.cells) {
    yield JSON.stringify({
      run: run.id,
      runKey: run.runKey,
      experiment: run.experiment,
      preset: run.preset,
      commit: run.commit,
      cell: c.cellId,
      method: c.method,
      size: c.size,
      mode: c.mode,
      seed: c.seed,
      status: c.status,
      error: c.error,
      chosen: c.chosen,
      metrics: c.metrics,
      queries: c.queries,
      latency: c.latency,
      sizes: c.sizes,
      timings: c.timings,
    }) + "\n";
  }
}

/** `text` with LaTeX's special characters escaped. */
export function latexEscape(text: string): string {
  return text.replace(/[\\&%$#_{}~^]/g, (ch) =>
    match(ch)
      .with("\\", () => "\\textbackslash{}")
      .with("~", () => "\\textasciitilde{}")
      .with("^", () => "\\textasciicircum{}")
      .otherwise((c) => `\\${c}`));
}

function* latex(stored: StoredRun): Generator<string> {
  const measures = [...new Set(stored.cells.flatMap((c) => Object.keys(c.metrics)))].sort();
  const { run } = stored;
  yield `% ${run.experiment} (preset ${run.preset}), run ${run.id} "${run.runKey}", commit ${
    run.commit ?? "unknown"
  }${run.dirty ? " (dirty)" : ""}\n`;
  yield "\\begin{tabular}{l" + "r".repeat(measures.length) + "}\n\\toprule\n";
  yield ["Cell", ...measures].map(latexEscape).join(" & ") + " \\\\\n\\midrule\n";
  for (const c of stored.cells) {
    const values = measures.map((m) =>
      c.status === "failed" ? "failed" : c.metrics[m] === undefined ? "--" : c.metrics[m].toFixed(4)
    );
    yield [latexEscape(c.cellId), ...values].join(" & ") + " \\\\\n";
  }
  yield "\\bottomrule\n\\end{tabular}\n";
}

async function* perQueryTsv(store: Store, runId: number): AsyncGenerator<string> {
  yield "query_id\tsystem\tmeasure\tvalue\n";
  let lines: string[] = [];
  for await (const v of readPerQuery(store, runId)) {
    lines.push(`${v.queryId}\t${v.cellId}\t${v.measure}\t${v.value}\n`);
    if (lines.length >= 4096) {
      yield lines.join("");
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join("");
}

/**
 * Run `run` (id or run key) in `format`, as text chunks to concatenate; a RangeError when the
 * store has no such run.
 */
export async function* exportRun(
  store: Store,
  run: number | string,
  format: ExportFormat,
): AsyncGenerator<string> {
  const stored = await readRun(store, run);
  if (stored === null) {
    throw new RangeError(`Cannot export run "${run}" of "${store.path}": no such run id or key`);
  }
  yield* match(format)
    .with("csv", () => csv(stored))
    .with("jsonl", () => jsonl(stored))
    .with("latex", () => latex(stored))
    .with("per-query-tsv", () => perQueryTsv(store, stored.run.id))
    .exhaustive();
}
