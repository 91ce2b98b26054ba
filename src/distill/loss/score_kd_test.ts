import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { SCORE_KD_DEFAULTS, scoreKdLoss, type ScoreKdOptions } from "./score_kd.ts";
import { checkLossGradients, randomMatrix, refLogSoftmax, refScoreKd } from "../../testing/mod.ts";

await tf.setBackend("cpu");
tf.env().set("PROD", true);

function kd(teacher: number[][], student: number[][], options: ScoreKdOptions = {}): number {
  const loss = scoreKdLoss(tf.tensor2d(teacher), tf.tensor2d(student), options);
  const v = loss.dataSync()[0]!;
  loss.dispose();
  return v;
}

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
}

/** Mean over rows of the entropy of softmax(row / tau), in float64. */
function teacherEntropy(teacher: number[][], tau = 1): number {
  let total = 0;
  for (const row of teacher) {
    for (const lp of refLogSoftmax(row.map((x) => x / tau))) total -= Math.exp(lp) * lp;
  }
  return total / teacher.length;
}

Deno.test("score KD: hand-computed values of one row", () => {
  // Teacher [0, ln 3] -> p = [1/4, 3/4]; student [0, 0] -> q = [1/2, 1/2].
  const t = [[0, Math.log(3)]];
  const s = [[0, 0]];
  close(kd(t, s), Math.log(2), 1e-6, "cross-entropy = log 2");
  close(
    kd(t, s, { form: "kl" }),
    Math.log(2) + 0.25 * Math.log(0.25) + 0.75 * Math.log(0.75),
    1e-6,
    "kl",
  );
  // Teacher temperature 2 halves the scores: p = softmax([0, ln 3 / 2]) = [1, sqrt 3] / (1 + sqrt 3).
  const p1 = Math.sqrt(3) / (1 + Math.sqrt(3));
  // Student [0, ln 4] at temperature 2 -> q = [1/3, 2/3].
  close(
    kd(t, [[0, Math.log(4)]], { teacherTemperature: 2, studentTemperature: 2 }),
    -((1 - p1) * Math.log(1 / 3) + p1 * Math.log(2 / 3)),
    1e-6,
    "temperatures 2",
  );
});

Deno.test("score KD defaults: equal temperatures 1, cross-entropy form, no rescale", () => {
  assert.deepEqual(SCORE_KD_DEFAULTS, {
    teacherTemperature: 1,
    studentTemperature: 1,
    form: "cross-entropy",
    rescale: "none",
  });
});

Deno.test("score KD matches the float64 reference for every form, temperature and rescale", () => {
  const t = randomMatrix(4, 6, 1, 3);
  const s = randomMatrix(4, 6, 2, 3);
  for (const form of ["cross-entropy", "kl"] as const) {
    for (const rescale of ["none", "t-squared"] as const) {
      for (const [teacherTemperature, studentTemperature] of [[1, 1], [0.5, 2], [3, 3]] as const) {
        const o = { teacherTemperature, studentTemperature, form, rescale };
        close(kd(t, s, o), refScoreKd(t, s, o), 1e-5, JSON.stringify(o));
      }
    }
  }
});

Deno.test("score KD: student = teacher gives KL 0 and cross-entropy = teacher entropy", () => {
  const t = randomMatrix(5, 5, 7, 2);
  for (const tau of [0.5, 1, 4]) {
    const o = { teacherTemperature: tau, studentTemperature: tau };
    close(kd(t, t, { ...o, form: "kl" }), 0, 1e-6, `kl at tau ${tau}`);
    close(kd(t, t, o), teacherEntropy(t, tau), 1e-5, `cross-entropy at tau ${tau}`);
  }
});

