/**
 * Training a cross-encoder teacher on labelled candidate lists by the one training loop
 * (train/): each step scores a batch of examples' [positive, k negatives] pairs and minimises the
 * listwise softmax cross-entropy of the positive (EmbedDistill Eq. 9 in the `first-column`
 * layout), AdamW under warm-up + linear decay with global-norm clipping, seeded data order. For
 * `cls` and `dual-pooling` scorers alike; an optional document-alone regulariser for dual pooling.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  createCrossEncoder,
  type CrossEncoder,
  crossEncoderForward,
  disposeParameters,
  fromVariables,
  type NamedTensors,
} from "../../models/mod.ts";
import { type CeTokens, type CrossEncoderTeacher, documentAloneRows, pairRows } from "./teacher.ts";
import { crossEncoderDocumentAlone } from "./pooled_targets.ts";
import { oneHotLoss } from "../loss/mod.ts";
import {
  type EvalRecord,
  type LoopCheckpoints,
  type Trainable,
  type TrainingEvent,
  type TrainingExample,
  trainLoop,
} from "../train/mod.ts";

/** Scores of (query, document) index pairs by the cross-encoder being trained (no gradients). */
export type CePairScorer = (pairs: readonly (readonly [number, number])[]) => Float32Array;

/** Dev evaluation of a cross-encoder during training (e.g. re-ranking a first stage's top-k). */
export interface CeDev {
  /** Evaluate after `step` steps with the live model's scorer. */
  readonly evaluate: (score: CePairScorer, step: number) => Promise<EvalRecord>;
  /** Evaluated every this many steps and after the last. */
  readonly every: number;
  /** The measure that selects the best model (higher is better). */
  readonly select: string;
}

/** Options of {@link trainCrossEncoder}. */
export interface CeTrainOptions {
  readonly steps: number;
  /** Examples per step (each scored against its 1 + k list). */
  readonly batchSize: number;
  /** Data-order seed. */
  readonly seed: number;
  /** Negatives k per list (each example needs at least k `negatives`). */
  readonly negatives: number;
  /** Peak of the linear schedule (default 1e-3). */
  readonly learningRate?: number;
  /** Warm-up steps of the schedule (default 10 % of the steps). */
  readonly warmupSteps?: number;
  /** Global-norm clip (default 1). */
  readonly maxGradNorm?: number;
  /**
   * Weight of the optional document-alone regulariser (dual pooling only; default 0, off): an
   * in-batch one-hot loss (Eq. 9) ranking each positive pair's dual-pooled query embedding
   * against the document-alone embeddings of the batch's documents (positives first, then every
   * list's negatives). Trained on pair scores alone, a CE's document-alone embeddings can
   * collapse, which makes them useless as an asymmetric student's frozen documents; this keeps
   * them discriminative. Measured once (synthetic msmarco-like task, 1500 train queries, 8000
   * documents, CE 2 layers x 64, 400 steps, 7 negatives): without it, mean cosine 0.979 between
   * documents and RR@10 0.0007 of <CE query, document-alone> over the corpus; with weight 1,
   * 0.280 and 0.758 (train queries; the pair's query embedding has seen the positive, so this is
   * an upper bound). One of the forms PAPER.md leaves open for the dual-pooling regulariser.
   */
  readonly documentAloneWeight?: number;
  /** Called after every step with the step (1-based) and its loss. */
  readonly onStep?: (step: number, loss: number) => void;
  /** Every event of the loop (steps, evaluations, checkpoints). */
  readonly onEvent?: (event: TrainingEvent) => void;
  /** Checkpoints with exact resume (and the best model in `best/` with a dev set); none by default. */
  readonly checkpoints?: LoopCheckpoints;
  /** Dev evaluation selecting the best model (kept in the checkpoint directory's `best/`). */
  readonly dev?: CeDev;
}

/** A trained cross-encoder and its per-step losses. */
export interface CeTrainResult {
  readonly teacher: CrossEncoderTeacher;
  readonly losses: readonly number[];
}

