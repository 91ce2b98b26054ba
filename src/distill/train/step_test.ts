import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type DualEncoderSpec, embed, initModelWeights } from "../../models/mod.ts";
import { recipeObjective } from "../train_student.ts";
import { buildStudent, type TeacherModel } from "../student.ts";
import { encoderConfig } from "../../testing/mod.ts";
import { gatherRows, padSequences } from "./batch_rows.ts";
import { computeStep } from "./step.ts";
import type { StepTensors, TrainingData } from "./types.ts";

await tf.setBackend("cpu");

const SPEC: DualEncoderSpec = {
  kind: "dual",
  towers: { kind: "shared", tower: { encoder: encoderConfig(40, 8, 1, 2) } },
  pooling: "mean",
  similarity: { kind: "dot" },
  queryMaxLength: 8,
  documentMaxLength: 8,
};
const TEACHER: TeacherModel = { spec: SPEC, weights: initModelWeights(SPEC, 1) };

function matrix(rows: number, dims: number, seed: number) {
  const vectors = Float32Array.from(
    { length: rows * dims },
    (_, i) => Math.sin(seed * 7 + i * 1.3),
  );
  return { count: rows, dims, vectors };
}

const DATA: TrainingData = {
  queries: [[2, 5, 6, 3], [2, 7, 3], [2, 8, 9, 10, 3], [2, 11, 3]],
  documents: [[2, 12, 13, 14, 3], [2, 15, 3], [2, 16, 17, 3], [2, 18, 19, 20, 21, 3], [2, 22, 3]],
  examples: [],
  teacher: { kind: "embeddings", queries: matrix(4, 8, 1), documents: matrix(5, 8, 2) },
};
const TEACHER_QUERIES = matrix(4, 8, 1);
const TEACHER_DOCUMENTS = matrix(5, 8, 2);

function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((x, y) => x + y, 0) / a.length;
  const mb = b.reduce((x, y) => x + y, 0) / b.length;
  let num = 0, da = 0, db = 0;
  a.forEach((x, i) => {
    num += (x - ma) * (b[i]! - mb);
    da += (x - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}

Deno.test("padSequences and gatherRows lay out rows as expected", () => {
  const batch = padSequences([[1, 2, 3], [4]]);
  assert.deepEqual(batch.shape, [2, 3]);
  assert.deepEqual(Array.from(batch.inputIds), [1, 2, 3, 4, 0, 0]);
  assert.deepEqual(Array.from(batch.attentionMask), [1, 1, 1, 1, 0, 0]);
  const rows = gatherRows({ count: 3, dims: 2, vectors: Float32Array.from([1, 2, 3, 4, 5, 6]) }, [
    2,
    0,
  ]);
  assert.deepEqual([...rows.dataSync()], [5, 6, 1, 2]);
  assert.throws(
    () => gatherRows({ count: 1, dims: 1, vectors: new Float32Array(1) }, [1]),
    RangeError,
  );
});

Deno.test("a symmetric step feeds both sides and agreement matches a direct computation", async () => {
  const student = await buildStudent(TEACHER, {
    kind: "symmetric",
    towers: "separate",
    encoder: encoderConfig(40, 4, 1, 2),
    init: { kind: "random", seed: 3 },
  });
  const seen: Record<string, number[]> = {};
  const recipe = recipeObjective({
    terms: [
      { kind: "score-kd" },
      { kind: "embed-match", side: "query" },
      { kind: "embed-match", side: "document" },
    ],
  });
  const batch = { queries: [0, 1, 2], documents: [1, 3, 4, 0] };
  const out = computeStep(student, DATA, batch, (s: StepTensors) => {
    for (const [k, v] of Object.entries(s)) seen[k] = (v as tf.Tensor).shape;
    return recipe(s);
  }, true);
  assert.deepEqual(seen, {
    studentScores: [3, 4],
    studentQueries: [3, 8],
    studentDocuments: [4, 8],
    teacherScores: [3, 4],
    teacherQueries: [3, 8],
    teacherDocuments: [4, 8],
  });
  assert.deepEqual(Object.keys(out.terms).sort(), ["embed-document", "embed-query", "score-kd"]);
  assert.equal(out.gradients.size, student.trainable.size);
  // Agreement from the student's own embeddings, in float64.
  const q = embed(student.model, "query", padSequences(batch.queries.map((i) => DATA.queries[i]!)));
  const d = embed(
    student.model,
    "document",
    padSequences(batch.documents.map((i) => DATA.documents[i]!)),
  );
  const qs = q.arraySync();
  const ds = d.arraySync();
  const tq = batch.queries.map((i) => [...TEACHER_QUERIES.vectors.subarray(i * 8, i * 8 + 8)]);
  const td = batch.documents.map((
    i,
  ) => [...TEACHER_DOCUMENTS.vectors.subarray(i * 8, i * 8 + 8)]);
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  const cos = qs.map((row, i) => dot(row, tq[i]!) / Math.sqrt(dot(row, row) * dot(tq[i]!, tq[i]!)));
  const studentScores = qs.flatMap((row) => ds.map((col) => dot(row, col)));
  const teacherScores = tq.flatMap((row) => td.map((col) => dot(row, col)));
  const agreement = out.agreement!;
  assert.ok(Math.abs(agreement.queryCosine - cos.reduce((a, b) => a + b, 0) / 3) < 1e-5);
  assert.ok(Math.abs(agreement.scoreCorrelation - pearson(studentScores, teacherScores)) < 1e-5);
  for (const g of out.gradients.values()) g.dispose();
  q.dispose();
  d.dispose();
});

Deno.test("an asymmetric step without teacher documents is a TypeError", async () => {
  const student = await buildStudent(TEACHER, {
    kind: "asymmetric",
    encoder: encoderConfig(40, 4, 1, 2),
    init: { kind: "random", seed: 3 },
  });
  const rest: TrainingData = { ...DATA, teacher: { kind: "none" } };
  assert.throws(
    () =>
      computeStep(
        student,
        rest,
        { queries: [0], documents: [0, 1] },
        recipeObjective({ terms: [{ kind: "one-hot" }] }),
        false,
      ),
    TypeError,
  );
});
