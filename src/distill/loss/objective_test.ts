import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { computeObjective, type ObjectiveInputs } from "./objective.ts";
import type { LossRecipe } from "./recipe.ts";
import {
  checkLossGradients,
  randomMatrix,
  refEmbedMatch,
  refInBatchMarginMse,
  refOneHot,
  refScoreKd,
  type Rows,
} from "../../testing/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

const RECIPE: LossRecipe = {
  terms: [
    { kind: "one-hot", weight: 0.5 },
    { kind: "score-kd", teacherTemperature: 2, studentTemperature: 2, weight: 1 },
    { kind: "margin-mse", weight: 0.1 },
    { kind: "embed-match", side: "query", weight: 5 },
    { kind: "embed-match", side: "document", distance: "cosine", weight: 2 },
  ],
};

interface Batch {
  readonly teacherScores: Rows;
  readonly studentScores: Rows;
  readonly teacherQueries: Rows;
  readonly studentQueries: Rows;
  readonly teacherDocuments: Rows;
  readonly studentDocuments: Rows;
}

const BATCH: Batch = {
  teacherScores: randomMatrix(3, 4, 1, 2),
  studentScores: randomMatrix(3, 4, 2, 2),
  teacherQueries: randomMatrix(3, 5, 3),
  studentQueries: randomMatrix(3, 5, 4),
  teacherDocuments: randomMatrix(3, 5, 5),
  studentDocuments: randomMatrix(3, 5, 6),
};

function refTerms(b: Batch): Record<string, number> {
  return {
    "one-hot": refOneHot(b.studentScores),
    "score-kd": refScoreKd(b.teacherScores, b.studentScores, {
      teacherTemperature: 2,
      studentTemperature: 2,
      form: "cross-entropy",
      rescale: "none",
    }),
    "margin-mse": refInBatchMarginMse(b.teacherScores, b.studentScores),
    "embed-query": refEmbedMatch(b.teacherQueries, b.studentQueries, "l2"),
    "embed-document": refEmbedMatch(b.teacherDocuments, b.studentDocuments, "cosine"),
  };
}

function refTotal(b: Batch): number {
  const t = refTerms(b);
  return 0.5 * t["one-hot"]! + t["score-kd"]! + 0.1 * t["margin-mse"]! +
    5 * t["embed-query"]! + 2 * t["embed-document"]!;
}

function tensors(b: Batch): ObjectiveInputs {
  return {
    teacherScores: tf.tensor2d(b.teacherScores as number[][]),
    studentScores: tf.tensor2d(b.studentScores as number[][]),
    teacherQueries: tf.tensor2d(b.teacherQueries as number[][]),
    studentQueries: tf.tensor2d(b.studentQueries as number[][]),
    teacherDocuments: tf.tensor2d(b.teacherDocuments as number[][]),
    studentDocuments: tf.tensor2d(b.studentDocuments as number[][]),
  };
}

function evaluate(recipe: LossRecipe, b: Batch): { total: number; terms: Record<string, number> } {
  const inputs = tensors(b);
  const result = computeObjective(recipe, inputs);
  const terms = Object.fromEntries(
    Object.entries(result.terms).map(([name, t]) => [name, t.dataSync()[0]!]),
  );
  const total = result.total.dataSync()[0]!;
  tf.dispose([result.total, ...Object.values(result.terms), ...Object.values(inputs)]);
  return { total, terms };
}

Deno.test("objective: every term by name and the weighted total match the float64 reference", () => {
  const got = evaluate(RECIPE, BATCH);
  const expected = refTerms(BATCH);
  assert.deepEqual(Object.keys(got.terms), [
    "embed-document",
    "embed-query",
    "margin-mse",
    "one-hot",
    "score-kd",
  ]);
  for (const [name, v] of Object.entries(expected)) {
    assert.ok(Math.abs(got.terms[name]! - v) < 1e-5, `${name}: ${got.terms[name]} vs ${v}`);
  }
  assert.ok(Math.abs(got.total - refTotal(BATCH)) < 1e-4, `${got.total} vs ${refTotal(BATCH)}`);
});

Deno.test("objective: a weight-0 term is reported but not added", () => {
  const got = evaluate({ terms: [{ kind: "one-hot" }, { kind: "margin-mse", weight: 0 }] }, BATCH);
  assert.ok(got.terms["margin-mse"]! > 0);
  assert.ok(Math.abs(got.total - got.terms["one-hot"]!) < 1e-7);
});

Deno.test("objective: the total's gradient matches central finite differences", () => {
  const fixed = BATCH;
  const check = checkLossGradients(
    {
      studentScores: fixed.studentScores,
      studentQueries: fixed.studentQueries,
      studentDocuments: fixed.studentDocuments,
    },
    (p) =>
      computeObjective(RECIPE, {
        teacherScores: tf.tensor2d(fixed.teacherScores as number[][]),
        studentScores: p.get("studentScores") as tf.Tensor2D,
        teacherQueries: tf.tensor2d(fixed.teacherQueries as number[][]),
        studentQueries: p.get("studentQueries") as tf.Tensor2D,
        teacherDocuments: tf.tensor2d(fixed.teacherDocuments as number[][]),
        studentDocuments: p.get("studentDocuments") as tf.Tensor2D,
      }).total,
    (m) =>
      refTotal({
        ...fixed,
        studentScores: m.studentScores!,
        studentQueries: m.studentQueries!,
        studentDocuments: m.studentDocuments!,
      }),
  );
  assert.ok(check.maxAbsGradient > 0.01);
  assert.ok(check.maxError < 2e-3, `${check.maxError}`);
});

