import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { initEngine } from "../../engine/mod.ts";
import { fromVariables, initModelWeights } from "../../models/mod.ts";
import { recipeObjective } from "../train_student.ts";
import { generatedRecipe } from "../query_generation.ts";
import { buildStudent, type TeacherModel } from "../student.ts";
import { teacherEmbeddings } from "../teacher_cache.ts";
import { encoderConfig, teacherSpec, tinyTask } from "../../testing/mod.ts";
import { readLatestCheckpoint } from "./checkpoint.ts";
import { combineOutcomes } from "./combine_outcomes.ts";
import { dualEncoderTrainable } from "./dual_encoder_trainable.ts";
import { train } from "./trainer.ts";
import type { TrainerOptions, TrainingData, TrainingEvent, TrainingExample } from "./types.ts";

await initEngine();

const task = tinyTask({ documents: 2000, dev: 20, pool: 200 });
const spec = teacherSpec(task, encoderConfig(task.vocabSize, 16, 1, 2));
const teacher: TeacherModel = { spec, weights: initModelWeights(spec, 21) };
// Stand-in generated queries: the first words of each pool document, generated from it.
const docIndex = new Map(task.dataset.documents.map((d, i) => [d.id, i]));
const pool = task.dataset.pool.slice(0, 64);
const generatedTokens = pool.map((id) => {
  const words = task.dataset.documents[docIndex.get(id)!]!.text.split(/\s+/).slice(0, 5);
  return task.tokenizer.encode(words.join(" "), { maxLength: task.queryLength }).ids;
});
const queries = [...task.data.queries, ...generatedTokens];
const home = await Deno.makeTempDir({ prefix: "embeddistill-generated-test-" });
const teacherQueries = await teacherEmbeddings(teacher, "query", queries, { home });
const teacherDocuments = await teacherEmbeddings(teacher, "document", task.data.documents, {
  home,
});
await Deno.remove(home, { recursive: true });
const generated: TrainingExample[] = pool.map((id, i) => ({
  query: task.data.queries.length + i,
  positive: docIndex.get(id)!,
}));
const DATA: TrainingData = {
  ...task.data,
  queries,
  generated,
  teacher: { kind: "embeddings", queries: teacherQueries, documents: teacherDocuments },
};
const STUDENT = {
  kind: "asymmetric",
  encoder: encoderConfig(task.vocabSize, 8, 1, 2),
  init: { kind: "random", seed: 5 },
} as const;
const RECIPE = { terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }] } as const;
const WEIGHT = 2.5;
const GENERATED = recipeObjective(generatedRecipe(RECIPE, WEIGHT));

async function run(data: TrainingData, options: Partial<TrainerOptions> = {}, qg = true) {
  const student = await buildStudent(teacher, STUDENT);
  const events: TrainingEvent[] = [];
  try {
    const result = await train(student, data, recipeObjective(RECIPE), {
      steps: 8,
      batchSize: 16,
      seed: 3,
      learningRate: 2e-3,
      diagnosticsEvery: 0,
      onEvent: (e) => events.push(e),
      ...options,
    }, qg ? GENERATED : undefined);
    return { result, events, weights: fromVariables(student.model.params) };
  } finally {
    for (const v of student.model.params.values()) v.dispose();
  }
}

Deno.test("generatedRecipe keeps the embed-match terms only, weighted; none is an error", () => {
  const recipe = generatedRecipe({
    terms: [
      { kind: "one-hot" },
      { kind: "score-kd" },
      { kind: "embed-match", side: "query", weight: 0.5 },
      { kind: "embed-match", side: "document" },
    ],
  }, 3);
  assert.deepEqual(recipe.terms, [
    { kind: "embed-match", side: "query", weight: 1.5 },
    { kind: "embed-match", side: "document", weight: 3 },
  ]);
  assert.throws(
    () => generatedRecipe({ terms: [{ kind: "score-kd" }, { kind: "one-hot" }] }, 1),
    /no embed-match term, the only loss generated queries take/,
  );
});

