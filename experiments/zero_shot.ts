/**
 * A zero-shot table's cells (table4): the source experiment's teacher, BM25 and students,
 * unchanged, each evaluated on the test split of every out-of-domain corpus. The students are the
 * source run's own (same run key: `results/runs/<source key>/<cell>/lr-<chosen>`); a student the
 * source run has not finished is trained there first by the source's own cell code and recorded
 * as the source's cell, so the source table reuses it and both tables always show the same model.
 *
 * A cell's metrics: `<measure>[<corpus>]` per corpus, and `<measure>` their mean over corpora (the
 * headline, BEIR's macro average); per-query values of the headline pool every corpus's queries
 * (ids `<corpus>|<query>`), so the paired tests compare cells over all out-of-domain queries.
 *
 * @module
 */

import { basename, join } from "node:path";
import type { CellSummary } from "./aggregate.ts";
import { cellKey, type CellRef } from "./cell_id.ts";
import {
  type CellRecord,
  cellRecordPath,
  readCellRecord,
  writeCellRecord,
} from "./cell_records.ts";
import { TEACHER_CELL } from "./cells.ts";
import { type Evaluation, type Pipeline, runCell } from "./cell_run.ts";
import type { ExperimentDefinition, PresetName } from "./definition.ts";
import type { Preset } from "./presets.ts";
import type { CellResult } from "./runner.ts";

/** The name of `measure` on one corpus (`nDCG@10[synthetic-ood-nq/mini]`). */
export function corpusMeasure(measure: string, corpus: string): string {
  return `${measure}[${corpus}]`;
}

/**
 * The corpora of a zero-shot `experiment` under `preset`: its own, then the `beir` ids given
 * explicitly (`--beir`), each once. A RangeError when `experiment` is not a zero-shot table.
 */
export function zeroShotCorpora(
  experiment: ExperimentDefinition,
  preset: PresetName,
  beir: readonly string[] = [],
): string[] {
  if (experiment.zeroShot === undefined) {
    throw new RangeError(
      `Cannot list zero-shot corpora: ${experiment.id} is not a zero-shot table`,
    );
  }
  return [...new Set([...experiment.zeroShot.corpora[preset], ...beir])];
}

/**
 * The definition a zero-shot run reports: `experiment` with its measures spelled out, the mean
 * over `corpora` first, then one per corpus.
 */
export function zeroShotDefinition(
  experiment: ExperimentDefinition,
  corpora: readonly string[],
): ExperimentDefinition {
  if (experiment.zeroShot === undefined) {
    throw new RangeError(`Cannot resolve ${experiment.id}: it is not a zero-shot table`);
  }
  if (corpora.length === 0) {
    throw new RangeError(`Cannot run ${experiment.id}: no out-of-domain corpus to evaluate on`);
  }
  const m = experiment.zeroShot.measure;
  return { ...experiment, measures: [m, ...corpora.map((c) => corpusMeasure(m, c))] };
}

/** Settings every cell of a zero-shot run shares. */
export interface ZeroShotContext {
  /** The zero-shot definition (measures spelled out by {@link zeroShotDefinition}). */
  readonly experiment: ExperimentDefinition;
  /** The experiment whose models are evaluated. */
  readonly source: ExperimentDefinition;
  /** The source's run under the same preset (and given teacher): key and records folder. */
  readonly sourceRun: { readonly key: string; readonly dir: string };
  readonly preset: Preset;
  /** The source experiment's pipeline (its teacher, its students). */
  readonly pipeline: Pipeline;
  /** Where this run's records and run files go. */
  readonly runDir: string;
  readonly corpora: readonly string[];
}

/** The source's record of a student cell, run in the source's folder first when unfinished. */
async function sourceStudent(context: ZeroShotContext, cell: CellRef): Promise<CellRecord> {
  const { source, sourceRun, preset, pipeline } = context;
  const existing = await readCellRecord(sourceRun.dir, cell);
  if (existing !== null && existing.status === "ok") return existing;
  const result = await runCell(
    { experiment: source, preset, pipeline, runDir: sourceRun.dir },
    cell,
  );
  const record: CellRecord = {
    kind: "cell",
    version: 1,
    experiment: source.id,
    preset: preset.name,
    runKey: sourceRun.key,
    cell,
    ...result,
    status: "ok",
    error: null,
    finishedAt: new Date().toISOString(),
  };
  await writeCellRecord(sourceRun.dir, record);
  return record;
}

