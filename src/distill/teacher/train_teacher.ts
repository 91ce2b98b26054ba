/**
 * `trainTeacher(config)`: a dual-encoder or cross-encoder teacher trained from scratch on the
 * labels of a split by the one training loop (checkpoints with exact resume, dev selection,
 * optional hard negatives from BM25 or a first-stage model), written as a self-contained model
 * directory with its tokenizer, ONNX exports and `teacher_run.json` (resolved settings and
 * provenance).
 *
 * @module
 */

import { join } from "node:path";
import type { LoadedSplit } from "../../data/mod.ts";
import { type EngineState, engineState, initEngine } from "../../engine/mod.ts";
import { evaluate, parseMeasure, runFromRankings } from "../../eval/mod.ts";
import { pathExists, writeFileAtomic } from "../../io/mod.ts";
import {
  createDualEncoder,
  type CrossEncoderSpec,
  disposeParameters,
  type DualEncoderSpec,
  fromVariables,
  initModelWeights,
  loadModelDir,
  modelHash,
  type ModelSpec,
  type NamedTensors,
  saveModelDir,
  warmStart,
} from "../../models/mod.ts";
import {
  DEFAULT_TITLE_JOIN,
  documentText,
  exportDualEncoderTower,
  exportEcosystemFiles,
} from "../../models/onnx/mod.ts";
import { Bm25Searcher, buildBm25Index } from "../../retrieval/mod.ts";
import {
  bertTokenizerConfig,
  buildWordPieceVocab,
  loadTokenizerJson,
  toTokenizerJson,
  WordPieceTokenizer,
} from "../../text/mod.ts";
import {
  candidateLists,
  type CeDev,
  type CeFirstStage,
  type CeTokens,
  type CrossEncoderTeacher,
  topKByInnerProduct,
  trainCrossEncoder,
} from "../cross_encoder/mod.ts";
import { modelEmbedder } from "../teacher_cache.ts";
import {
  BEST_MODEL_DIR,
  type DevSet,
  type EvalRecord,
  trainDualEncoderOnLabels,
  type TrainingEvent,
  type TrainingExample,
} from "../train/mod.ts";
import {
  engineSummary,
  PeakMemory,
  type PhaseSeconds,
  type TeacherProvenance,
} from "./provenance.ts";
import {
  CODE_SALT,
  resolvedConfigHash,
  type ResolvedCrossModel,
  type ResolvedDualModel,
  type ResolvedTeacherSettings,
  resolveTeacherSettings,
  type TeacherSettings,
} from "./settings.ts";

/** File names a teacher directory holds besides the model's own. */
export const TEACHER_FILES = {
  tokenizer: "tokenizer.json",
  run: "teacher_run.json",
  /** Written before training: the resolved settings and address a resume must match. */
  config: "teacher_config.json",
  checkpoints: "checkpoints",
  onnxQuery: "onnx-query",
  onnxDocument: "onnx-document",
} as const;

/** Progress of {@link trainTeacher}: the loop's events and the start of each phase. */
export type TeacherEvent =
  | TrainingEvent
  | { readonly kind: "phase"; readonly phase: keyof PhaseSeconds; readonly detail: string };

/** Everything {@link trainTeacher} needs: the settings, the data and where to write. */
export interface TeacherConfig extends TeacherSettings {
  /** The training split (its corpus is the corpus). */
  readonly train: LoadedSplit;
  /** Optional dev split (same corpus): evaluated during training, selects the saved model. */
  readonly dev?: LoadedSplit;
  /** The model directory to write (created if needed). */
  readonly outputDir: string;
  /** Continue from `outputDir/checkpoints` when present (default false). */
  readonly resume?: boolean;
  /** Write the ONNX exports (default true). */
  readonly exportOnnx?: boolean;
  /** Cache root for a first-stage model's embeddings (default `$EMBEDDISTILL_HOME`). */
  readonly home?: string;
  readonly onEvent?: (event: TeacherEvent) => void;
}

