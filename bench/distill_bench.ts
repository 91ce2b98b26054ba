// deno-lint-ignore-file no-console
/**
 * Training throughput of distillation students at a mini-like size (student 2 layers, hidden 128,
 * 2 heads, FFN 512, seq 32, batch 32, vocabulary 4000 as a synthetic corpus's; teacher width 256),
 * one optimisation step per iteration (forward, backward, clip, AdamW) on the engine's default
 * backend. Baseline in the same run: the asymmetric student on labels alone (one-hot, Eq. 9);
 * compared: the asymmetric student with EmbedDistill's objective (score KD Eq. 11 + query
 * embedding matching Eq. 7), and the symmetric student (shared towers) on labels alone and with
 * score KD + query and document embedding matching (Eq. 7-8). Teacher embeddings are fixed
 * random unit vectors (they are precomputed data to the student). Examples/s is printed per case.
 *
 * Run: deno bench --allow-read --allow-write --allow-env --allow-ffi --allow-run --allow-sys bench/distill_bench.ts
 *
 * @module
 */

import { describeEngine, formatMachine, initEngine, seededNormal } from "../src/engine/mod.ts";
import type { Matrix } from "../src/io/mod.ts";
import { type DualEncoderSpec, initModelWeights } from "../src/models/mod.ts";
import {
  buildStudent,
  type LossRecipe,
  recipeObjective,
  type StudentSpec,
} from "../src/distill/mod.ts";
import {
  AdamOptimizer,
  dualEncoderTrainable,
  optimisationStep,
  type TrainingData,
} from "../src/distill/train/mod.ts";

const VOCAB = 4000;
const SEQ = 32;
const BATCH = 32;
const TEACHER_DIM = 256;
const POOL = 256;

const engine = await initEngine();
const machine = formatMachine();
const label = `${engine.backend}, ${engine.threads} threads`;
console.error(`engine: ${describeEngine(engine)}`);

const encoder = (hidden: number, layers: number) => ({
  vocabSize: VOCAB,
  hiddenSize: hidden,
  numLayers: layers,
  numHeads: 2,
  intermediateSize: 4 * hidden,
  maxPositions: 64,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
});
const teacherSpec: DualEncoderSpec = {
  kind: "dual",
  towers: { kind: "shared", tower: { encoder: encoder(TEACHER_DIM, 1) } },
  pooling: "mean",
  similarity: { kind: "cosine", scale: 20 },
  queryMaxLength: SEQ,
  documentMaxLength: SEQ,
};
const teacher = { spec: teacherSpec, weights: initModelWeights(teacherSpec, 1) };

function unitRows(count: number, seed: number): Matrix {
  const normal = seededNormal(seed);
  const vectors = new Float32Array(count * TEACHER_DIM).map(() => normal());
  for (let r = 0; r < count; r++) {
    const row = vectors.subarray(r * TEACHER_DIM, (r + 1) * TEACHER_DIM);
    const norm = Math.hypot(...row);
    row.forEach((x, i) => (row[i] = x / norm));
  }
  return { count, dims: TEACHER_DIM, vectors };
}
const sequences = (count: number, seed: number) => {
  const normal = seededNormal(seed);
  return Array.from(
    { length: count },
    () =>
      Array.from(
        { length: SEQ },
        (_, t) =>
          t === 0 ? 2 : t === SEQ - 1 ? 3 : 5 + Math.floor(Math.abs(normal()) * 700) % (VOCAB - 5),
      ),
  );
};
const data: TrainingData = {
  queries: sequences(POOL, 1),
  documents: sequences(POOL, 2),
  examples: Array.from({ length: POOL }, (_, i) => ({ query: i, positive: i })),
  teacher: { kind: "embeddings", queries: unitRows(POOL, 3), documents: unitRows(POOL, 4) },
};
/** Examples 0 .. BATCH - 1: queries i, positives i (in-batch negatives). */
const batch = Array.from({ length: BATCH }, (_, i) => i);

const LABELS: LossRecipe = { terms: [{ kind: "one-hot" }] };
const EMBED_DISTILL: LossRecipe = {
  terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }],
};
const SYMMETRIC_DISTILL: LossRecipe = {
  terms: [
    { kind: "score-kd" },
    { kind: "embed-match", side: "query" },
    { kind: "embed-match", side: "document" },
  ],
};

/** One step of the library's training loop (`optimisationStep`: loss, clip, fused AdamW). */
async function stepper(spec: StudentSpec, recipe: LossRecipe): Promise<() => void> {
  const student = await buildStudent(teacher, spec);
  const trainable = dualEncoderTrainable(student, data, recipeObjective(recipe), 0);
  const optimizer = new AdamOptimizer(student.trainable, { kind: "adamw" });
  const schedule = { kind: "constant", rate: 1e-4 } as const;
  let step = 0;
  return () =>
    void optimisationStep(trainable, optimizer, batch, step++, {
      schedule,
      maxGradNorm: 1,
      diagnose: false,
    });
}

const asymmetric: StudentSpec = {
  kind: "asymmetric",
  encoder: encoder(128, 2),
  init: { kind: "random", seed: 2 },
};
const symmetric: StudentSpec = {
  kind: "symmetric",
  towers: "shared",
  encoder: encoder(128, 2),
  init: { kind: "random", seed: 2 },
};
const cases: Array<[string, () => void, boolean]> = [
  ["asymmetric, labels only (one-hot)", await stepper(asymmetric, LABELS), true],
  [
    "asymmetric, score KD + query embedding matching",
    await stepper(asymmetric, EMBED_DISTILL),
    false,
  ],
  ["symmetric shared, labels only (one-hot)", await stepper(symmetric, LABELS), false],
  [
    "symmetric shared, score KD + query/document matching",
    await stepper(symmetric, SYMMETRIC_DISTILL),
    false,
  ],
];

// One timed pass per case (after a warm-up step) so examples/s is printed beside the bench table.
for (const [name, step] of cases) {
  step();
  const started = performance.now();
  for (let i = 0; i < 3; i++) step();
  const seconds = (performance.now() - started) / 1000 / 3;
  console.error(
    `${name}: ${(BATCH / seconds).toFixed(1)} examples/s (${(seconds * 1000).toFixed(0)} ms/step)`,
  );
}

const what = `student 2L/H128/S${SEQ}, B${BATCH}, vocab ${VOCAB}, teacher dim ${TEACHER_DIM}`;
for (const [name, step, baseline] of cases) {
  Deno.bench({
    name: `${name} (${what}; ${label}; ${machine})`,
    group: "distill step",
    baseline,
    n: 5,
    warmup: 1,
    fn: step,
  });
}
