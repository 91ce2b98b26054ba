import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type CrossEncoderSpec, embed, initModelWeights } from "../../models/mod.ts";
import { crossEncoderAsTeacher, crossEncoderRecipe } from "./ce_distill.ts";
import { recipeObjective } from "../train_student.ts";
import { buildStudent } from "../student.ts";
import { encoderConfig } from "../../testing/mod.ts";
import {
  CANDIDATE_MASK,
  computeStep,
  listScores,
  padSequences,
  type StepBatch,
  type StepTensors,
  type TrainingData,
} from "../train/mod.ts";

await tf.setBackend("cpu");

const CE: CrossEncoderSpec = {
  kind: "cross",
  encoder: encoderConfig(40, 8, 1, 2),
  scorer: { kind: "dual-pooling", includeSpecialTokens: false },
  maxLength: 16,
};
const CE_TEACHER = { spec: CE, weights: initModelWeights(CE, 1) };

function matrix(rows: number, dims: number, seed: number) {
  const vectors = Float32Array.from(
    { length: rows * dims },
    (_, i) => Math.sin(seed * 7 + i * 1.3),
  );
  return { count: rows, dims, vectors };
}

Deno.test("listScores scores each query against its own list (dot and scaled cosine)", () => {
  const q = tf.tensor2d([[1, 0], [0, 2]]);
  const d = tf.tensor2d([[1, 1], [2, 0], [0, 1], [3, 3]]);
  const dot = listScores({ kind: "dot" }, q, d, 2);
  assert.deepEqual(dot.shape, [2, 2]);
  assert.deepEqual(Array.from(dot.dataSync()), [1, 2, 2, 6]);
  const cos = listScores({ kind: "cosine", scale: 2 }, q, d, 2).dataSync();
  [Math.SQRT2, 2, 2, Math.SQRT2].forEach((x, i) => assert.ok(Math.abs(cos[i]! - x) < 1e-6));
  tf.dispose([q, d, dot]);
});

Deno.test("candidate-list step: first-column layout, KD KL 0 when the student's scores are the teacher's", async () => {
  const teacher = crossEncoderAsTeacher(CE_TEACHER, { kind: "dot" }, 8, 8);
  const student = await buildStudent(teacher, {
    kind: "asymmetric",
    encoder: encoderConfig(40, 4, 1, 2),
    init: { kind: "random", seed: 3 },
  });
  const queries = [[2, 5, 6, 3], [2, 7, 3], [2, 8, 9, 10, 3]];
  const base: TrainingData = {
    queries,
    documents: [[2, 12, 3], [2, 15, 3], [2, 16, 3], [2, 18, 3], [2, 22, 3]],
    examples: [
      { query: 0, positive: 0, negatives: [3, 4] },
      { query: 1, positive: 1, negatives: [0, 2] },
      { query: 2, positive: 2, negatives: [4, 1] },
    ],
    teacher: { kind: "none" },
  };
  const teacherQueries = matrix(3, 8, 1);
  const teacherDocuments = matrix(5, 8, 2);
  const batch: StepBatch = {
    queries: [0, 1, 2],
    documents: [0, 3, 4, 1, 0, 2, 2, 4, 1],
    examples: [0, 1, 2],
    listWidth: 3,
  };
  // The student's own list scores (query tower projected to 8 dims, dot product).
  const own = tf.tidy(() => {
    const q = embed(student.model, "query", padSequences(queries));
    const d = tf.tensor2d(
      batch.documents.flatMap((i) => [...teacherDocuments.vectors.slice(i * 8, i * 8 + 8)]),
      [9, 8],
    );
    return listScores({ kind: "dot" }, q, d, 3);
  });
  const s = Array.from(own.dataSync());
  own.dispose();
  const lists = {
    kind: "candidates",
    scores: { count: 3, dims: 3, vectors: Float32Array.from(s) },
    queries: teacherQueries,
    documents: teacherDocuments,
  } as const;
  const data: TrainingData = { ...base, teacher: lists };
  let seen: StepTensors | undefined;
  const kl = computeStep(student, data, batch, (step) => {
    seen = step;
    return recipeObjective({
      terms: [{ kind: "score-kd", form: "kl" }, {
        kind: "score-kd",
        name: "ce",
        form: "cross-entropy",
      }, {
        kind: "one-hot",
      }],
    })(step);
  }, true);
  assert.equal(seen?.layout, "first-column");
  assert.ok(Math.abs(kl.terms["score-kd"]!) < 1e-5, `KL ${kl.terms["score-kd"]}`);
  // Hand-computed from the scores: cross-entropy = teacher entropy, one-hot = -log p(first).
  let entropy = 0;
  let oneHot = 0;
  for (let i = 0; i < 3; i++) {
    const row = s.slice(i * 3, i * 3 + 3);
    const lse = Math.log(row.reduce((a, x) => a + Math.exp(x), 0));
    entropy -= row.reduce((a, x) => a + Math.exp(x - lse) * (x - lse), 0) / 3;
    oneHot += (lse - row[0]!) / 3;
  }
  assert.ok(Math.abs(kl.terms["ce"]! - entropy) < 1e-5);
  assert.ok(Math.abs(kl.terms["one-hot"]! - oneHot) < 1e-5);
  assert.ok(kl.agreement !== undefined && Math.abs(kl.agreement.scoreCorrelation - 1) < 1e-5);
  for (const g of kl.gradients.values()) g.dispose();
  // Query embedding matching is 0 when the targets are the student's own projected embeddings.
  const q = tf.tidy(() => embed(student.model, "query", padSequences(queries)));
  const own2: TrainingData = {
    ...data,
    teacher: {
      ...lists,
      queries: { count: 3, dims: 8, vectors: Float32Array.from(q.dataSync()) },
    },
  };
  q.dispose();
  const match = computeStep(
    student,
    own2,
    batch,
    recipeObjective(
      crossEncoderRecipe(CE_TEACHER, { kind: "asymmetric", init: { kind: "random", seed: 1 } }),
    ),
    false,
  );
  assert.ok(match.terms["embed-query"]! < 1e-3, `${match.terms["embed-query"]}`);
  for (const g of match.gradients.values()) g.dispose();
  for (const v of student.model.params.values()) v.dispose();
});

