/**
 * What one cell of a DE -> DE table does, over a structural `Pipeline` (the library's functions,
 * passed in so the orchestration is testable and the library stays free of presets): the teacher
 * cell trains (or reuses) the teacher and evaluates it; a student cell distils one student per
 * learning rate of the grid, keeps the best on dev, and evaluates it on test.
 *
 * @module
 */

import { basename, join } from "node:path";
import type { LossRecipe } from "../src/distill/mod.ts";
import type { CellRef } from "./cell_id.ts";
import { rerankCells } from "./cells.ts";
import { cellRecordPath, type LatencyRecord } from "./cell_records.ts";
import type {
  ExperimentDefinition,
  Method,
  SizeName,
  StudentMode,
  StudentVariant,
} from "./definition.ts";
import type { EncoderShape, Preset } from "./presets.ts";
import type { CellResult } from "./runner.ts";

/** A trained teacher's directory and where it came from. */
export interface TeacherArtefact {
  readonly dir: string;
  readonly hash: string;
  /** Query-tower parameters with and without the embedding table. */
  readonly parameters: { readonly withEmbeddings: number; readonly withoutEmbeddings: number };
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly timings: Readonly<Record<string, number>>;
  readonly peakRss: number;
}

/** A trained student. */
export interface StudentArtefact {
  readonly dir: string;
  readonly hash: string;
  readonly parameters: { readonly withEmbeddings: number; readonly withoutEmbeddings: number };
  /** The best dev value of the table's first measure (0 when dev was not evaluated: a grid of one). */
  readonly dev: number;
  readonly curves: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly timings: Readonly<Record<string, number>>;
  readonly peakRss: number;
  readonly modelBytes: number;
}

/** A test evaluation. */
export interface Evaluation {
  readonly metrics: Readonly<Record<string, number>>;
  readonly perQuery: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly latency: LatencyRecord | null;
  readonly indexBytesFp32: number;
  readonly indexBytesFp16: number;
  readonly timings: Readonly<Record<string, number>>;
  /**
   * How each measure was judged when not every one by the qrels: `answers` for Success@k by DPR
   * answer matching (with the number of questions that carry answers).
   */
  readonly judgedBy?: Readonly<Record<string, string>>;
}

/** The provenance part saying how an evaluation judged its measures (nothing: by the qrels). */
function judged(evaluation: Evaluation): Record<string, unknown> {
  return evaluation.judgedBy === undefined ? {} : { judgedBy: evaluation.judgedBy };
}

/** What a student cell asks the pipeline to train. */
export interface StudentRequest {
  readonly teacher: TeacherArtefact;
  /** The cross-encoder the row distils (its scores and pooled embeddings), or null: the DE teacher. */
  readonly crossEncoder: TeacherArtefact | null;
  readonly mode: StudentMode;
  readonly shape: EncoderShape;
  readonly loss: LossRecipe;
  readonly queryGeneration: { readonly perDocument: number; readonly weight: number } | null;
  readonly learningRate: number;
  readonly seed: number;
  readonly outputDir: string;
  /** A student built otherwise than the default (the ablations' init and projection rows). */
  readonly variant?: StudentVariant;
}

/** The library functions a cell needs (structural: the real ones, or test doubles in tests). */
export interface Pipeline {
  /** Train the teacher on the experiment's train split, or reuse the cached one. */
  readonly teacher: () => Promise<TeacherArtefact>;
  readonly student: (request: StudentRequest) => Promise<StudentArtefact>;
  /** Evaluate a model directory on the test split (an asymmetric student's document side is its teacher's). */
  readonly evaluate: (modelDir: string, runFile: string) => Promise<Evaluation>;
  /** Evaluate BM25 on the test split (the calibration's lexical reference). */
  readonly bm25: (runFile: string) => Promise<Evaluation>;
  /**
   * Evaluate a model directory (or BM25: null) on the test split of another dataset with
   * `measures` (a zero-shot table's out-of-domain corpora; no latency).
   */
  readonly evaluateOn?: (
    modelDir: string | null,
    dataset: string,
    measures: readonly string[],
    runFile: string,
  ) => Promise<Evaluation>;
  /** Train (or reuse) the experiment's cross-encoder `id` (CE -> DE experiments). */
  readonly crossEncoder: (id: string) => Promise<TeacherArtefact>;
  /** Evaluate a cross-encoder re-ranking the DE teacher's top k on the test split. */
  readonly rerank: (crossEncoderDir: string, runFile: string) => Promise<Evaluation>;
}

/** Settings every cell of a run shares. */
export interface CellContext {
  readonly experiment: ExperimentDefinition;
  readonly preset: Preset;
  readonly pipeline: Pipeline;
  /** Where the cell's run file and student directories go (results/runs/<run-key>). */
  readonly runDir: string;
}

