/**
 * The library pipeline of a reproduce run: the `Pipeline` that cells call, built on the layers'
 * public faces only (data `loadSplit`, distill `trainTeacher` / `distill`, retrieval
 * `evaluateRetriever`, models `parameterCount`). The preset resolves into explicit settings here;
 * the library knows no preset names.
 *
 * Teachers are content-addressed: `results/teachers/<teacherConfigHash>` is reused by every table
 * and run with the same settings and data, and a killed teacher resumes from its checkpoints.
 *
 * @module
 */

import { join } from "node:path";
import {
  type LoadedSplit,
  loadSplit,
  loadUnlabelled,
  resolveSplitSource,
} from "../src/data/mod.ts";
import { SalientTermGenerator } from "../src/querygen/mod.ts";
import {
  type CeFirstStage,
  distill,
  modelEmbedder,
  type StudentInit,
  type StudentSpec,
  TEACHER_DEFAULTS,
  TEACHER_FILES,
  teacherConfigHash,
  type TeacherSettings,
  type TrainingEvent,
  trainTeacher,
} from "../src/distill/mod.ts";
import { evaluateAnswers, type MeasureResult, parseMeasure, type Run } from "../src/eval/mod.ts";
import { pathExists } from "../src/io/mod.ts";
import {
  type BertConfig,
  loadModelDir,
  modelHash,
  type ModelSpec,
  parameterCount,
  readModelSpec,
  towerOf,
} from "../src/models/mod.ts";
import { DEFAULT_TITLE_JOIN, documentText } from "../src/models/onnx/mod.ts";
import {
  bm25Retriever,
  evaluateRetriever,
  modelRetriever,
  rerankRetriever,
  type Retriever,
} from "../src/retrieval/mod.ts";
import type {
  Evaluation,
  Pipeline,
  StudentArtefact,
  StudentRequest,
  TeacherArtefact,
} from "./cell_run.ts";
import { readAnswers } from "./answers.ts";
import type { CrossEncoderRole, ExperimentDefinition } from "./definition.ts";
import {
  CROSS_ENCODER_PRESETS,
  type CrossEncoderPreset,
  type EncoderShape,
  type Preset,
} from "./presets.ts";

/** Where the pipeline keeps what it makes and how verbose it is. */
export interface PipelineSettings {
  /** results/: teachers go to `teachers/<hash>`. */
  readonly resultsRoot: string;
  /** Cache root of datasets and document indexes (default `$EMBEDDISTILL_HOME`). */
  readonly home?: string;
  /** Progress lines (phases, dev evaluations), for stderr. */
  readonly log?: (line: string) => void;
  /** Distil this teacher (a model directory) instead of training the preset's. */
  readonly teacherDir?: string;
  /** A display of one training's steps (a bar on a terminal), made per training. */
  readonly display?: () => TrainingDisplay;
}

/** What shows a training's progress: its events, then `finish` once it ends. */
export interface TrainingDisplay {
  readonly onEvent: (event: TrainingEvent) => void;
  readonly finish: () => void;
}

/** The three splits of an experiment's data under a preset. */
interface Splits {
  readonly train: LoadedSplit;
  readonly dev: LoadedSplit;
  readonly test: LoadedSplit;
}

/** Query-tower parameters of a dual encoder's spec. */
function queryParameters(spec: ModelSpec): TeacherArtefact["parameters"] {
  const count = parameterCount(spec);
  const tower = count.kind === "dual" ? count.query : count.encoder;
  return { withEmbeddings: tower.total, withoutEmbeddings: tower.withoutEmbeddingTable };
}

/** The content hash (`modelHash`) of the model in `dir`. */
export async function modelDirHash(dir: string): Promise<string> {
  const model = await loadModelDir(dir);
  return modelHash(model.spec, model.weights);
}

/** A teacher the user brought: its directory as it is. */
async function givenTeacher(dir: string): Promise<TeacherArtefact> {
  const model = await loadModelDir(dir);
  if (model.spec.kind !== "dual") {
    throw new TypeError(
      `Cannot use "${dir}" as the teacher: it holds a ${model.spec.kind} encoder, expected a dual encoder`,
    );
  }
  return {
    dir,
    hash: modelHash(model.spec, model.weights),
    parameters: queryParameters(model.spec),
    provenance: { given: dir },
    timings: {},
    peakRss: 0,
  };
}

