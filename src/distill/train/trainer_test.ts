import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { initEngine } from "../../engine/mod.ts";
import { fromVariables, initModelWeights, loadModelDir } from "../../models/mod.ts";
import { readLatestCheckpoint } from "./checkpoint.ts";
import { recipeObjective } from "../train_student.ts";
import { oneHotLoss } from "../loss/mod.ts";
import { buildStudent, type TeacherModel } from "../student.ts";
import { teacherEmbeddings } from "../teacher_cache.ts";
import { NonFiniteLossError } from "./non_finite.ts";
import { train } from "./trainer.ts";
import { trainLoop } from "./loop.ts";
import { dualEncoderTrainable } from "./dual_encoder_trainable.ts";
import { evaluateStudent } from "./dev_eval.ts";
import { encoderConfig, teacherSpec, tinyTask } from "../../testing/mod.ts";
import { mineHardNegatives } from "./negatives.ts";
import type { TrainerOptions, TrainingData, TrainingEvent } from "./types.ts";

await initEngine();

const task = tinyTask({ documents: 3000, dev: 40 });
const spec = teacherSpec(task, encoderConfig(task.vocabSize, 16, 1, 2));
const teacher: TeacherModel = { spec, weights: initModelWeights(spec, 21) };
const home = await Deno.makeTempDir({ prefix: "embeddistill-trainer-test-" });
const teacherQueries = await teacherEmbeddings(teacher, "query", task.data.queries, { home });
const teacherDocuments = await teacherEmbeddings(teacher, "document", task.data.documents, {
  home,
});
const data: TrainingData = {
  ...task.data,
  teacher: { kind: "embeddings", queries: teacherQueries, documents: teacherDocuments },
};
// The embeddings are in memory now; the cache that held them is not needed by any test.
await Deno.remove(home, { recursive: true });
const STUDENT = {
  kind: "asymmetric",
  encoder: encoderConfig(task.vocabSize, 8, 1, 2),
  init: { kind: "random", seed: 5 },
} as const;
const RECIPE = recipeObjective({
  terms: [{ kind: "one-hot" }, { kind: "score-kd" }, { kind: "embed-match", side: "query" }],
});

async function run(options: Partial<TrainerOptions> = {}) {
  const student = await buildStudent(teacher, STUDENT);
  const events: TrainingEvent[] = [];
  try {
    const result = await train(student, data, RECIPE, {
      steps: 8,
      batchSize: 16,
      seed: 3,
      learningRate: 2e-3,
      diagnosticsEvery: 2,
      onEvent: (e) => events.push(e),
      ...options,
    });
    return { result, events, weights: fromVariables(student.model.params) };
  } finally {
    for (const v of student.model.params.values()) v.dispose();
  }
}

Deno.test("two runs with the same seed give identical losses and weights", async () => {
  const a = await run();
  const tensorsBefore = tf.memory().numTensors;
  const b = await run();
  assert.equal(tf.memory().numTensors, tensorsBefore); // a whole run leaks no tensor
  assert.equal(a.result.losses.length, 8);
  assert.deepEqual(a.result.losses, b.result.losses);
  assert.deepEqual(a.weights, b.weights);
  const c = await run({ seed: 4 });
  assert.notDeepEqual(c.result.losses, a.result.losses);
  const steps = a.events.filter((e) => e.kind === "step");
  assert.equal(steps.length, 8);
  const last = steps.at(-1)!;
  if (last.kind !== "step") return;
  assert.deepEqual(Object.keys(last.terms).sort(), ["embed-query", "one-hot", "score-kd"]);
  assert.ok(last.examplesPerSecond > 0 && last.etaSeconds === 0);
  const agreement = last.agreement!;
  assert.ok(agreement.queryCosine >= -1 && agreement.queryCosine <= 1);
  assert.ok(agreement.scoreCorrelation >= -1 && agreement.scoreCorrelation <= 1);
  assert.equal(steps.filter((e) => e.kind === "step" && e.agreement !== undefined).length, 4);
});

Deno.test("the loss falls over training", async () => {
  const { result } = await run({ steps: 40, learningRate: 3e-3 });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(result.losses.slice(-5)) < mean(result.losses.slice(0, 5)) - 0.1);
});

