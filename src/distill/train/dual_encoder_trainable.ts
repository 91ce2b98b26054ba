/**
 * A dual encoder (student, or teacher on labels) as a `Trainable` of the one loop: a batch of
 * examples becomes its queries and documents (in-batch negatives, appended hard negatives, or
 * each example's candidate list), scored and differentiated by `computeStep`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { fromVariables, type NamedTensors } from "../../models/mod.ts";
import { computeStep, type StepBatch } from "./step.ts";
import type { GeneratedBatches, Trainable, TrainableDualEncoder } from "./trainable.ts";
import type { TrainingData, TrainingExample, TrainingObjective } from "./types.ts";

/**
 * The step batch of `examples`: with candidate lists (not in-batch) each example's list
 * [positive, negatives] in turn; else the positives, then `negatives` hard negatives per query.
 */
export function batchOf(
  data: TrainingData,
  examples: readonly number[],
  negatives: number,
): StepBatch {
  const picked = examples.map((i) => data.examples[i]!);
  const teacher = data.teacher;
  if (teacher.kind === "candidates" && teacher.inBatch !== true) {
    const width = teacher.scores.dims;
    const documents = picked.flatMap((e) => [e.positive, ...(e.negatives ?? [])].slice(0, width));
    if (documents.length !== picked.length * width) {
      throw new RangeError(`Cannot form candidate lists of ${width} documents: too few negatives`);
    }
    return { queries: picked.map((e) => e.query), documents, examples, listWidth: width };
  }
  const documents = picked.map((e) => e.positive);
  for (const e of picked) {
    const mined = e.negatives ?? [];
    if (mined.length < negatives) {
      throw new RangeError(
        `Cannot append ${negatives} hard negatives for query ${e.query}: only ${mined.length} mined`,
      );
    }
    documents.push(...mined.slice(0, negatives));
  }
  return { queries: picked.map((e) => e.query), documents, examples };
}

function assignWeights(
  encoder: TrainableDualEncoder,
  weights: NamedTensors,
  source: string,
): void {
  for (const [name, variable] of encoder.model.params) {
    const saved = weights.get(name);
    if (saved === undefined || saved.data.length !== variable.size) {
      throw new TypeError(
        `Cannot resume from "${source}": tensor "${name}" is missing or has the wrong size`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(saved.data, variable.shape, "float32")));
  }
}

/**
 * The step batch of generated examples: their queries against their source documents (in-batch,
 * no hard negatives).
 */
export function generatedBatchOf(
  generated: readonly TrainingExample[],
  examples: readonly number[],
): StepBatch {
  const picked = examples.map((i) => generated[i]!);
  return { queries: picked.map((e) => e.query), documents: picked.map((e) => e.positive) };
}

function generatedBatches(
  encoder: TrainableDualEncoder,
  data: TrainingData,
  objective: TrainingObjective | undefined,
): GeneratedBatches | undefined {
  const generated = data.generated;
  if (generated === undefined || generated.length === 0) {
    if (objective !== undefined) {
      throw new TypeError(
        "Cannot train on generated queries: a generated objective was given but the data has no generated examples",
      );
    }
    return undefined;
  }
  if (objective === undefined) {
    throw new TypeError(
      `Cannot train on ${generated.length} generated queries: no generated objective was given (they take the embedding-matching terms only)`,
    );
  }
  if (data.teacher.kind !== "embeddings") {
    throw new TypeError(
      `Cannot train on generated queries with a "${data.teacher.kind}" teacher signal: only a dual-encoder teacher's embeddings are supported yet`,
    );
  }
  return {
    examples: generated.length,
    lossOf: (examples) =>
      computeStep(encoder, data, generatedBatchOf(generated, examples), objective, false),
  };
}

/**
 * `encoder` trained on `data` with `objective` (`negatives` hard negatives per query appended
 * in-batch), and on `data.generated` with `generatedObjective` (required exactly when there are
 * generated examples); saves and loads every parameter of the model, frozen ones included.
 */
export function dualEncoderTrainable(
  encoder: TrainableDualEncoder,
  data: TrainingData,
  objective: TrainingObjective,
  negatives: number,
  generatedObjective?: TrainingObjective,
): Trainable {
  const generated = generatedBatches(encoder, data, generatedObjective);
  return {
    variables: encoder.trainable,
    lossOf: (examples, diagnose) =>
      computeStep(encoder, data, batchOf(data, examples, negatives), objective, diagnose),
    ...(generated === undefined ? {} : { generated }),
    save: () => ({ spec: encoder.model.spec, weights: fromVariables(encoder.model.params) }),
    load: (weights, source) => assignWeights(encoder, weights, source),
  };
}
