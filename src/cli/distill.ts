// deno-lint-ignore-file no-console
/**
 * CLI: distil a student from a teacher model directory on a BEIR-layout dataset with
 * `distill(config)`; the summary (dev metrics, output paths) on stdout, progress on stderr.
 *
 * Usage: `deno task distill --teacher DIR --data DIR --out DIR [options]`
 *
 * @module
 */

import { join } from "node:path";
import {
  type CeTeacherConfig,
  describeMissingDocuments,
  distill,
  type DistillDataReport,
  type DistillResult,
  type DistillSettings,
  type DistillTraining,
  inspectDistillData,
  type LossRecipe,
  resolveDistillSettings,
  type StudentSpec,
} from "../distill/mod.ts";
import { loadUnlabelled } from "../data/mod.ts";
import { onnx } from "../models/mod.ts";
import { describeEngine, type EngineState, initEngine, summariseEngine } from "../engine/mod.ts";
import {
  type DistillCliOptions,
  lossRecipe,
  parseDistillArgs,
  UsageError,
} from "./distill_options.ts";
import { readData, studentSpec, teacherEncoder } from "./distill_inputs.ts";
import { type OpenGenerator, openQueryGenerator } from "./distill_query_gen.ts";
import { ProgressBar, type ProgressSink, stderrSink } from "./progress.ts";
import { prepareOutputDir } from "./output_dir.ts";
import { trainingRenderer } from "./training_progress.ts";
import { checkResumeSettings, type RunRecord, writeRunRecord } from "./run_record.ts";

/** The run record's file name inside `--out`. */
export const RUN_RECORD = "distill_run.json";

/** What `distill` writes into `--out` (removed by `--overwrite`; other files stay). */
export const DISTILL_OUTPUTS: readonly string[] = [
  "config.json",
  "model.safetensors",
  "tokenizer.json",
  "checkpoints",
  "onnx-query",
  "onnx-document",
  "document-embeddings.safetensors",
  "document-ids.txt",
  "teacher.json",
  ...onnx.ECOSYSTEM_OUTPUTS,
  RUN_RECORD,
];

const USAGE = `Usage: deno task distill --teacher DIR --data DIR --out DIR [options]

Distil a small dual encoder from a teacher (EmbedDistill): score distillation + embedding matching
by default. The teacher is a model directory (config.json, model.safetensors, tokenizer.json); the
data a BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv). A cross-encoder teacher
directory works too (its scores over fixed candidate lists are computed once and cached).

Options:
      --teacher DIR          teacher model directory (required)
      --data DIR             BEIR dataset directory (required)
      --out DIR              student model directory to write (required); checkpoints go in
                             DIR/checkpoints, ONNX towers in DIR/onnx-query and DIR/onnx-document
      --split NAME           training split (default train)
      --dev-split NAME|none  dev split evaluated during training; selects the best checkpoint
                             (default dev when qrels/dev.tsv exists)
      --student KIND         asymmetric (default: query tower vs the teacher's documents) or
                             symmetric (the student encodes both sides)
      --towers shared|separate   towers of a symmetric student (default shared)
      --init INIT            random (default), teacher-layers:0,3 (teacher's embeddings and
                             those layers) or checkpoint:PATH (model dir or .safetensors)
      --layers N --hidden H --heads N --intermediate N
                             student size (default: the teacher's; heads H/64 or the teacher's,
                             intermediate 4H)
      --loss TERMS|FILE.json terms such as score-kd,embed-match or one-hot=0.5,score-kd
                             (one-hot, score-kd, margin-mse, embed-match, embed-query,
                             embed-document), or a recipe JSON file {"terms": [...]}
      --steps N              optimisation steps (default 1000)
      --batch N              training pairs per batch (default 32)
      --lr X                 peak learning rate (default 5e-4; warm-up then linear decay)
      --warmup N             warm-up steps (default 10 % of the steps)
      --eval-every N         dev evaluation and checkpoint interval (default steps / 5)
      --hard-negatives N     teacher-mined hard negatives per query (default 0); for a
                             cross-encoder teacher, negatives per candidate list (default 7)
      --query-gen salient|DIR
                             generate queries from the unlabelled documents (DATA/pool.jsonl,
                             else the corpus documents no train or dev judgment names) and train
                             them, a batch per step beside the labelled one, on the embedding-
                             matching terms only (no labels); salient = the offline salient-term
                             generator, DIR = a seq2seq ONNX folder (encoder_model.onnx,
                             decoder_model.onnx, config.json with decoder_start/eos/pad token
                             ids, tokenizer.json WordPiece or vocab.txt); cached; queries copying
                             a train or dev query are dropped. Dual-encoder teachers only
      --per-doc N            generated queries per unlabelled document (default 1)
      --qg-weight W          weight of the generated batches' embedding matching (default 1)
      --resume               continue the run in DIR from DIR/checkpoints (its settings must
                             match those DIR/distill_run.json recorded when it started)
      --overwrite            replace the outputs of an earlier run in DIR (a DIR holding files
                             is refused without --resume or --overwrite)
      --no-onnx              do not export the ONNX towers
      --backend NAME         wasm (default), cpu or tensorflow (or $EMBEDDISTILL_BACKEND)
      --threads N            engine threads (or $EMBEDDISTILL_THREADS; default all cores)
      --seed N               data order and student initialisation seed (default 42)
      --home DIR             cache root (overrides $EMBEDDISTILL_HOME)
      --json                 print the summary as JSON
  -v, --verbose              print the engine's whole description (BLAS, kernels, ORT, CPU)
  -h, --help                 show this help

Output: key<TAB>value lines (model_dir, onnx_query, onnx_document, steps, final_loss, best,
dev <measure>, teacher_hash, model_hash, config_hash, query_generation, seconds) or JSON (with
the provenance: hashes, engine, seed, seconds per phase, peak RSS) on stdout. Progress on
stderr: loss and each term (qg/<term>: the generated batches'), cos (mean teacher-student query
cosine), corr (in-batch score correlation), examples/s (labelled examples, training steps only;
each evaluation's time is on its line), ETA; a bar on a terminal, a line per 10 % otherwise.
DIR/distill_run.json records the arguments, every resolved setting, the engine and, once done,
the summary.
Exit status: 0 ok, 1 distillation failed (bad teacher, data or training), 2 usage error.`;

