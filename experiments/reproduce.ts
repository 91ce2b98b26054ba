// deno-lint-ignore-file no-console
/**
 * `deno task reproduce <table|all>`: resolve the preset, key the run, run (or resume) its cells on
 * the library, then print the table and the paper's claims' verdicts and say where the records
 * are. Progress per cell on stderr; the table (or JSON) on stdout.
 *
 * @module
 */

import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatDuration, stderrSink, trainingRenderer, UsageError } from "../src/cli/mod.ts";
import { describeEngine, engineState, initEngine, seededRandom } from "../src/engine/mod.ts";
import { cellQualities, summarize } from "./aggregate.ts";
import { calibrationChecks, calibrationLines } from "./calibration.ts";
import { type CellRef, formatCellId } from "./cell_id.ts";
import { readCellRecord, runDirectory } from "./cell_records.ts";
import { comparisonPairs, experimentCells } from "./cells.ts";
import type { Pipeline } from "./cell_run.ts";
import { runCell } from "./cell_run.ts";
import type { ExperimentDefinition } from "./definition.ts";
import { findExperiment } from "./mod.ts";
import { libraryPipeline, modelDirHash } from "./pipeline.ts";
import { answerMatchingNotes } from "./answers.ts";
import {
  runZeroShotCell,
  zeroShotCorpora,
  zeroShotDefinition,
  zeroShotNotes,
} from "./zero_shot.ts";
import { type Requirement, requirements } from "./preflight.ts";
import { ResultsSink } from "./store_sink.ts";
import { outcomeWriter } from "./store_sink_outcomes.ts";
import { CROSS_ENCODER_PRESETS, type Preset, PRESETS } from "./presets.ts";
import { parseReproduceArgs, REPRODUCE_USAGE, type ReproduceOptions } from "./reproduce_options.ts";
import { runKey } from "./run_key.ts";
import { type CellOutcome, runCells, selectCells } from "./runner.ts";
import { renderTable } from "./table_text.ts";
import { compareCells, judgeClaims } from "./verdicts.ts";

/** The repository's results/ folder. */
export const RESULTS_ROOT: string = fileURLToPath(new URL("../results/", import.meta.url));

/**
 * The configuration a run key hashes: the definition's data and claims' inputs, the preset, and
 * the content hash of a teacher given with `--teacher` (null when the run trains its own).
 */
export function resolvedConfig(
  experiment: ExperimentDefinition,
  preset: Preset,
  givenTeacherHash: string | null = null,
  beir: readonly string[] = [],
): unknown {
  const zeroShot = experiment.zeroShot;
  // A zero-shot table: its corpora (measures spelled out) and its source's whole configuration.
  const resolved = zeroShot === undefined
    ? experiment
    : zeroShotDefinition(experiment, zeroShotCorpora(experiment, preset.name, beir));
  return {
    data: resolved.data[preset.name],
    teacher: resolved.teacher,
    ...(givenTeacherHash === null ? {} : { givenTeacher: givenTeacherHash }),
    methods: resolved.methods,
    sizes: resolved.sizes,
    measures: resolved.measures,
    preset,
    ...(resolved.teacher.kind === "cross"
      ? { crossEncoder: CROSS_ENCODER_PRESETS[preset.name] }
      : {}),
    ...(resolved.answerMatching === true ? { answerMatching: true } : {}),
    ...(resolved.teacherEpochs?.[preset.name] === undefined
      ? {}
      : { teacherEpochs: resolved.teacherEpochs[preset.name] }),
    ...(zeroShot === undefined ? {} : {
      zeroShot: {
        source: zeroShot.source,
        sourceConfig: resolvedConfig(findExperiment(zeroShot.source), preset, givenTeacherHash),
      },
    }),
  };
}

/** A run cannot start: its data or teacher is not there (the message says how to get it). */
export class MissingInputError extends Error {
  override name = "MissingInputError";
}

/** Makes the library pipeline of one experiment and preset (`log` takes progress lines). */
export type PipelineFactory = (
  experiment: ExperimentDefinition,
  preset: Preset,
  options: ReproduceOptions,
  log: (line: string) => void,
) => Promise<Pipeline>;

/**
 * The real pipeline: the engine initialised with `--backend` / `--threads` (once per process),
 * teachers under `<results>/teachers/`.
 */
