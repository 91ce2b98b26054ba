/**
 * Students of a dual-encoder teacher: asymmetric (a trainable query tower scored against the
 * teacher's frozen document tower) or symmetric (the student encodes both sides, shared or
 * separate towers), initialised at random, from a subset of the teacher's layers, or from a
 * checkpoint, with a projection to the teacher's embedding width when they differ.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import {
  type BertConfig,
  collectModelWeights,
  createDualEncoder,
  type DualEncoder,
  type DualEncoderSpec,
  embeddingDim,
  initModelWeights,
  loadModelDir,
  type NamedTensor,
  type NamedTensors,
  type Pooling,
  readSafetensorsFile,
  selectLayers,
  type Side,
  type Tower,
  towerOf,
  towerPrefix,
} from "../models/mod.ts";

/** A dual-encoder teacher as plain data: its spec and weights under canonical names. */
export interface TeacherModel {
  readonly spec: DualEncoderSpec;
  readonly weights: NamedTensors;
}

/**
 * How a student's trainable weights start. `random`: BERT init (N(0, 0.02^2), LayerNorm 1/0)
 * from `seed`, which should differ from the teacher's (PAPER.md, training facts);
 * `teacher-layers`: the teacher's embeddings and the listed layers, renumbered (the encoder
 * config is the teacher's with `layers.length` layers); `checkpoint`: a model directory or a
 * `.safetensors` file holding the student's canonical names.
 */
export type StudentInit =
  | { readonly kind: "random"; readonly seed: number }
  | { readonly kind: "teacher-layers"; readonly layers: readonly number[]; readonly seed?: number }
  | { readonly kind: "checkpoint"; readonly path: string };

/**
 * A trainable query encoder scored against the teacher's frozen document embeddings (EmbedDistill
 * section 3, asymmetric student). Pooling and similarity are the teacher's; the query tower gets a
 * projection to the teacher's embedding width when `projection` is true (default: when the
 * widths differ).
 */
export interface AsymmetricStudentSpec {
  readonly kind: "asymmetric";
  /** Query encoder; optional with `teacher-layers` init (derived from the teacher). */
  readonly encoder?: BertConfig;
  readonly init: StudentInit;
  readonly projection?: boolean;
}

/** A student that encodes queries and documents itself (shared or separate towers). */
export interface SymmetricStudentSpec {
  readonly kind: "symmetric";
  readonly towers: "shared" | "separate";
  /** Encoder of each tower; optional with `teacher-layers` init. */
  readonly encoder?: BertConfig;
  readonly init: StudentInit;
  /** Default: the teacher's pooling. */
  readonly pooling?: Pooling;
  /** Project to the teacher's width (default: when the widths differ). */
  readonly projection?: boolean;
}

/** Either student kind. */
export type StudentSpec = AsymmetricStudentSpec | SymmetricStudentSpec;

/** A built student: the dual encoder and the variables training updates. */
export interface Student {
  readonly kind: StudentSpec["kind"];
  readonly model: DualEncoder;
  /** Trainable variables by name (the asymmetric student's document tower is excluded). */
  readonly trainable: ReadonlyMap<string, tf.Variable>;
}

/** Tensors of one side's tower of `model` under names relative to the tower (prefix removed). */
export function towerTensors(
  spec: DualEncoderSpec,
  weights: NamedTensors,
  side: Side,
): Map<string, NamedTensor> {
  const prefix = towerPrefix(spec, side);
  const out = new Map<string, NamedTensor>();
  for (const [name, x] of weights) {
    if (prefix === "" || name.startsWith(prefix)) out.set(name.slice(prefix.length), x);
  }
  return out;
}

function withPrefix(tensors: NamedTensors, prefix: string): Map<string, NamedTensor> {
  return new Map([...tensors].map(([name, x]) => [prefix + name, x]));
}

