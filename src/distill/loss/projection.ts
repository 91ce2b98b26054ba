/**
 * The learnable linear projection student-dim -> teacher-dim that embedding matching applies to
 * student embeddings (EmbedDistill Eq. 7-8's proj()), with save/load as named tensors.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { BERT_INIT_STD, type NamedTensor, normalSampler } from "../../models/mod.ts";

/**
 * proj(x) = x W^T + b, W [out, in], b [out] (PyTorch `nn.Linear` layout, as the models' tower
 * projections). Holds tf.Variables: train them with the student, save them with it.
 */
export interface EmbedProjection {
  /** Discriminant. */
  readonly kind: "projection";
  /** Student embedding width. */
  readonly inDim: number;
  /** Teacher embedding width. */
  readonly outDim: number;
  /** W [outDim, inDim] (saved as `projection.weight`). */
  readonly weight: tf.Variable;
  /** b [outDim] (saved as `projection.bias`). */
  readonly bias: tf.Variable;
}

/** Options of {@link createProjection}. */
export interface ProjectionOptions {
  /** Seed of the weight draw (default 0). */
  readonly seed?: number;
  /**
   * `normal`: W ~ N(0, std^2) (std default 0.02, BERT's `initializer_range`, as the models
   * initialise tower projections), b = 0. `identity`: W = [I | 0] (the first min(in, out)
   * coordinates copied), b = 0, so matching starts from the student's own coordinates.
   */
  readonly init?: "normal" | "identity";
  /** Standard deviation for `normal` (default {@link BERT_INIT_STD}). */
  readonly std?: number;
}

function checkDim(value: number, what: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot create a projection: ${what} must be a positive integer, found ${value}`,
    );
  }
}

/** A fresh trainable projection `inDim` (student) -> `outDim` (teacher). */
export function createProjection(
  inDim: number,
  outDim: number,
  options: ProjectionOptions = {},
): EmbedProjection {
  checkDim(inDim, "the input dimension");
  checkDim(outDim, "the output dimension");
  const data = new Float32Array(outDim * inDim);
  const init = options.init ?? "normal";
  switch (init) {
    case "normal": {
      const sampler = normalSampler(options.seed ?? 0);
      const std = options.std ?? BERT_INIT_STD;
      for (let i = 0; i < data.length; i++) data[i] = std * sampler.next();
      break;
    }
    case "identity":
      for (let i = 0; i < Math.min(inDim, outDim); i++) data[i * inDim + i] = 1;
      break;
    default: {
      const unreachable: never = init;
      throw new TypeError(`Unknown projection init ${JSON.stringify(unreachable)}`);
    }
  }
  return fromArrays(inDim, outDim, data, new Float32Array(outDim));
}

function fromArrays(
  inDim: number,
  outDim: number,
  weight: Float32Array,
  bias: Float32Array,
): EmbedProjection {
  return {
    kind: "projection",
    inDim,
    outDim,
    weight: tf.tidy(() => tf.variable(tf.tensor2d(weight, [outDim, inDim]), true)),
    bias: tf.tidy(() => tf.variable(tf.tensor1d(bias), true)),
  };
}

/** proj(x) for x [n, inDim] -> [n, outDim]; throws TypeError on a width mismatch. */
export function applyProjection(projection: EmbedProjection, x: tf.Tensor2D): tf.Tensor2D {
  if (x.rank !== 2 || x.shape[1] !== projection.inDim) {
    throw new TypeError(
      `Cannot project embeddings of shape [${x.shape}]: the projection expects [n, ${projection.inDim}]`,
    );
  }
  return tf.tidy(() => tf.add(tf.matMul(x, projection.weight, false, true), projection.bias));
}

/** The projection's variables (to train them with the student's). */
export function projectionVariables(projection: EmbedProjection): tf.Variable[] {
  return [projection.weight, projection.bias];
}

/**
 * The projection as named tensors `${prefix}projection.weight` [out, in] and
 * `${prefix}projection.bias` [out]. With prefix `query.` these are the names of a separate-tower
 * dual encoder's query projection (src/models), so a student saved with them embeds queries
 * straight into the teacher's space at inference (what an asymmetric student needs: it scores
 * against the teacher's document embeddings).
 */
export function projectionTensors(
  projection: EmbedProjection,
  prefix = "",
): Map<string, NamedTensor> {
  return new Map([
    [`${prefix}projection.weight`, {
      shape: [projection.outDim, projection.inDim],
      data: Float32Array.from(projection.weight.dataSync()),
    }],
    [`${prefix}projection.bias`, {
      shape: [projection.outDim],
      data: Float32Array.from(projection.bias.dataSync()),
    }],
  ]);
}

/**
 * Load a projection saved by {@link projectionTensors}; throws RangeError when a tensor is missing
 * and TypeError when the shapes disagree.
 */
export function loadProjection(
  tensors: ReadonlyMap<string, NamedTensor>,
  prefix = "",
): EmbedProjection {
  const get = (name: string) => {
    const found = tensors.get(prefix + name);
    if (found === undefined) {
      throw new RangeError(
        `Cannot load a projection: no tensor "${prefix + name}" among ${tensors.size} tensors`,
      );
    }
    return found;
  };
  const weight = get("projection.weight");
  const bias = get("projection.bias");
  const [outDim, inDim] = weight.shape;
  if (
    weight.shape.length !== 2 || bias.shape.length !== 1 || bias.shape[0] !== outDim ||
    outDim === undefined || inDim === undefined || weight.data.length !== outDim * inDim ||
    bias.data.length !== outDim
  ) {
    throw new TypeError(
      `Cannot load a projection: expected "${prefix}projection.weight" [out, in] and "${prefix}projection.bias" [out], found [${weight.shape}] and [${bias.shape}]`,
    );
  }
  return fromArrays(inDim, outDim, Float32Array.from(weight.data), Float32Array.from(bias.data));
}

/** Dispose the projection's variables. */
export function disposeProjection(projection: EmbedProjection): void {
  projection.weight.dispose();
  projection.bias.dispose();
}