export async function libraryFactory(
  experiment: ExperimentDefinition,
  preset: Preset,
  options: ReproduceOptions,
  log: (line: string) => void,
): Promise<Pipeline> {
  const engine = await initEngine({
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  log(`engine: ${describeEngine(engine)}`);
  return libraryPipeline(experiment, preset, {
    resultsRoot: options.results ?? RESULTS_ROOT,
    log,
    display: () => trainingRenderer(stderrSink()),
    ...(options.teacher === undefined ? {} : { teacherDir: options.teacher }),
  });
}

/** What one experiment's run produced. */
export interface ReproduceResult {
  readonly outcomes: CellOutcome[];
  /** The table, calibration and claims as printed (or the cell list of a dry run). */
  readonly table: string;
  /** results/runs/<run-key>. */
  readonly runDir: string;
  /** The results store and the run's row in it (null for a dry run). */
  readonly store: { readonly db: string; readonly runId: number } | null;
  /** The same for `--json`: cells with their outcome and metrics, calibration, claims. */
  readonly json: Readonly<Record<string, unknown>>;
}

/** A run resolved from the options: its preset, key, folder and cells. */
interface RunPlan {
  /** The definition as run (a zero-shot table's measures spelled out per corpus). */
  readonly experiment: ExperimentDefinition;
  readonly preset: Preset;
  readonly key: string;
  /** The configuration the key hashes. */
  readonly config: unknown;
  readonly runDir: string;
  readonly cells: readonly CellRef[];
  /** A zero-shot table's source experiment, its run, and the corpora. */
  readonly zeroShot: {
    readonly source: ExperimentDefinition;
    readonly sourceRun: { readonly key: string; readonly dir: string };
    readonly corpora: readonly string[];
  } | null;
}

async function planRun(
  experiment: ExperimentDefinition,
  options: ReproduceOptions,
): Promise<RunPlan> {
  const preset = PRESETS[options.preset];
  const given = options.teacher === undefined ? null : await modelDirHash(options.teacher);
  const results = options.results ?? RESULTS_ROOT;
  const beir = experiment.zeroShot === undefined ? [] : options.beir;
  const config = resolvedConfig(experiment, preset, given, beir);
  const key = runKey(experiment.id, preset.name, config);
  let runDir = runDirectory(results, key);
  if (options.fresh) runDir = `${runDir}-${new Date().toISOString().replaceAll(/[:.]/g, "")}`;
  let zeroShot: RunPlan["zeroShot"] = null;
  let resolved = experiment;
  if (experiment.zeroShot !== undefined) {
    const source = findExperiment(experiment.zeroShot.source);
    const sourceKey = runKey(source.id, preset.name, resolvedConfig(source, preset, given));
    const corpora = zeroShotCorpora(experiment, preset.name, beir);
    resolved = zeroShotDefinition(experiment, corpora);
    zeroShot = {
      source,
      sourceRun: { key: sourceKey, dir: runDirectory(results, sourceKey) },
      corpora,
    };
  }
  const cells = selectCells(
    experimentCells(resolved, options.seeds ?? resolved.seeds),
    options.only,
  );
  return { experiment: resolved, preset, key, config, runDir, cells, zeroShot };
}

/** The dry run: what the run needs and which cells it would run. */
async function dryRun(plan: RunPlan, needs: readonly Requirement[]): Promise<ReproduceResult> {
  const { experiment, preset, key, runDir } = plan;
  const lines = [`${experiment.id} · preset ${preset.name} · run ${key} · ${runDir}`];
  for (const r of needs) lines.push(`  ${r.what.padEnd(40)} ${r.state}: ${r.detail}`);
  const planned = [];
  for (const cell of plan.cells) {
    const state = (await readCellRecord(runDir, cell))?.status === "ok" ? "done" : "would run";
    planned.push({ id: formatCellId(cell), state });
    lines.push(`  ${formatCellId(cell).padEnd(40)} ${state}`);
  }
  const json = { experiment: experiment.id, preset: preset.name, runKey: key, runDir };
  return {
    outcomes: [],
    table: lines.join("\n") + "\n",
    runDir,
    store: null,
    json: { ...json, requirements: needs, cells: planned },
  };
}

/** Open the results store's row of this run (resumed when the key is already stored). */
async function openSink(plan: RunPlan, options: ReproduceOptions): Promise<ResultsSink> {
  const engine = engineState();
  return await ResultsSink.open(
    options.db ?? join(options.results ?? RESULTS_ROOT, "results.sqlite"),
    {
      experiment: plan.experiment.id,
      preset: plan.preset.name,
      runKey: plan.key,
      config: plan.config,
      seeds: [...new Set(plan.cells.flatMap((c) => c.seed === undefined ? [] : [c.seed]))],
      backend: engine?.backend ?? "none",
      threads: engine?.threads ?? 0,
      blas: engine?.blas.found ? engine.blas.path : null,
      runDir: plan.runDir,
      ...(options.fresh ? { fresh: basename(plan.runDir).slice(plan.key.length + 1) } : {}),
    },
  );
}

/** Run (or resume) the cells; each finished cell goes to its JSON record and to the store. */
async function runPlannedCells(
  plan: RunPlan,
  pipeline: Pipeline,
  sink: ResultsSink,
  log: (line: string) => void,
): Promise<CellOutcome[]> {
  const { experiment, preset, runDir } = plan;
  const writer = outcomeWriter(sink, await sink.finished());
  const zeroShot = plan.zeroShot;
  const outcomes = await runCells(
    { experiment: experiment.id, preset: preset.name, runKey: plan.key, runDir, cells: plan.cells },
    (cell) =>
      zeroShot === null
        ? runCell({ experiment, preset, pipeline, runDir }, cell)
        : runZeroShotCell({ experiment, preset, pipeline, runDir, ...zeroShot }, cell),
    (event) => {
      const at = `[${event.index + 1}/${event.total}]`;
      if (event.kind === "cell-start") {
        log(`${at} ${formatCellId(event.cell)} ...`);
        return;
      }
      const o = event.outcome;
      const detail = o.kind === "skipped"
        ? o.reason
        : o.kind === "failed"
        ? o.record.error ?? ""
        : Object.entries(o.record.metrics).map(([m, v]) => `${m} ${v.toFixed(4)}`).join(" ");
      log(`${at} ${formatCellId(o.cell)} ${o.kind} ${detail}`);
      writer.onOutcome(o);
    },
  );
  await writer.flush();
  return outcomes;
}

/** The table, calibration, comparisons and claims of a run's outcomes. */
function report(plan: RunPlan, outcomes: readonly CellOutcome[]) {
  const { experiment, preset, key } = plan;
  const records = outcomes.flatMap((o) => o.kind === "ok" || o.kind === "reused" ? [o.record] : []);
  const quality = cellQualities(records);
  const comparisons = compareCells(
    comparisonPairs(experiment, experiment.claims),
    experiment.measures,
    quality,
    { random: seededRandom(20230124), permutations: preset.permutations },
  );
  const summaries = summarize(records);
  const verdicts = judgeClaims(experiment.claims, experiment.measures[0]!, quality, comparisons);
  const calibration = calibrationChecks(experiment, summaries);
  const notes = [
    ...answerMatchingNotes(experiment, summaries),
    ...(plan.zeroShot === null ? [] : zeroShotNotes(experiment, plan.zeroShot.corpora, summaries)),
  ];
  const table = renderTable({
    experiment,
    preset: preset.name,
    runKey: key,
    summaries,
    comparisons,
    verdicts,
    calibration: calibrationLines(calibration),
    notes,
  });
  const cells = outcomes.map((o) => ({
    id: formatCellId(o.cell),
    outcome: o.kind,
    ...(o.kind === "skipped"
      ? { reason: o.reason }
      : { error: o.record.error, metrics: o.record.metrics, chosen: o.record.chosen }),
  }));
  return { table, verdicts, calibration, comparisons, cells, notes };
}

/** A zero-shot run's source run: how many of the students it evaluates are already trained. */
async function sourceRequirement(plan: RunPlan): Promise<Requirement> {
  const { source, sourceRun } = plan.zeroShot!;
  const students = plan.cells.filter((c) => c.size !== "full");
  let done = 0;
  for (const cell of students) {
    if ((await readCellRecord(sourceRun.dir, cell))?.status === "ok") done++;
  }
  return {
    what: `${source.id}'s run ${sourceRun.key}`,
    state: done === students.length ? "ready" : "made by the run",
    detail: `${done} of ${students.length} students trained in ${sourceRun.dir}` +
      (done === students.length ? "" : ` (the others are trained there, as ${source.id} would)`),
  };
}

/**
 * Run one experiment as `options` say: resolve the run, check its inputs, run or resume its cells
 * (records on disk and in the results store), and report. A dry run only lists.
 */
export async function reproduceExperiment(
  experiment: ExperimentDefinition,
  options: ReproduceOptions,
  makePipeline: PipelineFactory,
  log: (line: string) => void,
): Promise<ReproduceResult> {
  const plan = await planRun(experiment, options);
  const needs = [
    ...await requirements(
      // A zero-shot table's teacher is its source table's.
      plan.zeroShot?.source ?? experiment,
      plan.preset,
      options.teacher,
      options.results ?? RESULTS_ROOT,
      undefined,
      plan.zeroShot?.corpora ?? [],
    ),
    ...(plan.zeroShot === null ? [] : [await sourceRequirement(plan)]),
  ];
  if (options.dryRun) return await dryRun(plan, needs);
  const missing = needs.filter((r) => r.state === "missing");
  if (missing.length > 0) {
    throw new MissingInputError(
      `Cannot run ${experiment.id} with preset ${plan.preset.name}: ${
        missing.map((r) => `${r.what} is missing (${r.detail})`).join("; ")
      }`,
    );
  }
  // A zero-shot table runs on its source's pipeline: the same teacher and students.
  const pipeline = await makePipeline(
    plan.zeroShot?.source ?? experiment,
    plan.preset,
    options,
    log,
  );
  const sink = await openSink(plan, options);
  try {
    const outcomes = await runPlannedCells(plan, pipeline, sink, log);
    const r = report(plan, outcomes);
    await sink.writeClaims(r.verdicts);
    await sink.writeComparisons(r.comparisons);
    await sink.writeCalibration(r.calibration);
    const bad = outcomes.some((o) => o.kind === "failed" || o.kind === "skipped");
    await sink.finish(bad ? "failed" : "ok");
    const { table, ...rest } = r;
    const store = { db: sink.path, runId: sink.runId };
    return {
      outcomes,
      table,
      runDir: plan.runDir,
      store,
      json: {
        experiment: experiment.id,
        preset: plan.preset.name,
        runKey: plan.key,
        runDir: plan.runDir,
        store,
        ...rest,
      },
    };
  } finally {
    await sink.close();
  }
}

/** The command: exit status 0 all ok, 1 a cell failed, 2 usage error. */
export async function main(
  args: readonly string[],
  makePipeline: PipelineFactory,
): Promise<number> {
  let options: ReproduceOptions | "help";
  try {
    options = await parseReproduceArgs(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`reproduce: ${error.message}\n\n${REPRODUCE_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options === "help") {
    console.log(REPRODUCE_USAGE);
    return 0;
  }
  const sink = stderrSink();
  const log = (line: string) => sink.write(`${line}\n`);
  let failed = false;
  const started = performance.now();
  const took: string[] = [];
  for (const id of options.experiments) {
    const experiment = findExperiment(id);
    const begun = performance.now();
    let result;
    try {
      result = await reproduceExperiment(experiment, options, makePipeline, log);
    } catch (error) {
      if (error instanceof RangeError && /Unknown cell/.test(error.message)) {
        console.error(`reproduce: ${error.message}`);
        return 2;
      }
      // Missing inputs, unreadable teachers, a results folder that cannot be written: one line.
      console.error(`reproduce: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    console.log(options.json ? JSON.stringify(result.json, null, 2) : result.table);
    const bad = result.outcomes.filter((o) => o.kind === "failed" || o.kind === "skipped");
    if (bad.length > 0) failed = true;
    const store = result.store;
    if (store !== null) {
      log(
        `records: ${result.runDir} (${result.outcomes.length} cells, ${bad.length} failed or skipped)`,
      );
      log(`store: ${store.db} (run ${store.runId}; \`deno task runs --db ${store.db}\`)`);
    }
    const seconds = (performance.now() - begun) / 1000;
    took.push(`${id} ${formatDuration(seconds)}`);
    log(`${id}: ${formatDuration(seconds)} wall time`);
  }
  if (took.length > 1) {
    log(
      `wall time: ${took.join(", ")}; total ${
        formatDuration((performance.now() - started) / 1000)
      }`,
    );
  }
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args, libraryFactory));
