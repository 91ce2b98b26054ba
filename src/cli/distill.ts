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
  type Agreement,
  type CeTeacherConfig,
  distill,
  type DistillResult,
  type DistillTraining,
  type LossRecipe,
  type StudentSpec,
  type TrainingEvent,
} from "../distill/mod.ts";
import { describeEngine, initEngine } from "../engine/mod.ts";
import {
  type DistillCliOptions,
  lossRecipe,
  parseDistillArgs,
  UsageError,
} from "./distill_options.ts";
import { readData, studentSpec, teacherEncoder } from "./distill_inputs.ts";
import { formatValue, ProgressBar, type ProgressSink, stderrSink } from "./progress.ts";
import { writeFileAtomic } from "../io/mod.ts";

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
      --resume               continue from DIR/checkpoints when present
      --no-onnx              do not export the ONNX towers
      --backend NAME         wasm (default), cpu or tensorflow (or $EMBEDDISTILL_BACKEND)
      --threads N            engine threads (or $EMBEDDISTILL_THREADS; default all cores)
      --seed N               data order and student initialisation seed (default 42)
      --home DIR             cache root (overrides $EMBEDDISTILL_HOME)
      --json                 print the summary as JSON
  -h, --help                 show this help

Output: key<TAB>value lines (model_dir, onnx_query, onnx_document, steps, final_loss, best,
dev <measure>, teacher_hash) or JSON on stdout. Progress on stderr: loss and each term, cos (mean
teacher-student query cosine), corr (in-batch score correlation), examples/s, ETA; a bar on a
terminal, a line per 10 % otherwise. DIR/distill_run.json records the run.
Exit status: 0 ok, 1 distillation failed (bad teacher, data or training), 2 usage error.`;

/** Where the CLI writes; tests substitute their own. */
export interface DistillIo {
  readonly stdout: (line: string) => void;
  readonly progress: ProgressSink;
}

function defaultIo(): DistillIo {
  return { stdout: (line) => console.log(line), progress: stderrSink() };
}

/** Renders training events: the step bar, and a kept line per evaluation and checkpoint. */
export function trainingRenderer(sink: ProgressSink): {
  readonly onEvent: (event: TrainingEvent) => void;
  readonly finish: () => void;
} {
  const bar = new ProgressBar(sink, { label: "train" });
  // Agreement comes every few steps; the latest stays on the line until the next.
  let agreement: Agreement | undefined;
  const onEvent = (event: TrainingEvent): void => {
    switch (event.kind) {
      case "step":
        agreement = event.agreement ?? agreement;
        bar.update({
          done: event.step,
          total: event.totalSteps,
          fields: [
            ["loss", formatValue(event.loss)],
            ...Object.entries(event.terms).map(([k, x]) => [k, formatValue(x)] as const),
            ...(agreement === undefined ? [] : [
              ["cos", formatValue(agreement.queryCosine)] as const,
              ["corr", formatValue(agreement.scoreCorrelation)] as const,
            ]),
          ],
          rate: `${event.examplesPerSecond.toFixed(1)} ex/s`,
          etaSeconds: event.etaSeconds,
        });
        return;
      case "eval": {
        const metrics = Object.entries(event.record.metrics)
          .map(([k, x]) => `${k} ${x.toFixed(4)}`).join(" ");
        bar.log(`eval step ${event.record.step}: ${metrics}${event.best ? " (best)" : ""}`);
        return;
      }
      case "checkpoint":
        bar.log(`checkpoint step ${event.step}: ${event.dir}`);
        return;
      case "resumed":
        bar.log(`resumed at step ${event.step} from ${event.dir}`);
        return;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  };
  return { onEvent, finish: () => bar.finish() };
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
  return lines;
}

/** Run the distill CLI with `args`; returns the exit status (0 ok, 1 failure, 2 usage error). */
export async function main(args: string[], io: DistillIo = defaultIo()): Promise<number> {
  const err = (text: string) => io.progress.write(text);
  let options: DistillCliOptions;
  let loss: LossRecipe | undefined;
  try {
    const parsed = parseDistillArgs(args);
    if (parsed === "help") {
      io.stdout(USAGE);
      return 0;
    }
    options = parsed;
    loss = await lossRecipe(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`distill: ${error.message}\n${USAGE.split("\n")[0]}\n`);
    return 2;
  }
  const training: DistillTraining = {
    steps: options.steps,
    batchSize: options.batch,
    seed: options.seed,
    ...(options.lr === undefined ? {} : { learningRate: options.lr }),
    ...(options.warmup === undefined ? {} : { warmupSteps: options.warmup }),
    ...(options.evalEvery === undefined ? {} : { evalEvery: options.evalEvery }),
  };

  let renderer: ReturnType<typeof trainingRenderer> | undefined;
  try {
    const teacher = await teacherEncoder(options.teacher);
    let student: StudentSpec;
    try {
      student = studentSpec(options, teacher.encoder);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      err(`distill: ${error.message}\n${USAGE.split("\n")[0]}\n`);
      return 2;
    }
    const engine = await initEngine({
      ...(options.backend === undefined ? {} : { backend: options.backend }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      seed: options.seed,
    });
    err(`engine: ${describeEngine(engine)}\n`);
    const data = await readData(options);
    err(
      `data: ${data.corpus.length} documents, ${data.trainQueries.length} training queries, ${
        data.devQueries?.length ?? 0
      } dev queries\n`,
    );
    renderer = trainingRenderer(io.progress);
    const result = await distill({
      teacher: { kind: "dir", path: options.teacher },
      data,
      student,
      ...(loss === undefined ? {} : { loss }),
      training,
      ...(teacher.kind === "dual"
        ? { hardNegatives: options.hardNegatives }
        : { crossEncoder: crossEncoderOptions(options, io.progress) }),
      outputDir: options.out,
      resume: options.resume,
      exportOnnx: options.onnx,
      ...(options.home === undefined ? {} : { home: options.home }),
      onEvent: renderer.onEvent,
    });
    renderer.finish();
    renderer = undefined;
    const record = {
      args,
      student,
      loss: loss ?? null,
      training,
      engine,
      summary: summary(result),
    };
    await writeFileAtomic(
      join(options.out, "distill_run.json"),
      JSON.stringify(record, null, 2) + "\n",
    );
    if (options.json) io.stdout(JSON.stringify(summary(result), null, 2));
    else for (const line of textSummary(result)) io.stdout(line);
    return 0;
  } catch (error) {
    renderer?.finish();
    err(`distill: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