/** What {@link trainTeacher} produced. */
export interface TeacherResult {
  /** The model directory: config.json, model.safetensors, tokenizer.json, teacher_run.json. */
  readonly modelDir: string;
  readonly kind: "dual" | "cross";
  /**
   * ONNX encoder directories of a dual encoder's towers, each self-contained (model.onnx,
   * onnx_encoder.json, tokenizer.json); null for a cross-encoder or with `exportOnnx: false`.
   */
  readonly onnx: { readonly query: string; readonly document: string } | null;
  readonly settings: ResolvedTeacherSettings;
  readonly training: {
    readonly steps: number;
    readonly finalLoss: number | null;
    readonly evals: readonly EvalRecord[];
    readonly best:
      | { readonly step: number; readonly measure: string; readonly value: number }
      | null;
  };
  readonly provenance: TeacherProvenance;
}

/** The texts, tokenizer and training pairs of a split. */
interface Prepared {
  readonly tokenizer: WordPieceTokenizer;
  readonly documentTexts: readonly string[];
  readonly queryTexts: readonly string[];
  readonly examples: readonly TrainingExample[];
  readonly relevant: ReadonlyMap<number, ReadonlySet<number>>;
}

function trainingPairs(split: LoadedSplit): Pick<Prepared, "examples" | "relevant"> {
  const docIndex = new Map(split.corpus.map((d, i) => [d.id, i]));
  const examples: TrainingExample[] = [];
  const relevant = new Map<number, Set<number>>();
  split.queries.forEach((q, i) => {
    for (const [docId, label] of split.qrels.queries.get(q.id) ?? []) {
      const doc = docIndex.get(docId);
      if (label <= 0 || doc === undefined) continue;
      examples.push({ query: i, positive: doc });
      relevant.set(i, (relevant.get(i) ?? new Set()).add(doc));
    }
  });
  if (examples.length === 0) {
    throw new RangeError(
      `Cannot train a teacher on split "${split.split}" of "${split.dir}": no query has a relevant document in the corpus`,
    );
  }
  return { examples, relevant };
}

async function tokenizerOf(
  settings: ResolvedTeacherSettings,
  documentTexts: readonly string[],
  queryTexts: readonly string[],
): Promise<WordPieceTokenizer> {
  const v = settings.vocabulary;
  if (v.kind === "file") return new WordPieceTokenizer(await loadTokenizerJson(v.path));
  // Corpus and training queries only: no dev or test text enters the vocabulary.
  return new WordPieceTokenizer(
    bertTokenizerConfig(buildWordPieceVocab([...documentTexts, ...queryTexts], { size: v.size })),
  );
}

function prepare(split: LoadedSplit): Omit<Prepared, "tokenizer"> {
  return {
    documentTexts: split.corpus.map((d) => documentText(d, DEFAULT_TITLE_JOIN)),
    queryTexts: split.queries.map((q) => q.text),
    ...trainingPairs(split),
  };
}

/** The first stage that mines hard negatives, as candidate lists read it. */
async function firstStage(
  settings: ResolvedTeacherSettings,
  prepared: Prepared,
  home: string | undefined,
): Promise<CeFirstStage> {
  const from = settings.training.negativesFrom;
  const seed = settings.training.seed;
  if (from.kind === "bm25") return { kind: "bm25", seed };
  const embed = await modelEmbedder(from.path, home);
  const model: CeFirstStage = {
    kind: "embeddings",
    queries: await embed(prepared.queryTexts, "query"),
    documents: await embed(prepared.documentTexts, "document"),
  };
  if (from.kind === "model") return model;
  return { kind: "mix", stages: [{ kind: "bm25", seed }, model], depth: from.depth, seed };
}

async function withNegatives(
  settings: ResolvedTeacherSettings,
  prepared: Prepared,
  home: string | undefined,
): Promise<readonly TrainingExample[]> {
  const k = settings.training.hardNegatives;
  if (k === 0) return prepared.examples;
  return await candidateLists(
    {
      examples: prepared.examples,
      relevant: prepared.relevant,
      documentCount: prepared.documentTexts.length,
      texts: { queries: prepared.queryTexts, documents: prepared.documentTexts },
    },
    k,
    await firstStage(settings, prepared, home),
  );
}

function encoderConfig(
  m: ResolvedDualModel | ResolvedCrossModel,
  vocabSize: number,
  maxPositions: number,
) {
  return {
    vocabSize,
    hiddenSize: m.hidden,
    numLayers: m.layers,
    numHeads: m.heads,
    intermediateSize: m.intermediate,
    maxPositions,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
  };
}