/** The model a cell evaluates (null: BM25) and the source's record of it, when it has one. */
async function modelOf(
  context: ZeroShotContext,
  cell: CellRef,
): Promise<{ readonly dir: string | null; readonly record: CellRecord | null }> {
  if (cell.method === "bm25") return { dir: null, record: null };
  if (cellKey(cell) === cellKey(TEACHER_CELL)) {
    const teacher = await context.pipeline.teacher();
    return { dir: teacher.dir, record: await readCellRecord(context.sourceRun.dir, cell) };
  }
  const record = await sourceStudent(context, cell);
  const lr = record.chosen["learningRate"];
  if (lr === undefined) {
    throw new TypeError(
      `Cannot find the model of ${
        cellKey(cell)
      } in ${context.sourceRun.dir}: its record has no chosen learning rate`,
    );
  }
  const cellPath = cellRecordPath(context.sourceRun.dir, cell).slice(0, -".json".length);
  return { dir: join(cellPath, `lr-${lr}`), record };
}

/** A file-name-safe form of a dataset id. */
function slug(id: string): string {
  return id.replaceAll(/[^A-Za-z0-9.-]+/g, "_");
}

/** Run one zero-shot cell: the source's model on every corpus. */
export async function runZeroShotCell(
  context: ZeroShotContext,
  cell: CellRef,
): Promise<CellResult> {
  const { experiment, pipeline, corpora } = context;
  const measure = experiment.zeroShot?.measure;
  if (measure === undefined) {
    throw new RangeError(`Cannot run a zero-shot cell of ${experiment.id}: not a zero-shot table`);
  }
  const evaluateOn = pipeline.evaluateOn;
  if (evaluateOn === undefined) {
    throw new TypeError(
      `Cannot run ${experiment.id}: the pipeline cannot evaluate on other datasets (evaluateOn)`,
    );
  }
  const { dir, record } = await modelOf(context, cell);
  const cellPath = cellRecordPath(context.runDir, cell).slice(0, -".json".length);
  const metrics: Record<string, number> = {};
  const perQuery: Record<string, Record<string, number>> = { [measure]: {} };
  const timings: Record<string, number> = {};
  const runFiles: Record<string, string> = {};
  let sum = 0;
  for (const corpus of corpora) {
    const runFile = `${cellPath}.${slug(corpus)}.trec`;
    const evaluation: Evaluation = await evaluateOn(dir, corpus, [measure], runFile);
    const value = evaluation.metrics[measure];
    if (value === undefined) {
      throw new TypeError(`Cannot read ${measure} of ${cellKey(cell)} on ${corpus}: not evaluated`);
    }
    const name = corpusMeasure(measure, corpus);
    metrics[name] = value;
    sum += value;
    const values = evaluation.perQuery[measure] ?? {};
    perQuery[name] = { ...values };
    for (const [q, v] of Object.entries(values)) perQuery[measure]![`${corpus}|${q}`] = v;
    for (const [phase, seconds] of Object.entries(evaluation.timings)) {
      timings[`${corpus}/${phase}`] = seconds;
    }
    runFiles[corpus] = basename(runFile);
  }
  metrics[measure] = sum / corpora.length;
  return {
    chosen: record?.chosen ?? {},
    metrics,
    perQuery,
    latency: null,
    // The model's sizes as the source measured them (index sizes: the source's corpus).
    sizes: record?.sizes ?? null,
    timings,
    curves: {},
    runFile: runFiles[corpora[0]!] ?? null,
    provenance: {
      source: context.source.id,
      sourceRunKey: context.sourceRun.key,
      corpora: [...corpora],
      runFiles,
      ...(record === null ? {} : { sourceProvenance: record.provenance }),
    },
  };
}

/**
 * Lines under a zero-shot table: per student cell, its retention of the teacher's measure on each
 * corpus (`-` where the cell or the teacher lacks it).
 */
export function zeroShotNotes(
  experiment: ExperimentDefinition,
  corpora: readonly string[],
  summaries: readonly CellSummary[],
): string[] {
  const measure = experiment.zeroShot?.measure;
  if (measure === undefined) return [];
  const teacher = summaries.find((s) => cellKey(s.cell) === cellKey(TEACHER_CELL));
  const students = summaries.filter((s) => s.cell.size !== "full");
  const width = Math.max(4, ...students.map((s) => cellKey(s.cell).length));
  const columns = corpora.map((c) => Math.max(8, c.length));
  const line = (first: string, parts: readonly string[]) =>
    `  ${first.padEnd(width)}  ${parts.map((p, i) => p.padStart(columns[i]!)).join("  ")}`;
  const lines = [
    `retention of the teacher's ${measure} per corpus (the headline ${measure} is their mean):`,
    line("cell", corpora),
  ];
  for (const s of students) {
    lines.push(line(
      cellKey(s.cell),
      corpora.map((c) => {
        const name = corpusMeasure(measure, c);
        const t = teacher?.mean[name];
        const v = s.mean[name];
        return t === undefined || v === undefined || t <= 0 ? "-" : `${(100 * v / t).toFixed(1)} %`;
      }),
    ));
  }
  return lines;
}