Deno.test("score KD: large temperature -> uniform distributions: cross-entropy -> log m, KL -> 0", () => {
  const t = randomMatrix(3, 8, 4, 5);
  const s = randomMatrix(3, 8, 5, 5);
  const o = { teacherTemperature: 1e5, studentTemperature: 1e5 };
  close(kd(t, s, o), Math.log(8), 1e-4, "cross-entropy");
  close(kd(t, s, { ...o, form: "kl" }), 0, 1e-4, "kl");
  // And KL shrinks monotonically as the shared temperature grows on this example.
  const kls = [1, 2, 4, 8, 16].map((tau) =>
    kd(t, s, { teacherTemperature: tau, studentTemperature: tau, form: "kl" })
  );
  for (let i = 1; i < kls.length; i++) assert.ok(kls[i]! < kls[i - 1]!, `${kls}`);
});

Deno.test("score KD: small teacher temperature -> one-hot teacher at its argmax", () => {
  const t = [[0.1, 0.9, 0.3], [2, 1, 0]];
  const s = [[1, 2, 3], [0, 1, 0]];
  const argmaxNll = (-refLogSoftmax(s[0]!)[1]! - refLogSoftmax(s[1]!)[0]!) / 2;
  close(kd(t, s, { teacherTemperature: 1e-4 }), argmaxNll, 1e-5, "tau_t -> 0");
});

Deno.test("score KD: t-squared multiplies by the student temperature squared", () => {
  const t = randomMatrix(3, 4, 8);
  const s = randomMatrix(3, 4, 9);
  const o = { teacherTemperature: 1.5, studentTemperature: 3 } as const;
  close(kd(t, s, { ...o, rescale: "t-squared" }), 9 * kd(t, s, o), 1e-5, "rescale");
});

Deno.test("score KD gradient matches central finite differences (both forms, unequal temperatures)", () => {
  const teacher = randomMatrix(3, 5, 21, 2);
  for (const form of ["cross-entropy", "kl"] as const) {
    const o = {
      teacherTemperature: 0.7,
      studentTemperature: 1.3,
      form,
      rescale: "t-squared",
    } as const;
    const check = checkLossGradients(
      { student: randomMatrix(3, 5, 22, 2) },
      (p) => scoreKdLoss(tf.tensor2d(teacher), p.get("student") as tf.Tensor2D, o),
      (m) => refScoreKd(teacher, m.student!, o),
    );
    assert.ok(check.maxAbsGradient > 0.01);
    assert.ok(check.maxError < 1e-3, `${form}: ${check.maxError}`);
  }
});

Deno.test("score KD: the cross-entropy and KL forms give the same student gradient", () => {
  const teacher = tf.tensor2d(randomMatrix(3, 4, 30, 2));
  const student = tf.tensor2d(randomMatrix(3, 4, 31, 2));
  const grad = (form: "cross-entropy" | "kl") =>
    tf.grad((x: tf.Tensor) => scoreKdLoss(teacher, x as tf.Tensor2D, { form }))(student);
  const ce = grad("cross-entropy").dataSync();
  const kl = grad("kl").dataSync();
  ce.forEach((g, i) => close(g, kl[i]!, 1e-6, `coordinate ${i}`));
});

Deno.test("score KD is a mean over queries: a block-diagonal doubled batch gives the same value", () => {
  const far = -1e9;
  const double = (m: number[][]) => [
    ...m.map((row) => [...row, far, far, far]),
    ...m.map((row) => [far, far, far, ...row]),
  ];
  const t = randomMatrix(3, 3, 40, 2);
  const s = randomMatrix(3, 3, 41, 2);
  for (const form of ["cross-entropy", "kl"] as const) {
    close(kd(double(t), double(s), { form }), kd(t, s, { form }), 1e-5, form);
  }
});

Deno.test("score KD rejects bad temperatures and mismatched shapes", () => {
  const t = tf.zeros([2, 3]) as tf.Tensor2D;
  assert.throws(() => scoreKdLoss(t, t, { teacherTemperature: 0 }), RangeError);
  assert.throws(() => scoreKdLoss(t, t, { studentTemperature: Number.NaN }), RangeError);
  assert.throws(() => scoreKdLoss(t, tf.zeros([2, 4]) as tf.Tensor2D), TypeError);
  assert.throws(() => scoreKdLoss(t, t, { form: "hinge" as "kl" }), TypeError);
});