Deno.test("a generated batch's loss is the weighted embed-match term alone, from its own queries", async () => {
  const student = await buildStudent(teacher, STUDENT);
  try {
    const trainable = dualEncoderTrainable(student, DATA, recipeObjective(RECIPE), 0, GENERATED);
    assert.equal(trainable.generated?.examples, generated.length);
    const outcome = trainable.generated!.lossOf([0, 1, 2, 3]);
    assert.deepEqual(Object.keys(outcome.terms), ["embed-query"]);
    assert.ok(Math.abs(outcome.loss - WEIGHT * outcome.terms["embed-query"]!) < 1e-5);
    // The same queries as labelled rows would score-kd too: the generated objective does not.
    const labelled = trainable.lossOf([0, 1, 2, 3], false);
    assert.deepEqual(Object.keys(labelled.terms).sort(), ["embed-query", "score-kd"]);
    const both = combineOutcomes(labelled, outcome);
    assert.deepEqual(Object.keys(both.terms).sort(), ["embed-query", "qg/embed-query", "score-kd"]);
    assert.ok(Math.abs(both.loss - labelled.loss - outcome.loss) < 1e-9);
    for (const g of both.gradients.values()) g.dispose();
  } finally {
    for (const v of student.model.params.values()) v.dispose();
  }
});

Deno.test("combineOutcomes sums gradients per variable and keeps one-sided ones", () => {
  const a = {
    loss: 1,
    terms: { x: 1 },
    gradients: new Map([["w", tf.tensor1d([1, 2])], ["only-a", tf.tensor1d([5])]]),
  };
  const b = {
    loss: 2,
    terms: { x: 3 },
    gradients: new Map([["w", tf.tensor1d([10, 20])], ["only-b", tf.tensor1d([7])]]),
  };
  const before = tf.memory().numTensors;
  const c = combineOutcomes(a, b);
  assert.equal(c.loss, 3);
  assert.deepEqual(c.terms, { x: 1, "qg/x": 3 });
  assert.deepEqual(Array.from(c.gradients.get("w")!.dataSync()), [11, 22]);
  assert.deepEqual(Array.from(c.gradients.get("only-a")!.dataSync()), [5]);
  assert.deepEqual(Array.from(c.gradients.get("only-b")!.dataSync()), [7]);
  assert.equal(tf.memory().numTensors, before - 1); // the two "w" inputs became one sum
  for (const g of c.gradients.values()) g.dispose();
});

Deno.test("training with generated queries reports qg/ terms, is deterministic and differs from training without", async () => {
  const a = await run(DATA);
  const tensors = tf.memory().numTensors;
  const b = await run(DATA);
  assert.equal(tf.memory().numTensors, tensors); // no tensor leaks per run
  assert.deepEqual(a.result.losses, b.result.losses);
  assert.deepEqual(a.weights, b.weights);
  const step = a.events.find((e) => e.kind === "step")!;
  assert.ok(step.kind === "step");
  assert.deepEqual(Object.keys(step.terms).sort(), ["embed-query", "qg/embed-query", "score-kd"]);
  const without = await run({ ...DATA, generated: [] }, {}, false);
  const first = without.events.find((e) => e.kind === "step")!;
  assert.ok(first.kind === "step");
  assert.deepEqual(Object.keys(first.terms).sort(), ["embed-query", "score-kd"]);
  assert.notDeepEqual(without.weights, a.weights);
  // The labelled batches are the same with and without: only the generated part differs.
  assert.equal(first.terms["score-kd"], step.terms["score-kd"]);
});

Deno.test("a run with generated queries killed mid-way resumes to identical weights", async () => {
  const root = await Deno.makeTempDir();
  try {
    const full = await run(DATA, { checkpointDir: join(root, "a"), checkpointEvery: 2 });
    const dir = join(root, "b");
    await assert.rejects(() =>
      run(DATA, {
        checkpointDir: dir,
        checkpointEvery: 2,
        onEvent: (e) => {
          if (e.kind === "step" && e.step === 7) throw new Error("interrupted");
        },
      })
    );
    assert.equal((await readLatestCheckpoint(dir))!.state.step, 6);
    const resumed = await run(DATA, { checkpointDir: dir, checkpointEvery: 2, resume: true });
    assert.equal(resumed.events[0]!.kind, "resumed");
    assert.deepEqual(resumed.result.losses, full.result.losses);
    assert.deepEqual(resumed.weights, full.weights);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("generated queries without their objective, or fewer than a batch, are clear errors", async () => {
  const student = await buildStudent(teacher, STUDENT);
  try {
    assert.throws(
      () => dualEncoderTrainable(student, DATA, recipeObjective(RECIPE), 0),
      /Cannot train on 64 generated queries: no generated objective was given/,
    );
    const { generated: _, ...labelledOnly } = DATA;
    assert.throws(
      () => dualEncoderTrainable(student, labelledOnly, recipeObjective(RECIPE), 0, GENERATED),
      /a generated objective was given but the data has no generated examples/,
    );
  } finally {
    for (const v of student.model.params.values()) v.dispose();
  }
  await assert.rejects(
    () => run({ ...DATA, generated: generated.slice(0, 10) }),
    /Cannot form a batch of 16 generated queries from 10/,
  );
});
