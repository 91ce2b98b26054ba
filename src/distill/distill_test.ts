import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { initEngine } from "../engine/mod.ts";
import { SYNTHETIC_SIZES } from "../data/synthetic/mod.ts";
import { type Qrels, qrelsFromJudgments } from "../eval/mod.ts";
import {
  createDualEncoder,
  embed,
  fromVariables,
  initModelWeights,
  loadModelDir,
} from "../models/mod.ts";
import { OnnxEncoder } from "../models/onnx/mod.ts";
import { distill } from "./distill.ts";
import type { DistillData } from "./distill_config.ts";
import type { LossRecipe } from "./loss/mod.ts";
import type { TeacherModel } from "./student.ts";
import { padSequences, trainDualEncoderOnLabels } from "./train/mod.ts";
import { encoderConfig, teacherSpec, type TinyTask, tinyTask } from "../testing/mod.ts";

await initEngine();

function distillData(task: TinyTask): DistillData {
  const ds = task.dataset;
  const byId = new Map(ds.queries.map((q) => [q.id, q]));
  const qrels = (split: "train" | "dev"): Qrels =>
    qrelsFromJudgments(
      ds.qrels[split].map((j) => ({ queryId: j.queryId, docId: j.docId, label: j.label })),
    );
  return {
    corpus: ds.documents,
    trainQueries: ds.splits.train.map((id) => byId.get(id)!),
    trainQrels: qrels("train"),
    devQueries: ds.splits.dev.map((id) => byId.get(id)!),
    devQrels: qrels("dev"),
  };
}