/** The provenance a finished teacher directory recorded (teacher_run.json), or null if unfinished. */
async function finishedTeacher(dir: string): Promise<Record<string, unknown> | null> {
  const path = join(dir, TEACHER_FILES.run);
  if (!(await pathExists(path))) return null;
  const run = JSON.parse(await Deno.readTextFile(path)) as { provenance?: Record<string, unknown> };
  return run.provenance ?? {};
}

/**
 * The dual-encoder teacher settings of a preset (the library's `TeacherSettings`, explicit): the
 * same for every table, so tables share one teacher (a CE -> DE table's first stage and reference).
 */
export function teacherSettings(experiment: ExperimentDefinition, preset: Preset): TeacherSettings {
  const t = preset.teacher;
  return {
    model: {
      kind: "dual",
      layers: t.shape.layers,
      hidden: t.shape.hidden,
      heads: t.shape.heads,
      intermediate: t.shape.intermediate,
      pooling: t.pooling,
      similarity: t.similarity.kind === "cosine"
        ? { kind: "cosine", scale: t.similarity.scale }
        : { kind: "dot" },
      queryMaxLength: t.queryMaxLength,
      documentMaxLength: t.documentMaxLength,
    },
    training: {
      length: { kind: "epochs", epochs: experiment.teacherEpochs?.[preset.name] ?? t.epochs },
      batchSize: t.batchSize,
      learningRate: t.learningRate,
      hardNegatives: t.hardNegatives,
      negativesFrom: { kind: "bm25" },
      devMeasures: [...experiment.measures.filter((m) => !m.startsWith("R@"))],
    },
  };
}

/**
 * The settings of cross-encoder `role` of `experiment` under `preset` (the library's
 * `TeacherSettings`, explicit): the DE teacher's shape and vocabulary (its tokenizer.json), hard
 * negatives half from BM25 and half from the DE teacher in `deDir`, the body warm-started from it
 * when the preset says so.
 */
export function crossEncoderSettings(
  experiment: ExperimentDefinition,
  role: CrossEncoderRole,
  preset: Preset,
  deDir: string,
): TeacherSettings {
  const ce: CrossEncoderPreset = CROSS_ENCODER_PRESETS[preset.name];
  const s = preset.teacher.shape;
  return {
    model: {
      kind: "cross",
      layers: s.layers,
      hidden: s.hidden,
      heads: s.heads,
      intermediate: s.intermediate,
      scorer: role.scorer,
      maxLength: ce.maxLength,
      ...(role.scorer === "dual-pooling" ? { documentAloneWeight: role.regulariser } : {}),
    },
    vocabulary: { kind: "file", path: join(deDir, TEACHER_FILES.tokenizer) },
    training: {
      length: { kind: "steps", steps: ce.steps },
      batchSize: ce.batchSize,
      learningRate: ce.learningRate,
      hardNegatives: ce.negatives,
      negativesFrom: { kind: "mixed", path: deDir, depth: ce.negativeDepth },
      initFrom: ce.warmStart && role.init === "teacher" ? deDir : null,
      evalEvery: Math.max(1, Math.floor(ce.steps / 2)),
      devMeasures: [...experiment.measures.filter((m) => !m.startsWith("R@"))],
    },
  };
}

function crossEncoderRole(experiment: ExperimentDefinition, id: string): CrossEncoderRole {
  const role = experiment.teacher.kind === "cross"
    ? experiment.teacher.crossEncoders.find((ce) => ce.id === id)
    : undefined;
  if (role === undefined) {
    throw new RangeError(
      `Cannot train cross-encoder "${id}": ${experiment.id} has no such teacher`,
    );
  }
  return role;
}

/** The student's query encoder: the preset's shape on the teacher's vocabulary. */
function studentEncoder(teacher: ModelSpec, shape: EncoderShape): BertConfig {
  if (teacher.kind !== "dual") throw new TypeError("Cannot size a student of a cross-encoder here");
  return {
    ...towerOf(teacher, "query").encoder,
    numLayers: shape.layers,
    hiddenSize: shape.hidden,
    numHeads: shape.heads,
    intermediateSize: shape.intermediate,
  };
}

/** The teacher's encoder with the shape's depth: its width, heads and intermediate size kept. */
function teacherWidthEncoder(teacher: ModelSpec, shape: EncoderShape): BertConfig {
  if (teacher.kind !== "dual") throw new TypeError("Cannot size a student of a cross-encoder here");
  return { ...towerOf(teacher, "query").encoder, numLayers: shape.layers };
}

async function fileBytes(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Success@k of `run` on `split` by DPR answer matching, for the measures that are Success@k, when
 * the split's queries carry answers (none: an empty list, the qrels' values stand).
 */