Deno.test("objective is batch-size invariant: a doubled batch (block-diagonal scores) gives the same terms", () => {
  const far = -1e9;
  const double = (m: Rows) => [
    ...m.map((row) => [...row, ...row.map(() => far)]),
    ...m.map((row) => [...row.map(() => far), ...row]),
  ];
  // Margin-MSE sees the extra far columns as negatives, so it is left out here.
  const recipe: LossRecipe = { terms: RECIPE.terms.filter((t) => t.kind !== "margin-mse") };
  const doubled = evaluate(recipe, {
    teacherScores: double(BATCH.teacherScores.map((r) => r.slice(0, 3))),
    studentScores: double(BATCH.studentScores.map((r) => r.slice(0, 3))),
    teacherQueries: [...BATCH.teacherQueries, ...BATCH.teacherQueries],
    studentQueries: [...BATCH.studentQueries, ...BATCH.studentQueries],
    teacherDocuments: [...BATCH.teacherDocuments, ...BATCH.teacherDocuments],
    studentDocuments: [...BATCH.studentDocuments, ...BATCH.studentDocuments],
  });
  const square = evaluate(recipe, {
    ...BATCH,
    teacherScores: BATCH.teacherScores.map((r) => r.slice(0, 3)),
    studentScores: BATCH.studentScores.map((r) => r.slice(0, 3)),
  });
  for (const name of Object.keys(square.terms)) {
    assert.ok(Math.abs(square.terms[name]! - doubled.terms[name]!) < 1e-5, name);
  }
  assert.ok(Math.abs(square.total - doubled.total) < 1e-4);
});

Deno.test("objective: candidate-list layout and projected student embeddings reach the terms", () => {
  // A student tower projection 2 -> 5 (src/models: x W^T + b), applied before the objective.
  const weight = randomMatrix(5, 2, 4, 0.5);
  const bias = new Array<number>(5).fill(0);
  const studentQueries = randomMatrix(3, 2, 9);
  const projected = studentQueries.map((x) =>
    weight.map((w, o) => w.reduce((acc, wk, k) => acc + wk * x[k]!, 0) + bias[o]!)
  );
  const base = tensors(BATCH);
  const inputs: ObjectiveInputs = {
    ...base,
    studentQueries: tf.tensor2d(projected),
    layout: "first-column" as const,
  };
  const result = computeObjective({
    terms: [{ kind: "one-hot" }, { kind: "embed-match", side: "query" }],
  }, inputs);
  const expectedEmbed = refEmbedMatch(BATCH.teacherQueries, studentQueries, "l2", {
    weight,
    bias,
  });
  assert.ok(Math.abs(result.terms["embed-query"]!.dataSync()[0]! - expectedEmbed) < 1e-5);
  assert.ok(
    Math.abs(
      result.terms["one-hot"]!.dataSync()[0]! - refOneHot(BATCH.studentScores, "first-column"),
    ) <
      1e-5,
  );
  tf.dispose([result.total, ...Object.values(result.terms)]);
  tf.dispose([...Object.values(base), inputs.studentQueries!]);
});

Deno.test("objective: a term without its inputs is a TypeError naming it, and nothing leaks", () => {
  const scores = tf.tensor2d(BATCH.studentScores as number[][]);
  const before = tf.memory().numTensors;
  assert.throws(
    () =>
      computeObjective({ terms: [{ kind: "one-hot" }, { kind: "score-kd" }] }, {
        studentScores: scores,
      }),
    (e: unknown) => e instanceof TypeError && /"score-kd".*teacherScores/.test(e.message),
  );
  assert.equal(tf.memory().numTensors, before);
  const ok = computeObjective({ terms: [{ kind: "one-hot" }] }, { studentScores: scores });
  tf.dispose([ok.total, ...Object.values(ok.terms)]);
  assert.equal(tf.memory().numTensors, before);
  scores.dispose();
});

Deno.test("objective trains: Adam on student query embeddings reaches the teacher (asymmetric setting)", () => {
  // Teacher query/document embeddings fixed; the student's query embeddings are free variables
  // scored against the teacher's documents, as an asymmetric student's would be.
  const teacherQ = tf.tensor2d(randomMatrix(4, 3, 50));
  const teacherD = tf.tensor2d(randomMatrix(4, 3, 51));
  const teacherScores = tf.matMul(teacherQ, teacherD, false, true) as tf.Tensor2D;
  const student = tf.variable(tf.tensor2d(randomMatrix(4, 3, 52)));
  const recipe: LossRecipe = {
    terms: [{ kind: "score-kd", form: "kl" }, { kind: "embed-match", side: "query" }],
  };
  const optimizer = tf.train.adam(0.05);
  const read = () => {
    const out = computeObjective(recipe, {
      teacherScores,
      studentScores: tf.matMul(student, teacherD, false, true),
      teacherQueries: teacherQ,
      studentQueries: student,
    });
    const values = Object.fromEntries(
      Object.entries(out.terms).map(([k, v]) => [k, v.dataSync()[0]!]),
    );
    return values;
  };
  const start = tf.tidy(read);
  for (let step = 0; step < 300; step++) {
    optimizer.minimize(() =>
      computeObjective(recipe, {
        teacherScores,
        studentScores: tf.matMul(student, teacherD, false, true),
        teacherQueries: teacherQ,
        studentQueries: student,
      }).total
    );
  }
  const end = tf.tidy(read);
  assert.ok(start["embed-query"]! > 0.5 && start["score-kd"]! > 0.05, JSON.stringify(start));
  assert.ok(end["embed-query"]! < 0.05, JSON.stringify(end));
  assert.ok(end["score-kd"]! < 1e-3, JSON.stringify(end));
  optimizer.dispose();
  tf.dispose([teacherQ, teacherD, teacherScores, student]);
});