Deno.test("distill() writes a student model directory and ONNX towers that match tfjs", async () => {
  const task = tinyTask({ dev: 20 });
  const spec = teacherSpec(task, encoderConfig(task.vocabSize, 16, 2, 2));
  const teacher: TeacherModel = { spec, weights: initModelWeights(spec, 3) };
  const out = await Deno.makeTempDir({ prefix: "embeddistill-distill-test-" });
  try {
    const events: string[] = [];
    const result = await distill({
      teacher: { kind: "model", model: teacher },
      tokenizer: task.tokenizer,
      data: distillData(task),
      student: {
        kind: "asymmetric",
        encoder: encoderConfig(task.vocabSize, 8, 1, 2),
        init: { kind: "random", seed: 2 },
      },
      training: { steps: 6, batchSize: 16, evalEvery: 3 },
      outputDir: join(out, "student"),
      home: join(out, "home"),
      onEvent: (e) => events.push(e.kind),
    });
    assert.deepEqual(events.filter((k) => k !== "step"), [
      "eval",
      "checkpoint",
      "eval",
      "checkpoint",
    ]);
    assert.equal(result.training.losses.length, 6);
    // Every default resolved and returned (issue 9): the settings the run trained with.
    const { settings } = result;
    assert.equal(settings.training.evalEvery, 3);
    assert.deepEqual(settings.training.schedule, {
      kind: "linear",
      peak: 5e-4,
      warmupSteps: 0,
      totalSteps: 6,
    });
    assert.deepEqual(settings.loss.terms.map((t) => t.name), ["embed-query", "score-kd"]);
    assert.doesNotMatch(JSON.stringify(settings), /null/);
    assert.deepEqual(result.missingDocuments.train, { judgments: 0, documents: 0, firstIds: [] });
    const stored = await loadModelDir(result.modelDir);
    assert.equal(stored.spec.kind, "dual");
    if (stored.spec.kind !== "dual" || stored.spec.towers.kind !== "separate") {
      throw new TypeError("kind");
    }
    assert.equal(stored.spec.towers.query.projectionDim, 16); // saved with the student
    await Deno.stat(join(result.modelDir, "tokenizer.json"));
    // The exported query tower embeds like the tfjs model (normalised: cosine similarity).
    const model = createDualEncoder(stored.spec, stored.weights);
    const queries = task.dev.queries.slice(0, 4);
    const expected = tf.tidy(() => {
      const e = embed(model, "query", padSequences(queries));
      return tf.div(e, tf.norm(e, 2, 1, true));
    });
    const encoder = await OnnxEncoder.load(result.onnx!.query);
    try {
      const got = await encoder.encodeQueries(queries);
      const want = expected.dataSync();
      got.vectors.forEach((x, i) => assert.ok(Math.abs(x - want[i]!) < 1e-4, `${x} vs ${want[i]}`));
    } finally {
      await encoder.close();
      expected.dispose();
      for (const v of model.params.values()) v.dispose();
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

/**
 * The acceptance check of issue 5, on the synthetic `tiny` preset itself (generic variant: 4000
 * documents, 300 training queries with 1164 graded positives, 100 dev queries). Teacher: 2
 * layers, hidden 64, trained on labels for 300 steps (about 8 epochs) at peak rate 2e-3; it
 * reaches dev RR@10 0.25 (BM25: 0.47 on this split; a from-scratch encoder cannot learn the
 * synonym tables from 300 queries, see PAPER.md training facts), far above what the students
 * learn from the labels alone. Students: 1 layer, hidden 32, asymmetric (scored against the
 * teacher's document embeddings), 600 steps. Measured (2-core AMD EPYC, wasm): labels-only
 * 0.061 / 0.077 / 0.081, distilled 0.108 / 0.123 / 0.111 for seeds 11 / 12 / 13.
 */
Deno.test("distilled asymmetric students beat label-trained ones on each of 3 seeds", async () => {
  const task = tinyTask({ variant: "generic" });
  assert.equal(task.dataset.splits.train.length, SYNTHETIC_SIZES.tiny.train);
  assert.equal(task.dataset.documents.length, SYNTHETIC_SIZES.tiny.documents);
  const spec = teacherSpec(task, encoderConfig(task.vocabSize, 64, 2, 2));
  const model = createDualEncoder(spec, initModelWeights(spec, 100));
  const teacherResult = await trainDualEncoderOnLabels(model, task.data, {
    steps: 300,
    batchSize: 32,
    seed: 100,
    learningRate: 2e-3,
    dev: task.dev,
    evalEvery: 300,
  });
  const teacher: TeacherModel = { spec, weights: fromVariables(model.params) };
  for (const v of model.params.values()) v.dispose();
  const teacherRr = teacherResult.evals.at(-1)!.metrics["RR@10"]!;
  const out = await Deno.makeTempDir({ prefix: "embeddistill-e2e-test-" });
  const labels: LossRecipe = { terms: [{ kind: "one-hot" }] };
  const embedDistill: LossRecipe = {
    terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }],
  };
  try {
    const data = distillData(task);
    const rr = async (seed: number, loss: LossRecipe, name: string) => {
      const result = await distill({
        teacher: { kind: "model", model: teacher },
        tokenizer: task.tokenizer,
        data,
        student: {
          kind: "asymmetric",
          encoder: encoderConfig(task.vocabSize, 32, 1, 2),
          init: { kind: "random", seed },
        },
        loss,
        training: { steps: 600, batchSize: 32, seed, learningRate: 1e-3, evalEvery: 600 },
        outputDir: join(out, `${name}-${seed}`),
        home: join(out, "home"),
        exportOnnx: false,
      });
      return result.training.evals.at(-1)!.metrics["RR@10"]!;
    };
    const rows: string[] = [];
    for (const seed of [11, 12, 13]) {
      const a = await rr(seed, labels, "labels");
      const b = await rr(seed, embedDistill, "distill");
      rows.push(`seed ${seed}: labels ${a.toFixed(4)}, distilled ${b.toFixed(4)}`);
      assert.ok(b > a, `teacher RR@10 ${teacherRr.toFixed(4)}; ${rows.join("; ")}`);
      assert.ok(
        teacherRr > a,
        `teacher RR@10 ${teacherRr.toFixed(4)} not above ${rows.join("; ")}`,
      );
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
