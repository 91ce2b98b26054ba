// deno-lint-ignore-file no-console
/**
 * CLI: train a teacher (dual encoder or cross-encoder) from scratch on a dataset's labels with
 * `trainTeacher(config)`; progress on stderr, the summary (paths, hashes, timings) on stdout.
 *
 * Usage: `deno task teacher --data ID|DIR --out DIR [options]`
 *
 * @module
 */

import { type LoadedSplit, type LoadSplitOptions } from "../data/mod.ts";
import {
  type NegativeSource,
  resolveTeacherSettings,
  TEACHER_DEFAULTS,
  TEACHER_FILES,
  type TeacherEvent,
  type TeacherModelSettings,
  type TeacherResult,
  type TeacherSettings,
  type TeacherTraining,
  trainTeacher,
} from "../distill/mod.ts";
import { type BackendName, describeEngine, initEngine, parseBackendName } from "../engine/mod.ts";
import { onnx } from "../models/mod.ts";
import { type OptionValues, parseCommand, userPath } from "./command_args.ts";
import { trainingRenderer } from "./training_progress.ts";
import { type ProgressSink, stderrSink } from "./progress.ts";
import { dataSource, trainAndDev } from "./data_arg.ts";
import { prepareOutputDir } from "./output_dir.ts";
import { UsageError } from "./usage_error.ts";

const USAGE = `Usage: deno task teacher --data ID|DIR --out DIR [options]

Train a teacher from scratch on the labels of a dataset's training split (in-batch one-hot loss
for a dual encoder, listwise loss over BM25 candidate lists for a cross-encoder), keep the best
dev checkpoint, and write a self-contained model directory: config.json, model.safetensors,
tokenizer.json, onnx-query/ and onnx-document/ (dual encoder; each loads on its own),
teacher_config.json (resolved settings) and teacher_run.json (settings, training, provenance).

Options:
      --data ID|DIR          dataset id of datasets.lock (e.g. synthetic/tiny) or BEIR folder (required)
      --out DIR              model directory to write (required; refused when not empty unless
                             --resume or --overwrite)
      --split NAME           training split (default train)
      --dev-split NAME|none  dev split selecting the best checkpoint (default dev when present)
      --kind dual|cross      dual encoder (default) or cross-encoder
      --layers N --hidden H --heads N --intermediate N
                             size (default 2 layers, hidden 128, 2 heads, intermediate 4H)
      --pooling mean|cls     dual encoder pooling (default mean)
      --similarity cosine|dot   dual encoder similarity (default cosine)
      --scale X              cosine scale (default 20)
      --towers shared|separate  dual encoder towers (default shared)
      --query-length N --doc-length N   dual encoder token lengths (default 32 / 64)
      --scorer cls|dual-pooling   cross-encoder scorer (default cls)
      --max-length N         cross-encoder pair length (default 96)
      --doc-alone-weight X   dual pooling: document-alone regulariser weight (default 0)
      --vocab N              WordPiece vocabulary built from corpus + training queries (default 4000)
      --tokenizer FILE       use this tokenizer.json instead of building a vocabulary
      --steps N | --epochs X training length (default 6 epochs)
      --batch N              training pairs per step (default 64)
      --lr X                 peak learning rate (default 1e-3; 10 % warm-up, linear decay)
      --warmup N             warm-up steps
      --eval-every N         dev evaluation and checkpoint interval (default steps / 5)
  -m, --measure M            dev measure, repeatable; the first selects (default RR@10, nDCG@10;
                             a cross-encoder re-ranks each dev query's BM25 top 30)
      --hard-negatives N     hard negatives per pair (dual default 0; cross: list length - 1,
                             default 7)
      --negatives-from bm25|DIR|mixed:DIR
                             hard negatives from BM25 (default), a dual-encoder model dir, or
                             half BM25 and half the model, drawn from each one's top 100
      --negatives-depth N    mixed: draw from each first stage's top N (default 100)
      --init-from DIR        start from a model dir's BERT body (e.g. a cross-encoder from the
                             dual-encoder teacher of its size); its tokenizer is the vocabulary
      --seed N               data order seed (default 42; initial weights from a derived seed)
      --resume               continue from DIR/checkpoints (same settings and data only)
      --overwrite            train afresh into a non-empty DIR (its checkpoints are removed)
      --no-onnx              do not export ONNX towers
      --backend NAME         wasm (default), cpu or tensorflow (or $EMBEDDISTILL_BACKEND)
      --threads N            engine threads (or $EMBEDDISTILL_THREADS; default all cores)
      --home DIR             cache root (overrides $EMBEDDISTILL_HOME)
      --config FILE          JSON object of these options (flags override it)
      --json                 print the summary as JSON
  -h, --help                 show this help

Output: key<TAB>value lines (model_dir, kind, onnx_query, onnx_document, steps, final_loss,
best, dev <measure>, model_hash, config_hash, dataset_checksum, engine, seed, seconds_tokenise,
seconds_train, seconds_export, peak_rss_mb) or JSON on stdout; progress on stderr.
Exit status: 0 ok, 1 training failed (data, model or I/O), 2 usage error.`;