function studentEncoder(
  teacher: TeacherModel,
  spec: StudentSpec,
  side: Side,
): BertConfig {
  if (spec.init.kind === "teacher-layers") {
    const base = towerOf(teacher.spec, side).encoder;
    const encoder = { ...base, numLayers: spec.init.layers.length };
    if (spec.encoder !== undefined && JSON.stringify(spec.encoder) !== JSON.stringify(encoder)) {
      throw new TypeError(
        `Cannot initialise a student from teacher layers: its encoder ${
          JSON.stringify(spec.encoder)
        } differs from the teacher's with ${encoder.numLayers} layers`,
      );
    }
    return encoder;
  }
  if (spec.encoder === undefined) {
    throw new TypeError(
      `Cannot build a student with "${spec.init.kind}" init: no encoder config given`,
    );
  }
  return spec.encoder;
}

/** The dual-encoder spec a student spec describes for `teacher`. */
export function studentModelSpec(teacher: TeacherModel, spec: StudentSpec): DualEncoderSpec {
  const teacherDim = embeddingDim(towerOf(teacher.spec, "document"));
  const tower = (side: Side): Tower => {
    const encoder = studentEncoder(teacher, spec, side);
    const project = spec.projection ?? encoder.hiddenSize !== teacherDim;
    return project ? { encoder, projectionDim: teacherDim } : { encoder };
  };
  const base = {
    kind: "dual" as const,
    similarity: teacher.spec.similarity,
    queryMaxLength: teacher.spec.queryMaxLength,
    documentMaxLength: teacher.spec.documentMaxLength,
    // A student reads texts as its teacher did (sentence-transformers prompts).
    ...(teacher.spec.prompts === undefined ? {} : { prompts: teacher.spec.prompts }),
  };
  switch (spec.kind) {
    case "asymmetric":
      return {
        ...base,
        pooling: teacher.spec.pooling,
        towers: {
          kind: "separate",
          query: tower("query"),
          document: towerOf(teacher.spec, "document"),
        },
      };
    case "symmetric":
      return {
        ...base,
        pooling: spec.pooling ?? teacher.spec.pooling,
        towers: spec.towers === "shared"
          ? { kind: "shared", tower: tower("query") }
          : { kind: "separate", query: tower("query"), document: tower("document") },
      };
    default: {
      const unreachable: never = spec;
      throw new TypeError(`Unknown student kind ${JSON.stringify(unreachable)}`);
    }
  }
}

async function checkpointTensors(path: string): Promise<NamedTensors> {
  if (path.endsWith(".safetensors")) return (await readSafetensorsFile(path)).tensors;
  return (await loadModelDir(path)).weights;
}

/**
 * Build a student of `teacher`. The asymmetric student's document tower is a frozen copy of the
 * teacher's document tower (its variables are not trainable and not optimised); everything the
 * init does not provide (e.g. a new projection) is drawn from the init's seed (default 1).
 */
export async function buildStudent(teacher: TeacherModel, spec: StudentSpec): Promise<Student> {
  const modelSpec = studentModelSpec(teacher, spec);
  const init = spec.init;
  const seed = init.kind === "checkpoint" ? 1 : init.seed ?? 1;
  const weights = initModelWeights(modelSpec, seed);
  const sides: Side[] = modelSpec.towers.kind === "shared" ? ["query"] : ["query", "document"];
  const overwrite = (tensors: NamedTensors) => {
    for (const [name, x] of tensors) {
      const slot = weights.get(name);
      if (slot !== undefined && slot.shape.join() === x.shape.join()) weights.set(name, x);
    }
  };
  if (init.kind === "teacher-layers") {
    for (const side of sides) {
      if (spec.kind === "asymmetric" && side === "document") continue;
      const source = towerTensors(teacher.spec, teacher.weights, side);
      const subset = selectLayers(towerOf(teacher.spec, side).encoder, source, init.layers);
      overwrite(withPrefix(subset.weights, towerPrefix(modelSpec, side)));
    }
  } else if (init.kind === "checkpoint") {
    const loaded = collectModelWeights(modelSpec, await checkpointTensors(init.path), init.path);
    overwrite(loaded);
  }
  if (spec.kind === "asymmetric") {
    overwrite(withPrefix(towerTensors(teacher.spec, teacher.weights, "document"), "document."));
  }
  const model = createDualEncoder(modelSpec, weights, "the student's initial weights");
  const trainable = new Map(
    [...model.params].filter(([name]) => spec.kind === "symmetric" || name.startsWith("query.")),
  );
  return { kind: spec.kind, model, trainable };
}
