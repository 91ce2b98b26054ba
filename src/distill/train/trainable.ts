/**
 * What the one training loop trains: a structural `Trainable` (its variables, the loss and
 * gradients of a batch, save / load of its weights), and the dual encoder shape students and
 * dual-encoder teachers share.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import type { DualEncoder, ModelSpec, NamedTensors } from "../../models/mod.ts";
import type { Agreement } from "./types.ts";

/** The numbers one batch produced. */
export interface StepOutcome {
  readonly loss: number;
  /** Each named term of the objective (scalars). */
  readonly terms: Readonly<Record<string, number>>;
  /** Gradients by variable name, keyed as {@link Trainable.variables} (the caller disposes them). */
  readonly gradients: Map<string, tf.Tensor>;
  /** Teacher-student agreement, when asked for and the teacher's embeddings are known. */
  readonly agreement?: Agreement;
}

/** A model as a model directory stores it (config + weights). */
export interface SavedModel {
  readonly spec: ModelSpec;
  readonly weights: NamedTensors;
}

/**
 * Extra batches drawn at every step besides the labelled one (generated queries: EmbedDistill's
 * query generation, embedding matching only). Their batch of a step is a pure function of the
 * seed and the step (their own order, seeded by `deriveSeed(seed, "generated")`).
 */
export interface GeneratedBatches {
  /** Generated examples the batches are drawn from (indices 0 .. examples - 1). */
  readonly examples: number;
  /** Forward, (already weighted) objective and gradients of the generated examples `batch`. */
  lossOf(batch: readonly number[]): StepOutcome;
}

/**
 * Anything the loop can train: the variables the optimiser updates, the loss and gradients of a
 * batch of example indices, and its weights for checkpoints and the best model.
 */
export interface Trainable {
  /** The variables updated by Adam, by name (the gradients' keys). */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** Forward, objective and gradients of the examples `batch`; `diagnose` asks for agreement. */
  lossOf(batch: readonly number[], diagnose: boolean): StepOutcome;
  /**
   * Generated examples trained alongside (absent: none). Each step's gradients are the sum of
   * the labelled batch's and a generated batch's of the same size, before clipping.
   */
  readonly generated?: GeneratedBatches;
  /** The whole model (frozen parts included) as a model directory stores it. */
  save(): SavedModel;
  /** Assign weights saved by {@link save} (resume); `source` names them in errors. */
  load(weights: NamedTensors, source: string): void;
}

/**
 * A dual encoder and the variables training updates: a student, or a dual-encoder teacher
 * trained on labels. `symmetric` runs both towers on the batch; `asymmetric` runs the query tower
 * only and scores against the teacher's cached document embeddings.
 */
export interface TrainableDualEncoder {
  readonly kind: "symmetric" | "asymmetric";
  readonly model: DualEncoder;
  /** Trainable variables by name (an asymmetric student's document tower is excluded). */
  readonly trainable: ReadonlyMap<string, tf.Variable>;
}