const OPTIONS = {
  data: { type: "string" },
  out: { type: "string" },
  split: { type: "string" },
  "dev-split": { type: "string" },
  kind: { type: "string" },
  layers: { type: "string" },
  hidden: { type: "string" },
  heads: { type: "string" },
  intermediate: { type: "string" },
  pooling: { type: "string" },
  similarity: { type: "string" },
  scale: { type: "string" },
  towers: { type: "string" },
  "query-length": { type: "string" },
  "doc-length": { type: "string" },
  scorer: { type: "string" },
  "max-length": { type: "string" },
  "doc-alone-weight": { type: "string" },
  vocab: { type: "string" },
  tokenizer: { type: "string" },
  steps: { type: "string" },
  epochs: { type: "string" },
  batch: { type: "string" },
  lr: { type: "string" },
  warmup: { type: "string" },
  "eval-every": { type: "string" },
  measure: { type: "string", multiple: true, short: "m" },
  "hard-negatives": { type: "string" },
  "negatives-from": { type: "string" },
  "negatives-depth": { type: "string" },
  "init-from": { type: "string" },
  seed: { type: "string" },
  resume: { type: "boolean" },
  overwrite: { type: "boolean" },
  "no-onnx": { type: "boolean" },
  backend: { type: "string" },
  threads: { type: "string" },
  home: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The parsed command line. */
export interface TeacherCliOptions {
  readonly data: string;
  readonly out: string;
  readonly split: string;
  /** `auto`: `dev` when the dataset has it. */
  readonly devSplit: string | null | "auto";
  readonly settings: TeacherSettings;
  readonly resume: boolean;
  readonly overwrite: boolean;
  readonly onnx: boolean;
  readonly backend?: BackendName;
  readonly threads?: number;
  readonly home?: string;
  readonly json: boolean;
}

function text(values: OptionValues, key: string): string | undefined {
  const v = values[key];
  return typeof v === "string" ? v : undefined;
}

function number(values: OptionValues, key: string, integer: boolean, min: number) {
  const raw = text(values, key);
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(x) || (integer && !Number.isInteger(x)) || x < min) {
    throw new UsageError(
      `--${key} must be ${integer ? "an integer" : "a number"} >= ${min}, found "${raw}"`,
    );
  }
  return x;
}