Deno.test("dev evaluation keeps the best model; a killed run resumes to identical weights", async () => {
  const root = await Deno.makeTempDir();
  try {
    const full = await run({ dev: task.dev, evalEvery: 4, checkpointDir: join(root, "a") });
    assert.equal(full.result.evals.length, 2);
    assert.ok(full.result.best !== null && full.result.best.measure === "RR@10");
    const best = await loadModelDir(full.result.bestDir!);
    assert.equal(best.spec.kind, "dual");
    const evalEvents = full.events.filter((e) => e.kind === "eval");
    assert.equal(evalEvents.length, 2);

    const dir = join(root, "b");
    await assert.rejects(() =>
      run({
        dev: task.dev,
        evalEvery: 4,
        checkpointEvery: 2,
        checkpointDir: dir,
        onEvent: (e) => {
          if (e.kind === "step" && e.step === 7) throw new Error("interrupted");
        },
      })
    );
    assert.equal((await readLatestCheckpoint(dir))!.state.step, 6);
    const resumed = await run({ dev: task.dev, evalEvery: 4, checkpointDir: dir, resume: true });
    assert.equal(resumed.events[0]!.kind, "resumed");
    assert.deepEqual(resumed.weights, full.weights);
    assert.deepEqual(resumed.result.losses, full.result.losses);
    assert.deepEqual(resumed.result.evals, full.result.evals);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a NaN loss stops training with a clear message and keeps the last good checkpoint", async () => {
  const root = await Deno.makeTempDir();
  const student = await buildStudent(teacher, STUDENT);
  let calls = 0;
  try {
    const error = await train(student, data, (s) => {
      calls++;
      const loss = oneHotLoss(s.studentScores);
      const total = calls >= 5 ? tf.mul(loss, NaN) as tf.Scalar : loss;
      return { total, terms: { "one-hot": loss } };
    }, { steps: 8, batchSize: 16, seed: 1, checkpointDir: root, checkpointEvery: 2 })
      .then(() => undefined, (e) => e);
    assert.ok(error instanceof NonFiniteLossError);
    assert.equal(error.step, 5);
    assert.match(error.message, /^Training stopped at step 5: the loss is NaN/);
    assert.match(error.message, /step-00000004/);
    assert.equal((await readLatestCheckpoint(root))!.state.step, 4);
  } finally {
    for (const v of student.model.params.values()) v.dispose();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mined hard negatives exclude relevant documents and widen the score matrix", async () => {
  const relevant = new Map<number, Set<number>>();
  for (const e of data.examples) {
    relevant.set(e.query, (relevant.get(e.query) ?? new Set()).add(e.positive));
  }
  const examples = mineHardNegatives(
    data.examples,
    teacherQueries,
    teacherDocuments,
    relevant,
    2,
  );
  for (const e of examples) {
    assert.equal(e.negatives!.length, 2);
    assert.ok(e.negatives!.every((d) => !relevant.get(e.query)!.has(d)));
  }
  const student = await buildStudent(teacher, STUDENT);
  const shapes: number[][] = [];
  try {
    await train(student, { ...data, examples }, (s) => {
      shapes.push(s.studentScores.shape);
      const loss = oneHotLoss(s.studentScores);
      return { total: loss, terms: {} };
    }, { steps: 1, batchSize: 16, seed: 1, negativesPerQuery: 2 });
    assert.deepEqual(shapes, [[16, 48]]);
  } finally {
    for (const v of student.model.params.values()) v.dispose();
  }
});

Deno.test("an interval that does not divide the steps: the last step is evaluated and checkpointed once", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { result, events } = await run({
      steps: 5,
      dev: task.dev,
      evalEvery: 2,
      checkpointDir: join(root, "c"),
    });
    const at = (kind: "eval" | "checkpoint") =>
      events.flatMap((e) =>
        e.kind === "eval" && kind === "eval"
          ? [e.record.step]
          : e.kind === "checkpoint" && kind === "checkpoint"
          ? [e.step]
          : []
      );
    assert.deepEqual(at("eval"), [2, 4, 5]);
    assert.deepEqual(at("checkpoint"), [2, 4, 5]);
    assert.deepEqual(result.evals.map((e) => e.step), [2, 4, 5]);
    const state = await readLatestCheckpoint(join(root, "c"));
    assert.deepEqual(state!.state.evals.map((e) => e.step), [2, 4, 5]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("examples/s counts optimisation time only; evaluation and checkpoint time are reported apart", async () => {
  const student = await buildStudent(teacher, STUDENT);
  const events: TrainingEvent[] = [];
  const root = await Deno.makeTempDir();
  const pause = 0.25; // seconds each (deliberately slow) evaluation takes
  try {
    const steps = 4;
    const batchSize = 16;
    const result = await trainLoop(dualEncoderTrainable(student, data, RECIPE, 0), {
      steps,
      batchSize,
      seed: 3,
      examples: data.examples.length,
      schedule: { kind: "constant", rate: 1e-3 },
      optimizer: { kind: "adamw" },
      maxGradNorm: 1,
      diagnosticsEvery: 0,
      dev: {
        // A real evaluation that also waits: its time must not lower the training rate.
        evaluate: async (step) => {
          const record = await evaluateStudent(
            student,
            task.dev,
            data.documents,
            teacherDocuments,
            step,
          );
          await new Promise((r) => setTimeout(r, pause * 1000));
          return record;
        },
        every: 1,
        select: "RR@10",
      },
      checkpoints: { dir: join(root, "c"), every: 1, resume: false },
      onEvent: (e) => events.push(e),
    });
    const evals = events.flatMap((e) => (e.kind === "eval" ? [e.seconds] : []));
    const checkpoints = events.flatMap((e) => (e.kind === "checkpoint" ? [e.seconds] : []));
    assert.equal(evals.length, steps);
    assert.ok(evals.every((s) => s >= pause), String(evals));
    assert.equal(checkpoints.length, steps);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(result.seconds.evaluation - sum(evals)) < 1e-9);
    assert.ok(Math.abs(result.seconds.checkpoints - sum(checkpoints)) < 1e-9);
    const last = events.filter((e) => e.kind === "step").at(-1)!;
    assert.ok(last.kind === "step");
    // The rate's implied time is the optimisation time, well under the evaluations' time.
    const implied = (steps * batchSize) / last.examplesPerSecond;
    assert.ok(
      Math.abs(implied - result.seconds.training) < 0.05,
      `${implied} vs ${result.seconds.training}`,
    );
    assert.ok(implied < result.seconds.evaluation, `${implied} vs ${result.seconds.evaluation}`);
  } finally {
    for (const v of student.model.params.values()) v.dispose();
    await Deno.remove(root, { recursive: true });
  }
});