/** Where the CLI writes; tests substitute their own. */
export interface DistillIo {
  readonly stdout: (line: string) => void;
  readonly progress: ProgressSink;
}

function defaultIo(): DistillIo {
  return { stdout: (line) => console.log(line), progress: stderrSink() };
}

/** Cross-encoder teacher settings: `--hard-negatives` per candidate list, scoring progress. */
function crossEncoderOptions(options: DistillCliOptions, sink: ProgressSink): CeTeacherConfig {
  let bar: ProgressBar | undefined;
  return {
    ...(options.hardNegatives > 0 ? { negatives: options.hardNegatives } : {}),
    onProgress: (done, total) => {
      bar ??= new ProgressBar(sink, { label: "cross-encoder scoring" });
      bar.update({ done, total });
      if (done >= total) bar.finish();
    },
  };
}

/** What the CLI reports about a run (the `--json` output). */
export interface DistillSummary {
  readonly modelDir: string;
  readonly onnx: DistillResult["onnx"];
  readonly documentEmbeddings: string | null;
  readonly steps: number;
  readonly finalLoss: number | null;
  readonly best: DistillResult["training"]["best"];
  /** Dev metrics of the saved model (the best evaluation, else the last); null without dev. */
  readonly dev: Readonly<Record<string, number>> | null;
  readonly evals: DistillResult["training"]["evals"];
  readonly teacherHash: string;
  /** This process's time: optimisation steps, dev evaluation, checkpoints (seconds). */
  readonly seconds: DistillResult["training"]["seconds"];
  /** What query generation produced (null without `--query-gen`). */
  readonly queryGeneration: DistillResult["queryGeneration"];
  readonly provenance: DistillResult["provenance"];
}

function summary(result: DistillResult): DistillSummary {
  const t = result.training;
  const lastEval = t.evals.at(-1);
  const bestEval = t.best === null ? lastEval : t.evals.find((e) => e.step === t.best!.step);
  return {
    modelDir: result.modelDir,
    onnx: result.onnx,
    documentEmbeddings: result.documentEmbeddings,
    steps: t.steps,
    finalLoss: t.losses.at(-1) ?? null,
    best: t.best,
    dev: bestEval?.metrics ?? null,
    evals: t.evals,
    teacherHash: result.teacherHash,
    seconds: t.seconds,
    queryGeneration: result.queryGeneration,
    provenance: result.provenance,
  };
}