function oneOf<T extends string>(
  values: OptionValues,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const raw = text(values, key);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${key} must be one of ${allowed.join(", ")}, found "${raw}"`);
  }
  return raw as T;
}

/** Keep the defined entries only (exactOptionalPropertyTypes). */
function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function modelSettings(v: OptionValues): TeacherModelSettings {
  const kind = oneOf(v, "kind", ["dual", "cross"] as const) ?? "dual";
  const size = defined({
    layers: number(v, "layers", true, 1),
    hidden: number(v, "hidden", true, 1),
    heads: number(v, "heads", true, 1),
    intermediate: number(v, "intermediate", true, 1),
  });
  const dualOnly = ["pooling", "similarity", "scale", "towers", "query-length", "doc-length"];
  const crossOnly = ["scorer", "max-length", "doc-alone-weight"];
  for (const key of kind === "dual" ? crossOnly : dualOnly) {
    if (v[key] !== undefined) throw new UsageError(`--${key} does not apply to --kind ${kind}`);
  }
  if (kind === "cross") {
    return {
      kind,
      ...size,
      ...defined({
        scorer: oneOf(v, "scorer", ["cls", "dual-pooling"] as const),
        maxLength: number(v, "max-length", true, 4),
        documentAloneWeight: number(v, "doc-alone-weight", false, 0),
      }),
    };
  }
  const similarity = oneOf(v, "similarity", ["cosine", "dot"] as const);
  const scale = number(v, "scale", false, Number.MIN_VALUE);
  if (similarity === "dot" && scale !== undefined) {
    throw new UsageError("--scale applies to --similarity cosine only");
  }
  return {
    kind,
    ...size,
    ...defined({
      pooling: oneOf(v, "pooling", ["mean", "cls"] as const),
      towers: oneOf(v, "towers", ["shared", "separate"] as const),
      queryMaxLength: number(v, "query-length", true, 2),
      documentMaxLength: number(v, "doc-length", true, 2),
    }),
    ...(similarity === "dot" ? { similarity: { kind: "dot" } } : {}),
    ...(similarity !== "dot" && scale !== undefined
      ? { similarity: { kind: "cosine", scale } }
      : {}),
  };
}

function negativeSource(from: string, v: OptionValues): NegativeSource {
  const depth = number(v, "negatives-depth", true, 1);
  if (from === "bm25") return { kind: "bm25" };
  if (from.startsWith("mixed:")) {
    const path = from.slice("mixed:".length);
    if (path === "") throw new UsageError("--negatives-from mixed:DIR needs a model directory");
    return { kind: "mixed", path: userPath(path), ...(depth === undefined ? {} : { depth }) };
  }
  return { kind: "model", path: userPath(from) };
}

function trainingSettings(v: OptionValues): TeacherTraining {
  const steps = number(v, "steps", true, 1);
  const epochs = number(v, "epochs", false, Number.MIN_VALUE);
  if (steps !== undefined && epochs !== undefined) {
    throw new UsageError("--steps and --epochs cannot both be given");
  }
  const from = text(v, "negatives-from");
  const init = text(v, "init-from");
  return {
    ...(steps !== undefined ? { length: { kind: "steps", steps } } : {}),
    ...(epochs !== undefined ? { length: { kind: "epochs", epochs } } : {}),
    ...defined({
      batchSize: number(v, "batch", true, 1),
      learningRate: number(v, "lr", false, Number.MIN_VALUE),
      warmupSteps: number(v, "warmup", true, 0),
      evalEvery: number(v, "eval-every", true, 1),
      hardNegatives: number(v, "hard-negatives", true, 0),
      seed: number(v, "seed", true, 0),
    }),
    ...(Array.isArray(v["measure"]) ? { devMeasures: v["measure"].map(String) } : {}),
    ...(from === undefined ? {} : { negativesFrom: negativeSource(from, v) }),
    ...(init === undefined ? {} : { initFrom: userPath(init) }),
  };
}

/** Parse the command line (with `--config FILE`); "help" for `--help`. UsageError otherwise. */
export async function parseTeacherArgs(
  args: readonly string[],
): Promise<TeacherCliOptions | "help"> {
  const { values: v } = await parseCommand(args, OPTIONS);
  if (v["help"] === true) return "help";
  const data = text(v, "data");
  if (data === undefined) throw new UsageError("missing --data ID|DIR");
  const out = text(v, "out");
  if (out === undefined) throw new UsageError("missing --out DIR");
  if (v["resume"] === true && v["overwrite"] === true) {
    throw new UsageError("--resume and --overwrite cannot both be given");
  }
  const vocab = number(v, "vocab", true, 10);
  const tokenizer = text(v, "tokenizer");
  if (vocab !== undefined && tokenizer !== undefined) {
    throw new UsageError("--vocab and --tokenizer cannot both be given");
  }
  const settings: TeacherSettings = {
    model: modelSettings(v),
    ...(tokenizer !== undefined ? { vocabulary: { kind: "file", path: userPath(tokenizer) } } : {}),
    ...(vocab !== undefined ? { vocabulary: { kind: "build", size: vocab } } : {}),
    training: trainingSettings(v),
  };
  try {
    resolveTeacherSettings(settings);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  const dev = text(v, "dev-split");
  const backend = text(v, "backend");
  let backendName: BackendName | undefined;
  if (backend !== undefined) {
    try {
      backendName = parseBackendName(backend, "--backend");
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  const home = text(v, "home");
  return {
    data,
    out: userPath(out),
    split: text(v, "split") ?? "train",
    devSplit: dev === undefined ? "auto" : dev === "none" ? null : dev,
    settings,
    resume: v["resume"] === true,
    overwrite: v["overwrite"] === true,
    onnx: v["no-onnx"] !== true,
    ...defined({
      backend: backendName,
      threads: number(v, "threads", true, 1),
      home: home === undefined ? undefined : userPath(home),
    }),
    json: v["json"] === true,
  };
}

async function readSplits(
  options: TeacherCliOptions,
): Promise<{ train: LoadedSplit; dev?: LoadedSplit }> {
  const load: LoadSplitOptions = options.home === undefined ? {} : { home: options.home };
  return await trainAndDev(
    await dataSource(options.data, load),
    options.split,
    options.devSplit,
    load,
  );
}

/** What a teacher run writes into --out (all that --overwrite removes; other files stay). */
const TEACHER_OUTPUTS: readonly string[] = [
  "config.json",
  "model.safetensors",
  ...Object.values(TEACHER_FILES),
  ...onnx.ECOSYSTEM_OUTPUTS,
];

/** The `--json` summary. */
export function teacherSummary(result: TeacherResult): Record<string, unknown> {
  const t = result.training;
  const bestEval = t.best === null ? t.evals.at(-1) : t.evals.find((e) => e.step === t.best!.step);
  return {
    modelDir: result.modelDir,
    kind: result.kind,
    onnx: result.onnx,
    steps: t.steps,
    finalLoss: t.finalLoss,
    best: t.best,
    dev: bestEval?.metrics ?? null,
    provenance: result.provenance,
    settings: result.settings,
  };
}

function textSummary(result: TeacherResult): string[] {
  const t = result.training;
  const p = result.provenance;
  const lines = [`model_dir\t${result.modelDir}`, `kind\t${result.kind}`];
  if (result.onnx !== null) {
    lines.push(`onnx_query\t${result.onnx.query}`, `onnx_document\t${result.onnx.document}`);
  }
  lines.push(`steps\t${t.steps}`);
  if (t.finalLoss !== null) lines.push(`final_loss\t${t.finalLoss.toFixed(6)}`);
  if (t.best !== null) {
    lines.push(`best\t${t.best.measure}\t${t.best.value.toFixed(4)}\tstep ${t.best.step}`);
  }
  const dev = teacherSummary(result).dev as Record<string, number> | null;
  for (const [k, x] of Object.entries(dev ?? {})) lines.push(`dev\t${k}\t${x.toFixed(4)}`);
  lines.push(
    `model_hash\t${p.modelHash}`,
    `config_hash\t${p.configHash}`,
    `dataset_checksum\t${p.datasetChecksum}`,
    `engine\t${p.engine.backend}, ${p.engine.threads} threads, BLAS ${
      p.engine.blas.found ? `${p.engine.blas.threads} threads` : "absent"
    }`,
    `seed\t${p.seed}`,
    `seconds_tokenise\t${p.seconds.tokenise.toFixed(2)}`,
    `seconds_train\t${p.seconds.train.toFixed(2)}`,
    `seconds_export\t${p.seconds.export.toFixed(2)}`,
    `peak_rss_mb\t${(p.peakRssBytes / 2 ** 20).toFixed(0)}`,
  );
  return lines;
}

/** Where the CLI writes; tests substitute their own. */
export interface TeacherIo {
  readonly stdout: (line: string) => void;
  readonly progress: ProgressSink;
}

function defaultIo(): TeacherIo {
  return { stdout: (line) => console.log(line), progress: stderrSink() };
}

/** Run the teacher CLI with `args`; returns the exit status (0 ok, 1 failure, 2 usage error). */
export async function main(args: string[], io: TeacherIo = defaultIo()): Promise<number> {
  const err = (line: string) => io.progress.write(line);
  let options: TeacherCliOptions;
  try {
    const parsed = await parseTeacherArgs(args);
    if (parsed === "help") {
      io.stdout(USAGE);
      return 0;
    }
    options = parsed;
    const mode = options.resume ? "resume" : options.overwrite ? "overwrite" : "new";
    await prepareOutputDir(options.out, mode, TEACHER_OUTPUTS);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`teacher: ${error.message}\n${USAGE.split("\n")[0]}\n`);
    return 2;
  }
  let renderer: ReturnType<typeof trainingRenderer> | undefined;
  try {
    const engine = await initEngine({
      ...(options.backend === undefined ? {} : { backend: options.backend }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      seed: options.settings.training?.seed ?? TEACHER_DEFAULTS.seed,
    });
    err(`engine: ${describeEngine(engine)}\n`);
    const splits = await readSplits(options);
    err(
      `data: ${splits.train.corpus.length} documents, ${splits.train.queries.length} training queries, ${
        splits.dev?.queries.length ?? 0
      } dev queries\n`,
    );
    renderer = trainingRenderer(io.progress);
    const active = renderer;
    const onEvent = (event: TeacherEvent): void => {
      if (event.kind === "phase") err(`${event.phase}: ${event.detail}\n`);
      else active.onEvent(event);
    };
    const result = await trainTeacher({
      ...options.settings,
      ...splits,
      outputDir: options.out,
      resume: options.resume,
      exportOnnx: options.onnx,
      ...(options.home === undefined ? {} : { home: options.home }),
      onEvent,
    });
    renderer.finish();
    renderer = undefined;
    if (options.json) io.stdout(JSON.stringify(teacherSummary(result), null, 2));
    else for (const line of textSummary(result)) io.stdout(line);
    return 0;
  } catch (error) {
    renderer?.finish();
    err(`teacher: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
