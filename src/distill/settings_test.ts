import assert from "node:assert/strict";
import type { ModelSpec } from "../models/mod.ts";
import { MICRO_BERT } from "../testing/mod.ts";
import { resolveDistillSettings } from "./settings.ts";

const DATA = { documents: 100, trainQueries: 10, trainJudgments: 12, devQueries: 0 };
const STUDENT = { kind: "asymmetric", init: { kind: "random", seed: 1 } } as const;

Deno.test("resolveDistillSettings: a cross-encoder teacher's candidate, loss and trainer defaults are spelled out", () => {
  const cls: ModelSpec = {
    kind: "cross",
    encoder: MICRO_BERT,
    scorer: { kind: "cls" },
    maxLength: 64,
  };
  const s = resolveDistillSettings(cls, {
    student: { kind: "symmetric", towers: "shared", init: { kind: "random", seed: 1 } },
    training: { steps: 50 },
    data: DATA,
  });
  assert.deepEqual(s.teacher, {
    kind: "cross-encoder",
    scorer: "cls",
    negatives: 7,
    firstStage: { kind: "bm25", k1: 0.9, b: 0.4, seed: 0 },
    documentSide: "none",
    scoring: "candidates",
    queryMaxLength: 32,
    documentMaxLength: 64,
    similarity: { kind: "dot" },
    batchSize: 32,
  });
  // A [CLS] scorer has no embeddings: score KD alone, its temperatures and convention resolved.
  assert.deepEqual(s.loss.terms, [{
    kind: "score-kd",
    name: "score-kd",
    weight: 1,
    teacherTemperature: 1,
    studentTemperature: 1,
    form: "cross-entropy",
    rescale: "none",
  }]);
  assert.equal(s.training.batchSize, 32);
  assert.equal(s.training.seed, 42);
  assert.equal(s.training.evalEvery, 10);
  assert.equal(s.training.negativesPerQuery, 0);
  assert.deepEqual(s.training.dev, { kind: "none" });
  assert.doesNotMatch(JSON.stringify(s), /null/);

  const inBatch = resolveDistillSettings(cls, {
    student: STUDENT,
    crossEncoder: { scoring: "candidates-in-batch", negatives: 3 },
    training: { maxGradNorm: Infinity },
    data: { ...DATA, devQueries: 5 },
  });
  assert.equal(inBatch.training.negativesPerQuery, 3);
  assert.deepEqual(inBatch.training.clip, { kind: "none" });
  assert.equal(inBatch.training.dev.kind, "dev");
  assert.equal(inBatch.training.steps, 1000);
  assert.equal(
    inBatch.training.schedule.kind === "linear" && inBatch.training.schedule.warmupSteps,
    100,
  );
});