function dualSpec(m: ResolvedDualModel, vocabSize: number): DualEncoderSpec {
  const tower = {
    encoder: encoderConfig(m, vocabSize, Math.max(m.queryMaxLength, m.documentMaxLength)),
  };
  return {
    kind: "dual",
    towers: m.towers === "shared"
      ? { kind: "shared", tower }
      : { kind: "separate", query: tower, document: tower },
    pooling: m.pooling,
    similarity: m.similarity,
    queryMaxLength: m.queryMaxLength,
    documentMaxLength: m.documentMaxLength,
  };
}

function crossSpec(m: ResolvedCrossModel, vocabSize: number): CrossEncoderSpec {
  return {
    kind: "cross",
    encoder: encoderConfig(m, vocabSize, m.maxLength),
    scorer: m.scorer === "cls"
      ? { kind: "cls" }
      : { kind: "dual-pooling", includeSpecialTokens: m.includeSpecialTokens },
    maxLength: m.maxLength,
  };
}

/** Seeded initial weights, warm-started from `initFrom`'s body when set. */
async function initialWeights(
  spec: ModelSpec,
  settings: ResolvedTeacherSettings,
): Promise<NamedTensors> {
  const weights = initModelWeights(spec, settings.training.initSeed);
  const from = settings.training.initFrom;
  if (from === null) return weights;
  return warmStart(weights, (await loadModelDir(from)).weights, from).weights;
}

/** Refuse a vocabulary other than `initFrom`'s: its embedding rows would name other tokens. */
async function checkInitVocabulary(
  settings: ResolvedTeacherSettings,
  tokenizer: WordPieceTokenizer,
): Promise<void> {
  const from = settings.training.initFrom;
  if (from === null) return;
  const path = join(from, TEACHER_FILES.tokenizer);
  const theirs = new WordPieceTokenizer(await loadTokenizerJson(path)).vocab.tokens;
  const ours = tokenizer.vocab.tokens;
  const differs = theirs.findIndex((token, i) => ours[i] !== token);
  if (theirs.length !== ours.length || differs >= 0) {
    throw new TypeError(
      `Cannot start from "${from}": its vocabulary (${path}, ${theirs.length} tokens) differs from the teacher's (${ours.length} tokens${
        differs >= 0 ? `, first at id ${differs}` : ""
      }); leave the vocabulary unset to use its tokenizer.json`,
    );
  }
}

function stepsOf(settings: ResolvedTeacherSettings, examples: number): number {
  const { length, batchSize } = settings.training;
  return length.kind === "steps"
    ? length.steps
    : Math.max(1, Math.ceil((length.epochs * examples) / batchSize));
}

function checkDev(train: LoadedSplit, dev: LoadedSplit | undefined): void {
  if (dev === undefined) return;
  const same = dev.corpus.length === train.corpus.length &&
    dev.corpus.every((d, i) => d.id === train.corpus[i]!.id);
  if (!same) {
    throw new RangeError(
      `Cannot use dev split "${dev.split}" of "${dev.dir}": its corpus (${dev.corpus.length} documents) is not the training split's (${train.corpus.length})`,
    );
  }
}

/** What a run trained: the weights to save and the loop's outcome. */
interface Trained {
  readonly spec: ModelSpec;
  readonly weights: NamedTensors;
  readonly steps: number;
  readonly losses: readonly number[];
  readonly evals: readonly EvalRecord[];
  readonly best: TeacherResult["training"]["best"];
}

async function bestOrLast(
  checkpointDir: string,
  best: Trained["best"],
  last: NamedTensors,
): Promise<NamedTensors> {
  if (best === null) return last;
  return (await loadModelDir(join(checkpointDir, BEST_MODEL_DIR))).weights;
}

/** A dual encoder's token ids (special tokens included, cut to the model's lengths). */
interface DualTokens {
  readonly documents: readonly (readonly number[])[];
  readonly queries: readonly (readonly number[])[];
  readonly dev: DevSet | undefined;
}

function tokeniseDual(
  settings: ResolvedTeacherSettings,
  m: ResolvedDualModel,
  config: TeacherConfig,
  prepared: Prepared,
): DualTokens {
  const { tokenizer } = prepared;
  const query = (text: string) => tokenizer.encode(text, { maxLength: m.queryMaxLength }).ids;
  const dev = config.dev;
  return {
    documents: prepared.documentTexts.map((text) =>
      tokenizer.encode(text, { maxLength: m.documentMaxLength }).ids
    ),
    queries: prepared.queryTexts.map(query),
    dev: dev === undefined ? undefined : {
      queryIds: dev.queries.map((q) => q.id),
      queries: dev.queries.map((q) => query(q.text)),
      documentIds: config.train.corpus.map((d) => d.id),
      qrels: dev.qrels,
      measures: settings.training.devMeasures,
    },
  };
}