/** Listwise (and optional document-alone) loss of a batch of examples' candidate lists. */
function crossEncoderTrainable(
  model: CrossEncoder,
  tokens: CeTokens,
  examples: readonly TrainingExample[],
  lists: readonly (readonly number[])[],
  alone: number,
): Trainable {
  const spec = model.spec;
  const width = lists[0]?.length ?? 0;
  const names = new Map([...model.params].map(([name, v]) => [v.name, name]));
  return {
    variables: model.params,
    lossOf: (picked) => {
      const pairs = picked.flatMap((i) =>
        lists[i]!.map((d) => [examples[i]!.query, d] as [number, number])
      );
      const batch = pairRows(tokens, pairs, spec.maxLength);
      const documents = alone > 0
        ? documentAloneRows(tokens, [
          ...picked.map((i) => lists[i]![0]!),
          ...picked.flatMap((i) => lists[i]!.slice(1)),
        ], spec.maxLength)
        : undefined;
      const { value, grads } = tf.variableGrads(() => {
        const out = crossEncoderForward(model, batch);
        const scores = tf.reshape(out.scores, [picked.length, width]) as tf.Tensor2D;
        const listwise = oneHotLoss(scores, { layout: "first-column" });
        if (documents === undefined || out.kind !== "dual-pooling") return listwise;
        const n = picked.length;
        const h = spec.encoder.hiddenSize;
        const lists3d = tf.reshape(out.queryEmbeddings, [n, width, h]);
        const queries = tf.reshape(tf.slice(lists3d, [0, 0, 0], [n, 1, h]), [n, h]) as tf.Tensor2D;
        const docs = crossEncoderDocumentAlone(model, documents);
        const inBatch = oneHotLoss(tf.matMul(queries, docs, false, true) as tf.Tensor2D);
        return tf.add(listwise, tf.mul(inBatch, alone)) as tf.Scalar;
      }, [...model.params.values()]);
      const loss = value.dataSync()[0]!;
      value.dispose();
      const gradients = new Map(Object.entries(grads).map(([v, g]) => [names.get(v) ?? v, g]));
      return { loss, terms: {}, gradients };
    },
    save: () => ({ spec, weights: fromVariables(model.params) }),
    load: (weights: NamedTensors, source: string) => {
      for (const [name, variable] of model.params) {
        const saved = weights.get(name);
        if (saved === undefined || saved.data.length !== variable.size) {
          throw new TypeError(
            `Cannot resume from "${source}": tensor "${name}" is missing or has the wrong size`,
          );
        }
        tf.tidy(() => variable.assign(tf.tensor(saved.data, variable.shape, "float32")));
      }
    },
  };
}

/** Scores of index pairs by `model`, in batches of `batch` pairs. */
function pairScorer(model: CrossEncoder, tokens: CeTokens, batch = 64): CePairScorer {
  return (pairs) => {
    const out = new Float32Array(pairs.length);
    for (let start = 0; start < pairs.length; start += batch) {
      const rows = pairRows(tokens, pairs.slice(start, start + batch), model.spec.maxLength);
      const scores = tf.tidy(() => crossEncoderForward(model, rows).scores);
      out.set(scores.dataSync() as Float32Array, start);
      scores.dispose();
    }
    return out;
  };
}

/**
 * Train `initial` (not modified) on `examples`' candidate lists. Deterministic for a fixed backend
 * and thread count. Optional checkpoints (exact resume) and dev selection; the result holds the
 * last step's weights (the best dev model is in the checkpoint directory's `best/`). Throws
 * `NonFiniteLossError` on a non-finite loss.
 */
export async function trainCrossEncoder(
  initial: CrossEncoderTeacher,
  tokens: CeTokens,
  examples: readonly TrainingExample[],
  options: CeTrainOptions,
): Promise<CeTrainResult> {
  const { steps, batchSize, seed, negatives: k } = options;
  const width = k + 1;
  const alone = options.documentAloneWeight ?? 0;
  if (!(alone >= 0)) {
    throw new RangeError(`Cannot use document-alone weight ${alone}: expected a number >= 0`);
  }
  if (alone > 0 && initial.spec.scorer.kind !== "dual-pooling") {
    throw new TypeError(
      `Cannot regularise document-alone embeddings of a "${initial.spec.scorer.kind}" cross-encoder: dual pooling only`,
    );
  }
  const lists = examples.map((e) => [e.positive, ...(e.negatives ?? [])].slice(0, width));
  if (lists.some((l) => l.length !== width)) {
    throw new RangeError(`Cannot train a cross-encoder on lists of ${width}: too few negatives`);
  }
  const model = createCrossEncoder(initial.spec, initial.weights, "the initial cross-encoder");
  try {
    const onEvent = options.onEvent;
    const onStep = options.onStep;
    const dev = options.dev;
    const result = await trainLoop(crossEncoderTrainable(model, tokens, examples, lists, alone), {
      steps,
      batchSize,
      seed,
      examples: examples.length,
      schedule: {
        kind: "linear",
        peak: options.learningRate ?? 1e-3,
        warmupSteps: options.warmupSteps ?? Math.floor(steps / 10),
        totalSteps: steps,
      },
      optimizer: { kind: "adamw" },
      maxGradNorm: options.maxGradNorm ?? 1,
      diagnosticsEvery: 0,
      ...(options.checkpoints === undefined ? {} : { checkpoints: options.checkpoints }),
      ...(dev === undefined ? {} : {
        dev: {
          evaluate: (step: number) => dev.evaluate(pairScorer(model, tokens), step),
          every: dev.every,
          select: dev.select,
        },
      }),
      ...(onStep === undefined && onEvent === undefined ? {} : {
        onEvent: (e: TrainingEvent) => {
          if (e.kind === "step") onStep?.(e.step, e.loss);
          onEvent?.(e);
        },
      }),
    });
    const weights = fromVariables(model.params);
    return { teacher: { spec: initial.spec, weights }, losses: result.losses };
  } finally {
    disposeParameters(model.params);
  }
}