function method(experiment: ExperimentDefinition, id: string): Method {
  const found = experiment.methods.find((m) => m.id === id);
  if (found === undefined) throw new RangeError(`Cannot run cell: unknown method "${id}"`);
  return found;
}

/** Run one cell (the teacher's or a student's) and return its record's contents. */
export async function runCell(context: CellContext, cell: CellRef): Promise<CellResult> {
  const { experiment, preset, pipeline, runDir } = context;
  // Beside the record <cell-id>.json: the run file <cell-id>.trec and the models in <cell-id>/.
  const cellPath = cellRecordPath(runDir, cell).slice(0, -".json".length);
  const runFile = `${cellPath}.trec`;
  // A cell that trains no student: its evaluation, with what made the model it evaluates.
  const reference = (
    evaluation: Evaluation,
    made: Pick<CellResult, "sizes" | "timings" | "provenance">,
  ): CellResult => ({
    chosen: {},
    metrics: evaluation.metrics,
    perQuery: evaluation.perQuery,
    latency: evaluation.latency,
    curves: {},
    runFile: basename(runFile),
    ...made,
    timings: { ...made.timings, ...evaluation.timings },
  });
  if (cell.method === "bm25") {
    return reference(await pipeline.bm25(runFile), { sizes: null, timings: {}, provenance: {} });
  }
  const teacher = await pipeline.teacher();
  const rerank = rerankCells(experiment).find((r) => r.cell.method === cell.method);
  if (rerank !== undefined) {
    const ce = await pipeline.crossEncoder(rerank.crossEncoder);
    return reference(await pipeline.rerank(ce.dir, runFile), {
      sizes: null,
      timings: ce.timings,
      provenance: { teacherHash: teacher.hash, crossEncoderHash: ce.hash, ...ce.provenance },
    });
  }
  if (cell.method === "teacher") {
    const evaluation = await pipeline.evaluate(teacher.dir, runFile);
    return reference(evaluation, {
      sizes: {
        queryParameters: teacher.parameters.withEmbeddings,
        queryParametersWithoutEmbeddings: teacher.parameters.withoutEmbeddings,
        ratio: 1,
        ratioWithoutEmbeddings: 1,
        modelBytes: 0,
        indexBytesFp32: evaluation.indexBytesFp32,
        indexBytesFp16: evaluation.indexBytesFp16,
        peakRss: teacher.peakRss,
      },
      timings: teacher.timings,
      provenance: { teacherHash: teacher.hash, ...teacher.provenance, ...judged(evaluation) },
    });
  }
  await Deno.mkdir(cellPath, { recursive: true });
  const m = method(experiment, cell.method);
  const mode = cell.mode as StudentMode;
  const shape = preset.student.shapes[cell.size as SizeName];
  if (shape === undefined) throw new RangeError(`Cannot run cell: unknown size "${cell.size}"`);
  const crossEncoder = m.crossEncoder === undefined
    ? null
    : await pipeline.crossEncoder(m.crossEncoder);
  let best: { lr: number; student: StudentArtefact } | null = null;
  for (const learningRate of preset.student.learningRates) {
    const student = await pipeline.student({
      teacher,
      crossEncoder,
      mode,
      shape,
      loss: m.loss[mode],
      queryGeneration: m.queryGeneration
        ? {
          ...preset.queryGeneration,
          ...(m.queryGenerationPerDocument === undefined
            ? {}
            : { perDocument: m.queryGenerationPerDocument }),
        }
        : null,
      learningRate,
      seed: cell.seed ?? 1,
      outputDir: join(cellPath, `lr-${learningRate}`),
      ...(m.student === undefined ? {} : { variant: m.student }),
    });
    if (best === null || student.dev > best.student.dev) best = { lr: learningRate, student };
  }
  const { lr, student } = best!;
  const evaluation = await pipeline.evaluate(student.dir, runFile);
  return {
    chosen: { learningRate: lr },
    metrics: evaluation.metrics,
    perQuery: evaluation.perQuery,
    latency: evaluation.latency,
    sizes: {
      queryParameters: student.parameters.withEmbeddings,
      queryParametersWithoutEmbeddings: student.parameters.withoutEmbeddings,
      ratio: student.parameters.withEmbeddings / teacher.parameters.withEmbeddings,
      ratioWithoutEmbeddings: student.parameters.withoutEmbeddings /
        teacher.parameters.withoutEmbeddings,
      modelBytes: student.modelBytes,
      indexBytesFp32: evaluation.indexBytesFp32,
      indexBytesFp16: evaluation.indexBytesFp16,
      peakRss: student.peakRss,
    },
    timings: { ...student.timings, ...evaluation.timings },
    curves: student.curves,
    runFile: basename(runFile),
    provenance: {
      teacherHash: teacher.hash,
      ...(crossEncoder === null ? {} : { crossEncoderHash: crossEncoder.hash }),
      studentHash: student.hash,
      ...student.provenance,
      ...judged(evaluation),
    },
  };
}