async function trainDual(
  m: ResolvedDualModel,
  config: TeacherConfig,
  settings: ResolvedTeacherSettings,
  prepared: Prepared,
  examples: readonly TrainingExample[],
  tokens: DualTokens,
): Promise<Trained> {
  const spec = dualSpec(m, prepared.tokenizer.vocab.tokens.length);
  const t = settings.training;
  const steps = stepsOf(settings, examples.length);
  const { documents, queries, dev } = tokens;
  const checkpointDir = join(config.outputDir, TEACHER_FILES.checkpoints);
  const model = createDualEncoder(spec, await initialWeights(spec, settings));
  try {
    const result = await trainDualEncoderOnLabels(model, { queries, documents, examples }, {
      steps,
      batchSize: t.batchSize,
      seed: t.seed,
      learningRate: t.learningRate,
      ...(t.warmupSteps === null ? {} : { warmupSteps: t.warmupSteps }),
      ...(t.evalEvery === null ? {} : { evalEvery: t.evalEvery }),
      negativesPerQuery: t.hardNegatives,
      checkpointDir,
      resume: config.resume ?? false,
      ...(dev === undefined ? {} : { dev }),
      ...(config.onEvent === undefined ? {} : { onEvent: config.onEvent }),
    });
    const weights = await bestOrLast(checkpointDir, result.best, fromVariables(model.params));
    return { spec, weights, ...result };
  } finally {
    disposeParameters(model.params);
  }
}

/**
 * Dev evaluation of a cross-encoder: re-rank each dev query's top `depth` of the first stage its
 * negatives come from — the model's when a model gives negatives (as the CE will re-rank it), else
 * BM25's.
 */
async function crossDev(
  settings: ResolvedTeacherSettings,
  config: TeacherConfig,
  prepared: Prepared,
  trainQueries: number,
  every: number,
  depth = 30,
): Promise<CeDev | undefined> {
  const dev = config.dev;
  if (dev === undefined) return undefined;
  const from = settings.training.negativesFrom;
  const texts = dev.queries.map((q) => q.text);
  let candidates: number[][];
  if (from.kind === "bm25") {
    const index = await buildBm25Index(
      prepared.documentTexts.map((text, i) => ({ id: String(i), title: "", text })),
      { fields: "text" },
    );
    const searcher = new Bm25Searcher(index);
    candidates = texts.map((q) => searcher.search(q, depth).map((h) => +h.docId));
  } else {
    const embed = await modelEmbedder(from.path, config.home);
    const top = topKByInnerProduct(
      await embed(texts, "query"),
      await embed(prepared.documentTexts, "document"),
      depth,
    );
    candidates = top.map((t) => [...t.indices]);
  }
  const measures = settings.training.devMeasures.map(parseMeasure);
  const ids = config.train.corpus.map((d) => d.id);
  return {
    every,
    select: settings.training.devMeasures[0]!,
    evaluate: (score, step) => {
      const pairs = candidates.flatMap((list, q) =>
        list.map((d) => [trainQueries + q, d] as const)
      );
      const scores = score(pairs);
      let at = 0;
      const run = runFromRankings(candidates.map((list, q) => {
        const hits = list.map((d) => ({ docId: ids[d]!, score: scores[at++]! }));
        return [dev.queries[q]!.id, hits] as const;
      }));
      const metrics: Record<string, number> = {};
      for (const r of evaluate(dev.qrels, run, measures)) metrics[r.name] = r.mean;
      return Promise.resolve({ step, metrics });
    },
  };
}

/** A cross-encoder's bare token ids: training queries, then dev queries; documents. */
function tokeniseCross(config: TeacherConfig, prepared: Prepared): CeTokens {
  const { tokenizer } = prepared;
  const devQueries = config.dev?.queries.map((q) => tokenizer.tokenIds(q.text)) ?? [];
  return {
    queries: [...prepared.queryTexts.map((q) => tokenizer.tokenIds(q)), ...devQueries],
    documents: prepared.documentTexts.map((d) => tokenizer.tokenIds(d)),
    clsId: tokenizer.clsId,
    sepId: tokenizer.sepId,
  };
}