function textSummary(result: DistillResult): string[] {
  const t = result.training;
  const lines = [`model_dir\t${result.modelDir}`];
  if (result.onnx !== null) {
    lines.push(`onnx_query\t${result.onnx.query}`);
    if (result.onnx.document !== null) lines.push(`onnx_document\t${result.onnx.document}`);
  }
  if (result.documentEmbeddings !== null) {
    lines.push(`document_embeddings\t${result.documentEmbeddings}`);
  }
  lines.push(`steps\t${t.steps}`);
  if (t.losses.length > 0) lines.push(`final_loss\t${t.losses.at(-1)!.toFixed(6)}`);
  if (t.best !== null) {
    lines.push(`best\t${t.best.measure}\t${t.best.value.toFixed(4)}\tstep ${t.best.step}`);
  }
  for (const [k, x] of Object.entries(summary(result).dev ?? {})) {
    lines.push(`dev\t${k}\t${x.toFixed(4)}`);
  }
  lines.push(`teacher_hash\t${result.teacherHash}`);
  lines.push(`model_hash\t${result.provenance.modelHash}`);
  lines.push(`config_hash\t${result.provenance.configHash}`);
  const qg = result.queryGeneration;
  if (qg !== null) {
    lines.push(
      `query_generation\t${qg.generator}\tgenerated ${qg.generated}\tdocuments ${qg.documents}\tleaks_dropped ${qg.leaksDropped}`,
    );
  }
  const { training, evaluation, checkpoints } = t.seconds;
  lines.push(
    `seconds\ttraining ${training.toFixed(2)}\tevaluation ${evaluation.toFixed(2)}\tcheckpoints ${
      checkpoints.toFixed(2)
    }`,
  );
  return lines;
}

/** Report the qrels lines naming documents absent from the corpus (stderr). */
function reportMissing(report: DistillDataReport, options: DistillCliOptions): string[] {
  const lines: string[] = [];
  const { train, dev } = report.missingDocuments;
  if (train.judgments > 0) {
    lines.push(
      `${describeMissingDocuments(train, `the "${options.split}" qrels`)}; left out of training`,
    );
  }
  if (dev.judgments > 0) {
    lines.push(
      `${
        describeMissingDocuments(dev, "the dev qrels")
      }; they count as relevant documents no student can retrieve`,
    );
  }
  return lines;
}

/** What distill_run.json holds besides the common run-record fields. */
function runRecord(
  args: readonly string[],
  settings: unknown,
  engine: EngineState,
  report: DistillDataReport,
  extra: { status: RunRecord["status"]; started: string } & Record<string, unknown>,
): RunRecord {
  return {
    command: "distill",
    args: [...args],
    settings,
    engine: { summary: summariseEngine(engine), description: describeEngine(engine), ...engine },
    missingDocuments: report.missingDocuments,
    ...extra,
  };
}