Deno.test("pair document targets are gathered per listed pair; a live scorer feeds in-batch scores", async () => {
  const teacher = crossEncoderAsTeacher(CE_TEACHER, { kind: "dot" }, 8, 8);
  const student = await buildStudent(teacher, {
    kind: "symmetric",
    towers: "shared",
    encoder: encoderConfig(40, 4, 1, 2),
    init: { kind: "random", seed: 4 },
  });
  const pairs = matrix(6, 8, 5); // 3 examples x width 2
  const data: TrainingData = {
    queries: [[2, 5, 3], [2, 6, 7, 3], [2, 8, 3]],
    documents: [[2, 12, 3], [2, 15, 16, 3], [2, 17, 3]],
    examples: [
      { query: 0, positive: 0, negatives: [1] },
      { query: 1, positive: 1, negatives: [2] },
      { query: 2, positive: 2, negatives: [0] },
    ],
    teacher: {
      kind: "candidates",
      queries: matrix(3, 8, 1),
      scores: matrix(3, 2, 3),
      pairDocuments: pairs,
    },
  };
  const listScoresMatrix = matrix(3, 2, 3);
  let documents: number[] = [];
  let teacherScores: number[] = [];
  const capture = (step: StepTensors) => {
    documents = Array.from(step.teacherDocuments!.dataSync());
    teacherScores = Array.from(step.teacherScores!.dataSync());
    return recipeObjective({ terms: [{ kind: "embed-match", side: "document" }] })(step);
  };
  const batch: StepBatch = {
    queries: [2, 0],
    documents: [2, 0, 0, 1],
    examples: [2, 0],
    listWidth: 2,
  };
  const out = computeStep(student, data, batch, capture, false);
  for (const g of out.gradients.values()) g.dispose();
  const rows = [4, 5, 0, 1].flatMap((r) => [...pairs.vectors.slice(r * 8, r * 8 + 8)]);
  assert.deepEqual(documents, rows);
  assert.deepEqual(teacherScores, [4, 5, 0, 1].map((i) => listScoresMatrix.vectors[i]!));
  // In-batch: the live scorer's matrix is what the objective sees, for the batch's indices.
  const seen: string[] = [];
  const live: TrainingData = {
    queries: data.queries,
    documents: data.documents,
    examples: data.examples,
    teacher: {
      kind: "in-batch-scorer",
      queries: matrix(3, 8, 1),
      score: (q, d) => {
        seen.push(`${q}|${d}`);
        return tf.tensor2d([[1, 2], [3, 4]]);
      },
    },
  };
  const inBatch = computeStep(student, live, { queries: [1, 2], documents: [1, 2] }, (step) => {
    teacherScores = Array.from(step.teacherScores!.dataSync());
    return recipeObjective({ terms: [{ kind: "score-kd" }] })(step);
  }, false);
  for (const g of inBatch.gradients.values()) g.dispose();
  assert.deepEqual(seen, ["1,2|1,2"]);
  assert.deepEqual(teacherScores, [1, 2, 3, 4]);
  for (const v of student.model.params.values()) v.dispose();
});

Deno.test("candidates-in-batch: teacher scores from own lists, other batch documents masked", async () => {
  const teacher = crossEncoderAsTeacher(CE_TEACHER, { kind: "dot" }, 8, 8);
  const student = await buildStudent(teacher, {
    kind: "asymmetric",
    encoder: encoderConfig(40, 4, 1, 2),
    init: { kind: "random", seed: 5 },
  });
  const data: TrainingData = {
    queries: [[2, 5, 3], [2, 6, 7, 3]],
    documents: [[2, 12, 3], [2, 15, 3], [2, 17, 3], [2, 18, 3]],
    examples: [
      { query: 0, positive: 0, negatives: [2] },
      { query: 1, positive: 1, negatives: [2] }, // document 2 is in both lists
    ],
    teacher: {
      kind: "candidates",
      queries: matrix(2, 8, 1),
      documents: matrix(4, 8, 2),
      scores: { count: 2, dims: 2, vectors: Float32Array.from([5, 6, 7, 8]) },
      inBatch: true,
    },
  };
  let seen: number[] = [];
  let layout: string | undefined;
  // The trainer's in-batch batch: positives, then each example's negatives.
  const batch: StepBatch = { queries: [0, 1], documents: [0, 1, 2, 2], examples: [0, 1] };
  const out = computeStep(student, data, batch, (step) => {
    seen = Array.from(step.teacherScores!.dataSync());
    layout = step.layout;
    return recipeObjective({ terms: [{ kind: "score-kd" }, { kind: "one-hot" }] })(step);
  }, false);
  for (const g of out.gradients.values()) g.dispose();
  const M = CANDIDATE_MASK;
  assert.equal(layout, undefined); // diagonal
  assert.deepEqual(seen, [5, M, 6, 6, M, 7, 8, 8]);
  assert.ok(Number.isFinite(out.loss));
  for (const v of student.model.params.values()) v.dispose();
});