async function trainCross(
  m: ResolvedCrossModel,
  config: TeacherConfig,
  settings: ResolvedTeacherSettings,
  prepared: Prepared,
  examples: readonly TrainingExample[],
  tokens: CeTokens,
): Promise<Trained> {
  const spec = crossSpec(m, prepared.tokenizer.vocab.tokens.length);
  const t = settings.training;
  const steps = stepsOf(settings, examples.length);
  const every = Math.max(1, t.evalEvery ?? Math.floor(steps / 5));
  const dev = await crossDev(settings, config, prepared, prepared.queryTexts.length, every);
  const checkpointDir = join(config.outputDir, TEACHER_FILES.checkpoints);
  const initial: CrossEncoderTeacher = { spec, weights: await initialWeights(spec, settings) };
  const losses: number[] = [];
  const evals: EvalRecord[] = [];
  let best: Trained["best"] = null;
  const onEvent = (e: TrainingEvent) => {
    if (e.kind === "eval") {
      evals.push(e.record);
      if (e.best && dev !== undefined) {
        best = { step: e.record.step, measure: dev.select, value: e.record.metrics[dev.select]! };
      }
    }
    config.onEvent?.(e);
  };
  const result = await trainCrossEncoder(initial, tokens, examples, {
    steps,
    batchSize: t.batchSize,
    seed: t.seed,
    negatives: t.hardNegatives,
    learningRate: t.learningRate,
    ...(t.warmupSteps === null ? {} : { warmupSteps: t.warmupSteps }),
    documentAloneWeight: m.documentAloneWeight,
    checkpoints: { dir: checkpointDir, every, resume: config.resume ?? false },
    ...(dev === undefined ? {} : { dev }),
    onEvent,
  });
  losses.push(...result.losses);
  const weights = await bestOrLast(checkpointDir, best, result.teacher.weights);
  return { spec, weights, steps, losses, evals, best };
}