/** Run the distill CLI with `args`; returns the exit status (0 ok, 1 failure, 2 usage error). */
export async function main(args: string[], io: DistillIo = defaultIo()): Promise<number> {
  const err = (text: string) => io.progress.write(text);
  const usage = (error: UsageError) => {
    err(`distill: ${error.message}\n${USAGE.split("\n")[0]}\n`);
    return 2;
  };
  let options: DistillCliOptions;
  let loss: LossRecipe | undefined;
  try {
    const parsed = await parseDistillArgs(args);
    if (parsed === "help") {
      io.stdout(USAGE);
      return 0;
    }
    options = parsed;
    loss = await lossRecipe(options);
    await prepareOutputDir(options.out, options.outMode, DISTILL_OUTPUTS);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usage(error);
  }
  const training: DistillTraining = {
    steps: options.steps,
    batchSize: options.batch,
    seed: options.seed,
    ...(options.lr === undefined ? {} : { learningRate: options.lr }),
    ...(options.warmup === undefined ? {} : { warmupSteps: options.warmup }),
    ...(options.evalEvery === undefined ? {} : { evalEvery: options.evalEvery }),
  };
  const recordPath = join(options.out, RUN_RECORD);
  const started = new Date().toISOString();
  let renderer: ReturnType<typeof trainingRenderer> | undefined;
  let running: RunRecord | undefined;
  let generator: OpenGenerator | undefined;
  try {
    const teacher = await teacherEncoder(options.teacher);
    let student: StudentSpec;
    try {
      student = studentSpec(options, teacher.encoder);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      return usage(error);
    }
    const engine = await initEngine({
      ...(options.backend === undefined ? {} : { backend: options.backend }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      seed: options.seed,
    });
    err(`engine: ${summariseEngine(engine)}\n`);
    if (options.verbose) err(`engine detail: ${describeEngine(engine)}\n`);
    const read = await readData(options);
    let data = read.data;
    err(
      `data: ${data.corpus.length} documents, ${data.trainQueries.length} training queries, ${
        data.devQueries?.length ?? 0
      } dev queries\n`,
    );
    const report = inspectDistillData(data);
    for (const line of reportMissing(report, options)) err(`data: ${line}\n`);
    if (options.queryGen !== null) {
      if (teacher.kind === "cross") {
        return usage(
          new UsageError(
            "--query-gen works with dual-encoder teachers only (not yet with a cross-encoder)",
          ),
        );
      }
      const unlabelled = await loadUnlabelled(read.dir, data.corpus, [
        data.trainQrels,
        data.devQrels,
      ]);
      err(`query generation: ${unlabelled.documents.length} documents from ${unlabelled.source}\n`);
      data = { ...data, unlabelled: unlabelled.documents };
      try {
        generator = await openQueryGenerator(options.queryGen, options.perDoc);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        return usage(error);
      }
    }
    const crossEncoder = teacher.kind === "dual"
      ? undefined
      : crossEncoderOptions(options, io.progress);
    const config = {
      student,
      ...(loss === undefined ? {} : { loss }),
      training,
      ...(crossEncoder === undefined ? { hardNegatives: options.hardNegatives } : { crossEncoder }),
      exportOnnx: options.onnx,
      ...(generator === undefined ? {} : {
        queryGeneration: {
          generator: generator.generator,
          perDocument: options.perDoc,
          weight: options.qgWeight,
        },
      }),
    };
    const settings: { inputs: Record<string, unknown> } & DistillSettings = {
      inputs: {
        teacher: options.teacher,
        data: options.data,
        split: options.split,
        // `auto` resolved: `dev` when its qrels exist (readData read them), else none.
        devSplit: options.devSplit === "auto"
          ? (data.devQueries === undefined ? "none" : "dev")
          : options.devSplit ?? "none",
      },
      ...resolveDistillSettings(teacher.spec, { ...config, data: report.sizes }),
    };
    if (options.outMode === "resume") {
      try {
        const check = await checkResumeSettings(recordPath, settings);
        if (check.kind === "no-record") {
          err(`distill: no ${RUN_RECORD} in "${options.out}" to compare the settings with\n`);
        }
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        return usage(error);
      }
    }
    running = runRecord(args, settings, engine, report, { status: "running", started });
    await Deno.mkdir(options.out, { recursive: true });
    await writeRunRecord(recordPath, running);
    renderer = trainingRenderer(io.progress);
    const result = await distill({
      ...config,
      teacher: { kind: "dir", path: options.teacher },
      data,
      datasetChecksum: read.checksum,
      outputDir: options.out,
      resume: options.outMode === "resume",
      ...(options.home === undefined ? {} : { home: options.home }),
      onEvent: renderer.onEvent,
    });
    renderer.finish();
    renderer = undefined;
    const qg = result.queryGeneration;
    if (qg !== null) {
      err(
        `query generation: ${qg.generated} queries trained (${qg.made} made${
          qg.cached ? ", from the cache" : ""
        }; ${qg.leaksDropped} dropped as copies of train or dev queries)\n`,
      );
    }
    await writeRunRecord(recordPath, {
      ...running,
      status: "finished",
      finished: new Date().toISOString(),
      summary: summary(result),
    });
    if (options.json) io.stdout(JSON.stringify(summary(result), null, 2));
    else for (const line of textSummary(result)) io.stdout(line);
    return 0;
  } catch (error) {
    renderer?.finish();
    const message = error instanceof Error ? error.message : String(error);
    if (running !== undefined) {
      await writeRunRecord(recordPath, { ...running, status: "failed", error: message })
        .catch(() => {});
    }
    err(`distill: ${message}\n`);
    return 1;
  } finally {
    await generator?.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
