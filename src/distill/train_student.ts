/**
 * The student's side of distillation: build it from the prepared teacher, train it by the one
 * loop, then write its model directory (best dev checkpoint), tokenizer, ONNX towers and
 * ecosystem files.
 *
 * @module
 */

import { join, resolve } from "node:path";
import {
  disposeParameters,
  type DualEncoderSpec,
  fromVariables,
  loadModelDir,
  modelHash,
  type NamedTensors,
  saveModelDir,
  withPrompt,
} from "../models/mod.ts";
import { exportEcosystemFiles, exportOnnxTowers } from "../models/onnx/mod.ts";
import { writeTeacherRecord } from "../models/mod.ts";
import { saveTokenizerJson, WordPieceTokenizer } from "../text/mod.ts";
import { writeDocumentEmbeddings } from "./cross_encoder/mod.ts";
import { computeObjective, type LossRecipe } from "./loss/mod.ts";
import { DISTILL_TRAINING_DEFAULTS } from "./settings.ts";
import { buildStudent } from "./student.ts";
import {
  BEST_MODEL_DIR,
  type DevSet,
  teacherDocumentsOf,
  train,
  type TrainingObjective,
  type TrainingResult,
} from "./train/mod.ts";

import {
  type DistillConfig,
  type DistillResult,
  type FinalisedStudent,
  hasDev,
} from "./distill_config.ts";
import type { PreparedTeacher } from "./prepare_teacher.ts";

/** The trainer's objective for a loss recipe (EmbedDistill's combined objective). */
export function recipeObjective(recipe: LossRecipe): TrainingObjective {
  return (step) => computeObjective(recipe, step);
}

/** What {@link trainStudent} produced. */
export interface TrainedStudent {
  readonly spec: DualEncoderSpec;
  /** The weights of the last step. */
  readonly last: NamedTensors;
  readonly training: TrainingResult;
  /** Where checkpoints (and `best/`) went. */
  readonly checkpointDir: string;
}

/**
 * Build the student from the prepared teacher and train it by the one loop (checkpoints in
 * `outputDir/checkpoints`, dev evaluation when the data has a dev split).
 */
export async function trainStudent(
  prepared: PreparedTeacher,
  tokenizer: WordPieceTokenizer,
  config: DistillConfig,
): Promise<TrainedStudent> {
  const { data } = config;
  let dev: DevSet | undefined;
  if (hasDev(data)) {
    const queryLength = { maxLength: prepared.queryMaxLength };
    dev = {
      queryIds: data.devQueries.map((q) => q.id),
      queries: data.devQueries.map((q) =>
        tokenizer.encode(withPrompt(prepared.teacher.spec, "query", q.text), queryLength).ids
      ),
      documentIds: data.corpus.map((d) => d.id),
      qrels: data.devQrels,
    };
  }
  const checkpointDir = join(config.outputDir, "checkpoints");
  const t = config.training ?? {};
  const student = await buildStudent(prepared.teacher, config.student);
  try {
    const generated = prepared.generatedRecipe === undefined
      ? undefined
      : recipeObjective(prepared.generatedRecipe);
    const training = await train(student, prepared.data, recipeObjective(prepared.recipe), {
      ...t,
      steps: t.steps ?? DISTILL_TRAINING_DEFAULTS.steps,
      batchSize: t.batchSize ?? DISTILL_TRAINING_DEFAULTS.batchSize,
      seed: t.seed ?? DISTILL_TRAINING_DEFAULTS.seed,
      negativesPerQuery: prepared.negativesPerQuery,
      checkpointDir,
      resume: config.resume ?? false,
      ...(dev === undefined ? {} : { dev }),
      ...(config.onEvent === undefined ? {} : { onEvent: config.onEvent }),
    }, generated);
    return {
      spec: student.model.spec,
      last: fromVariables(student.model.params),
      training,
      checkpointDir,
    };
  } finally {
    disposeParameters(student.model.params);
  }
}

/**
 * Write the student's model directory (the best dev checkpoint, else the last step) with its
 * tokenizer, a CE's document-alone embeddings for an asymmetric student of a CE, and the ONNX
 * export of its towers.
 */
export async function finaliseStudent(
  prepared: PreparedTeacher,
  trained: TrainedStudent,
  tokenizer: WordPieceTokenizer,
  config: DistillConfig,
): Promise<FinalisedStudent> {
  const { spec, training } = trained;
  const modelDir = config.outputDir;
  const weights = training.bestDir === null
    ? trained.last
    : (await loadModelDir(join(trained.checkpointDir, BEST_MODEL_DIR))).weights;
  await saveModelDir(modelDir, spec, weights);
  await saveTokenizerJson(join(modelDir, "tokenizer.json"), tokenizer.config);
  // A CE's documents are not a dual-encoder tower: its asymmetric student ships their embeddings.
  const ceDocuments = prepared.shipsDocumentEmbeddings;
  const documentEmbeddings = ceDocuments
    ? await writeDocumentEmbeddings(
      modelDir,
      config.data.corpus.map((d) => d.id),
      teacherDocumentsOf(prepared.data.teacher)!,
    )
    : null;
  const onnx: DistillResult["onnx"] = (config.exportOnnx ?? true)
    ? await exportOnnxTowers(modelDir, spec, weights, tokenizer, { document: !ceDocuments })
    : null;
  const teacherRecord = config.student.kind === "asymmetric" && config.teacher.kind === "dir"
    ? { path: resolve(config.teacher.path), hash: prepared.hash }
    : undefined;
  if (teacherRecord !== undefined) await writeTeacherRecord(modelDir, teacherRecord);
  // The folder is a sentence-transformers model too (the query tower, with its model card).
  await exportEcosystemFiles(modelDir, spec, weights, tokenizer.config, {
    onnx: config.exportOnnx ?? true,
    shippedDocuments: ceDocuments,
    ...(teacherRecord === undefined ? {} : { teacher: teacherRecord }),
  });
  return {
    modelDir,
    onnx,
    training,
    teacherHash: prepared.hash,
    documentEmbeddings,
    modelHash: modelHash(spec, weights),
  };
}