/** The engine state, initialising the default engine when no one has (idempotent). */
async function currentEngine(): Promise<EngineState> {
  return engineState() ?? await initEngine();
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Refuse to resume into a directory whose earlier run had another address (other settings, data
 * or code salt); otherwise record this run's resolved settings and address.
 */
async function claimOutput(
  dir: string,
  settings: ResolvedTeacherSettings,
  configHash: string,
  resume: boolean,
): Promise<void> {
  const path = join(dir, TEACHER_FILES.config);
  if (resume && await pathExists(path)) {
    const earlier = JSON.parse(await Deno.readTextFile(path)) as { configHash?: unknown };
    if (earlier.configHash !== configHash) {
      throw new RangeError(
        `Cannot resume the teacher in "${dir}": it was started with configuration ${
          String(earlier.configHash)
        }, this run's is ${configHash} (other settings, data or code)`,
      );
    }
  }
  await Deno.mkdir(dir, { recursive: true });
  await writeJson(path, { codeSalt: CODE_SALT, configHash, settings });
}

/**
 * Train a teacher from scratch on the labels of `config.train` and write it to
 * `config.outputDir`: `config.json` + `model.safetensors` (the best dev checkpoint, else the last
 * step), `tokenizer.json`, for a dual encoder `onnx-query/` and `onnx-document/` (each loads on
 * its own with `OnnxTextEncoder.load`), `teacher_run.json` (resolved settings, training outcome,
 * provenance) and `checkpoints/` (resume with `resume: true`). A dual encoder trains with the
 * one-hot loss over in-batch (and optional hard) negatives; a cross-encoder with the listwise
 * one-hot loss over [positive, k hard negatives] lists. Initialises the default engine when no
 * engine was initialised. The same settings, data and {@link CODE_SALT} give the same weights
 * (`provenance.modelHash`) for a fixed backend and thread count.
 *
 * @example
 * ```ts
 * const train = await loadSplit({ kind: "dataset", id: "synthetic/tiny" }, "train");
 * const dev = await loadSplit({ kind: "dataset", id: "synthetic/tiny" }, "dev");
 * const { modelDir, provenance } = await trainTeacher({
 *   train,
 *   dev,
 *   model: { kind: "dual", layers: 2, hidden: 128, pooling: "mean" },
 *   training: { length: { kind: "steps", steps: 500 } },
 *   outputDir: "results/teachers/tiny",
 * });
 * ```
 */
export async function trainTeacher(config: TeacherConfig): Promise<TeacherResult> {
  const settings = resolveTeacherSettings(config);
  const data = config.dev === undefined
    ? { train: config.train }
    : { train: config.train, dev: config.dev };
  checkDev(config.train, config.dev);
  const memory = new PeakMemory();
  const engine = await currentEngine();
  const configHash = await resolvedConfigHash(settings, data);
  await claimOutput(config.outputDir, settings, configHash, config.resume ?? false);
  const phase = (name: keyof PhaseSeconds, detail: string) =>
    config.onEvent?.({ kind: "phase", phase: name, detail });

  let t0 = performance.now();
  phase(
    "tokenise",
    `${config.train.corpus.length} documents, ${config.train.queries.length} queries`,
  );
  const base = prepare(config.train);
  const tokenizer = await tokenizerOf(settings, base.documentTexts, base.queryTexts);
  await checkInitVocabulary(settings, tokenizer);
  const prepared: Prepared = { ...base, tokenizer };
  const examples = await withNegatives(settings, prepared, config.home);
  const m = settings.model;
  // The model and its tokens, as one union narrowed by kind.
  const job = m.kind === "dual"
    ? { kind: "dual" as const, m, tokens: tokeniseDual(settings, m, config, prepared) }
    : { kind: "cross" as const, m, tokens: tokeniseCross(config, prepared) };
  memory.sample();
  const tokenise = (performance.now() - t0) / 1000;

  t0 = performance.now();
  phase("train", `${settings.model.kind}-encoder, ${stepsOf(settings, examples.length)} steps`);
  const sampling = (e: TeacherEvent) => {
    if (e.kind === "step" && e.step % 10 === 0) memory.sample();
    config.onEvent?.(e);
  };
  const withSampling = { ...config, onEvent: sampling };
  const trained = job.kind === "dual"
    ? await trainDual(job.m, withSampling, settings, prepared, examples, job.tokens)
    : await trainCross(job.m, withSampling, settings, prepared, examples, job.tokens);
  const train = (performance.now() - t0) / 1000;

  t0 = performance.now();
  phase("export", config.outputDir);
  const dir = config.outputDir;
  await saveModelDir(dir, trained.spec, trained.weights);
  await writeJson(join(dir, TEACHER_FILES.tokenizer), toTokenizerJson(tokenizer.config));
  let onnx: TeacherResult["onnx"] = null;
  if (trained.spec.kind === "dual" && (config.exportOnnx ?? true)) {
    const query = join(dir, TEACHER_FILES.onnxQuery);
    const document = join(dir, TEACHER_FILES.onnxDocument);
    for (const [side, path] of [["query", query], ["document", document]] as const) {
      await exportDualEncoderTower(path, trained.spec, trained.weights, side);
      await writeJson(join(path, TEACHER_FILES.tokenizer), toTokenizerJson(tokenizer.config));
    }
    onnx = { query, document };
  }
  if (trained.spec.kind === "dual") {
    // Also a sentence-transformers folder (extra files: the model hash does not change).
    await exportEcosystemFiles(dir, trained.spec, trained.weights, tokenizer.config, {
      onnx: config.exportOnnx ?? true,
    });
  }
  memory.sample();
  const provenance: TeacherProvenance = {
    modelHash: modelHash(trained.spec, trained.weights),
    configHash,
    codeSalt: CODE_SALT,
    datasetChecksum: config.train.checksum,
    devChecksum: config.dev?.checksum ?? null,
    engine: engineSummary(engine),
    seed: settings.training.seed,
    initSeed: settings.training.initSeed,
    seconds: { tokenise, train, export: (performance.now() - t0) / 1000 },
    peakRssBytes: memory.peak(),
  };
  const result: TeacherResult = {
    modelDir: dir,
    kind: trained.spec.kind,
    onnx,
    settings,
    training: {
      steps: trained.steps,
      finalLoss: trained.losses.at(-1) ?? null,
      evals: trained.evals,
      best: trained.best,
    },
    provenance,
  };
  await writeJson(join(dir, TEACHER_FILES.run), {
    ...result,
    data: {
      train: { source: config.train.source, split: config.train.split, dir: config.train.dir },
      dev: config.dev === undefined
        ? null
        : { source: config.dev.source, split: config.dev.split, dir: config.dev.dir },
    },
  });
  return result;
}