async function answerResults(
  run: Run,
  split: LoadedSplit,
  measures: readonly string[],
): Promise<MeasureResult[]> {
  const success = measures.map((m) => parseMeasure(m)).filter((m) => m.kind === "Success");
  if (success.length === 0) return [];
  const answers = await readAnswers(split.dir);
  const asked = new Set(split.queries.map((q) => q.id));
  const judged = new Map([...answers].filter(([id]) => asked.has(id)));
  if (judged.size === 0) return [];
  const texts = new Map(split.corpus.map((d) => [d.id, d.text]));
  return evaluateAnswers(run, (id) => texts.get(id), judged, success);
}

/** Build the library pipeline of `experiment` under `preset`. */
export function libraryPipeline(
  experiment: ExperimentDefinition,
  preset: Preset,
  settings: PipelineSettings,
): Pipeline {
  const data = experiment.data[preset.name];
  const home = settings.home === undefined ? {} : { home: settings.home };
  const log = settings.log ?? (() => {});
  let splits: Promise<Splits> | null = null;
  const loadSplits = () =>
    splits ??= (async () => {
      const source = await resolveSplitSource(data.dataset);
      const [train, dev, test] = await Promise.all(
        [data.train, data.dev, data.test].map((s) => loadSplit(source, s, home)),
      );
      return { train: train!, dev: dev!, test: test! };
    })();
  let teacher: Promise<TeacherArtefact> | null = null;

  /** Train the teacher of `wanted` into results/teachers/<its hash>, or reuse it there. */
  const trainOrReuse = async (name: string, wanted: TeacherSettings): Promise<TeacherArtefact> => {
    const { train, dev } = await loadSplits();
    const hash = await teacherConfigHash(wanted, { train, dev });
    const dir = join(settings.resultsRoot, "teachers", hash);
    let provenance = await finishedTeacher(dir);
    if (provenance === null) {
      log(
        `${name} ${
          hash.slice(0, 12)
        }: training on ${data.dataset} (${train.queries.length} queries)`,
      );
      const display = settings.display?.();
      try {
        const result = await trainTeacher({
          ...wanted,
          train,
          dev,
          outputDir: dir,
          resume: true,
          ...home,
          onEvent: (e) => {
            if (e.kind === "phase") log(`${name}: ${e.phase} ${e.detail}`);
            else display?.onEvent(e);
          },
        });
        provenance = { ...result.provenance };
      } finally {
        display?.finish();
      }
    } else {
      log(`${name} ${hash.slice(0, 12)}: reused ${dir}`);
    }
    const seconds = (provenance["seconds"] ?? {}) as Record<string, number>;
    return {
      dir,
      hash,
      parameters: queryParameters(await readModelSpec(dir)),
      provenance,
      timings: Object.fromEntries(Object.entries(seconds).map(([k, v]) => [`${name}/${k}`, v])),
      peakRss: Number(provenance["peakRssBytes"] ?? 0),
    };
  };
  const pipelineTeacher = () =>
    teacher ??= settings.teacherDir === undefined
      ? trainOrReuse("teacher", teacherSettings(experiment, preset))
      : givenTeacher(settings.teacherDir);
  const crossEncoders = new Map<string, Promise<TeacherArtefact>>();
  const crossEncoder = (id: string): Promise<TeacherArtefact> => {
    let found = crossEncoders.get(id);
    if (found === undefined) {
      found = (async () => {
        const de = await pipelineTeacher();
        return await trainOrReuse(
          id,
          crossEncoderSettings(experiment, crossEncoderRole(experiment, id), preset, de.dir),
        );
      })();
      crossEncoders.set(id, found);
    }
    return found;
  };
  /** The candidate lists a CE's student learns on: as the CE was trained (BM25 + DE teacher). */
  const studentFirstStage = async (deDir: string): Promise<CeFirstStage> => {
    const { train } = await loadSplits();
    const ce = CROSS_ENCODER_PRESETS[preset.name];
    const embed = await modelEmbedder(deDir, settings.home);
    // The seed the CE teachers' own lists were drawn with (their settings leave it at the default).
    const seed = TEACHER_DEFAULTS.seed;
    return {
      kind: "mix",
      stages: [
        { kind: "bm25", seed },
        {
          kind: "embeddings",
          queries: await embed(train.queries.map((q) => q.text), "query"),
          documents: await embed(
            train.corpus.map((d) => documentText(d, DEFAULT_TITLE_JOIN)),
            "document",
          ),
        },
      ],
      depth: ce.negativeDepth,
      seed,
    };
  };

  const student = async (request: StudentRequest): Promise<StudentArtefact> => {
    const { train, dev, test } = await loadSplits();
    const teacherSpec = await readModelSpec(request.teacher.dir);
    const variant = request.variant ?? {};
    const encoder = variant.width === "teacher"
      ? teacherWidthEncoder(teacherSpec, request.shape)
      : studentEncoder(teacherSpec, request.shape);
    const init: StudentInit = variant.init === "teacher-layers"
      ? {
        kind: "teacher-layers",
        layers: Array.from({ length: encoder.numLayers }, (_, i) => i),
        seed: request.seed,
      }
      : { kind: "random", seed: request.seed };
    const projection = variant.projection === undefined ? {} : { projection: variant.projection };
    const spec: StudentSpec = request.mode === "asymmetric"
      ? { kind: "asymmetric", encoder, init, ...projection }
      : { kind: "symmetric", towers: "shared", encoder, init, ...projection };
    const pairs = train.judgments.filter((j) => j.label > 0).length;
    const batchSize = preset.student.batchSize;
    const steps = Math.max(1, preset.student.epochs * Math.floor(pairs / batchSize));
    const qg = request.queryGeneration;
    // Generated from the dataset's unlabelled pool; no generated query may copy a test query.
    const unlabelled = qg === null
      ? null
      : await loadUnlabelled(train.dir, train.corpus, [train.qrels, dev.qrels, test.qrels]);
    const began = performance.now();
    const display = settings.display?.();
    const agreement: [number, number, number][] = [];
    const ce = request.crossEncoder;
    const result = await distill({
      teacher: { kind: "dir", path: ce?.dir ?? request.teacher.dir },
      ...(ce === null || teacherSpec.kind !== "dual" ? {} : {
        crossEncoder: {
          negatives: CROSS_ENCODER_PRESETS[preset.name].negatives,
          firstStage: await studentFirstStage(request.teacher.dir),
          // Symmetric: the joint pass's pooled pair, whose inner product is the CE's score.
          // Asymmetric: the CE's document-alone embeddings are the frozen documents.
          documentSide: request.mode === "asymmetric" ? "document-alone" : "pair",
          scoring: CROSS_ENCODER_PRESETS[preset.name].studentScoring,
          queryMaxLength: teacherSpec.queryMaxLength,
          documentMaxLength: teacherSpec.documentMaxLength,
        },
      }),
      data: {
        corpus: train.corpus,
        trainQueries: train.queries,
        trainQrels: train.qrels,
        // Dev picks the learning rate of the grid; with one value there is nothing to pick (and a
        // symmetric student's dev pass encodes the whole corpus).
        ...(preset.student.learningRates.length > 1
          ? { devQueries: dev.queries, devQrels: dev.qrels }
          : {}),
        ...(unlabelled === null ? {} : { unlabelled: unlabelled.documents }),
      },
      ...(qg === null ? {} : {
        queryGeneration: {
          generator: new SalientTermGenerator({ queriesPerDocument: qg.perDocument }),
          perDocument: qg.perDocument,
          weight: qg.weight,
          heldOut: [...dev.queries, ...test.queries],
        },
      }),
      datasetChecksum: train.checksum,
      student: spec,
      loss: request.loss,
      training: {
        steps,
        batchSize,
        learningRate: request.learningRate,
        seed: request.seed,
        // Dev once, at the end; checkpoints four times, so a killed cell resumes.
        evalEvery: steps,
        checkpointEvery: Math.max(1, Math.floor(steps / 4)),
      },
      outputDir: request.outputDir,
      resume: true,
      ...home,
      onEvent: (e) => {
        // The teacher-student agreement the loop measures every few steps, kept as curves.
        if (e.kind === "step" && e.agreement !== undefined) {
          agreement.push([e.step, e.agreement.queryCosine, e.agreement.scoreCorrelation]);
        }
        display?.onEvent(e);
      },
    }).finally(() => display?.finish());
    const seconds = (performance.now() - began) / 1000;
    const training = result.training;
    const stride = Math.max(1, Math.floor(training.losses.length / 200));
    const loss = training.losses.flatMap((v, i) =>
      (i + 1) % stride === 0 ? [[i + 1, v] as const] : []
    );
    const curves: Record<string, (readonly [number, number])[]> = { loss };
    const every = Math.max(1, Math.floor(agreement.length / 200));
    const sampled = agreement.filter((_, i) => (i + 1) % every === 0);
    const finite = (pairs: (readonly [number, number])[]) => pairs.filter(([, v]) => isFinite(v));
    if (sampled.length > 0) {
      curves["agreement/query-cosine"] = finite(sampled.map(([step, c]) => [step, c] as const));
      curves["agreement/score-correlation"] = finite(
        sampled.map(([step, , r]) => [step, r] as const),
      );
    }
    for (const record of training.evals) {
      for (const [measure, value] of Object.entries(record.metrics)) {
        (curves[`dev/${measure}`] ??= []).push([record.step, value]);
      }
    }
    return {
      dir: result.modelDir,
      hash: result.provenance.modelHash,
      parameters: queryParameters(await readModelSpec(result.modelDir)),
      dev: training.best?.value ?? 0,
      curves,
      provenance: {
        ...result.provenance,
        steps,
        settings: result.settings,
        ...(result.queryGeneration === null ? {} : { queryGeneration: result.queryGeneration }),
      },
      timings: {
        "student/train": training.seconds.training,
        "student/dev": training.seconds.evaluation,
        "student/total": seconds,
      },
      peakRss: result.provenance.peakRssBytes,
      modelBytes: await fileBytes(join(result.modelDir, "model.safetensors")),
    };
  };

  const evaluate = async (
    retriever: Retriever,
    runFile: string,
    protocol: Preset["latency"] | false = preset.latency,
    target?: { readonly split: LoadedSplit; readonly measures: readonly string[] },
  ): Promise<Evaluation> => {
    const split = target?.split ?? (await loadSplits()).test;
    const measures = target?.measures ?? experiment.measures;
    const result = await evaluateRetriever(retriever, split, measures, {
      runPath: runFile,
      ...home,
      latency: protocol,
      tag: "embeddistill",
    });
    const perQuery: Record<string, Record<string, number>> = {};
    const aggregates: Record<string, number> = { ...result.aggregates };
    for (const r of result.results) perQuery[r.name] = Object.fromEntries(r.perQuery);
    const judgedBy: Record<string, string> = {};
    if (experiment.answerMatching === true) {
      // Success@k by DPR answer matching where the queries carry answers (qrels otherwise).
      for (const r of await answerResults(result.run, split, measures)) {
        perQuery[r.name] = Object.fromEntries(r.perQuery);
        aggregates[r.name] = r.mean;
        judgedBy[r.name] = `DPR answer matching over ${r.perQuery.size} questions with answers`;
      }
    }
    const latency = result.timings.latency;
    // The online cost the students cut: tokenisation + query encoding (the search over the
    // index is the same for every student of one teacher).
    const query = latency?.stages["query"];
    const tokenize = latency?.stages["tokenize"];
    return {
      metrics: aggregates,
      perQuery,
      ...(Object.keys(judgedBy).length === 0 ? {} : { judgedBy }),
      latency: latency === null || query === undefined ? null : {
        p50: query.p50Ms,
        p95: query.p95Ms,
        tokenizeP50: tokenize?.p50Ms ?? 0,
        queries: latency.queries,
        threads: latency.intraOpThreads,
      },
      indexBytesFp32: result.index?.fp32Bytes ?? 0,
      indexBytesFp16: result.index?.fp16Bytes ?? 0,
      timings: {
        ...Object.fromEntries(
          Object.entries(result.timings.phases).map(([k, v]) => [`test/${k}`, v]),
        ),
        ...(result.index?.encoding
          ? { "test/documents-per-second": result.index.encoding.documentsPerSecond }
          : {}),
      },
    };
  };

  return {
    teacher: pipelineTeacher,
    student,
    evaluate: async (modelDir, runFile) => evaluate(await modelRetriever(modelDir), runFile),
    bm25: (runFile) => evaluate(bm25Retriever(), runFile),
    evaluateOn: async (modelDir, dataset, measures, runFile) => {
      const split = await loadSplit(await resolveSplitSource(dataset), "test", home);
      const retriever = modelDir === null ? bm25Retriever() : await modelRetriever(modelDir);
      return await evaluate(retriever, runFile, false, { split, measures });
    },
    crossEncoder,
    rerank: async (crossEncoderDir, runFile) => {
      const de = await pipelineTeacher();
      const firstStage = await modelRetriever(de.dir);
      const depth = CROSS_ENCODER_PRESETS[preset.name].rerankDepth;
      // A CE scores `depth` pairs per query: the latency protocol times fewer queries.
      const latency = {
        warmup: Math.min(preset.latency.warmup, 5),
        maxQueries: Math.min(preset.latency.maxQueries, 50),
      };
      return await evaluate(
        await rerankRetriever(firstStage, crossEncoderDir, depth),
        runFile,
        latency,
      );
    },
  };
}
