import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  type DualEncoderSpec,
  fromVariables,
  initModelWeights,
  saveModelDir,
} from "../models/mod.ts";
import { buildStudent, studentModelSpec, type TeacherModel } from "./student.ts";
import { encoderConfig } from "../testing/mod.ts";

await tf.setBackend("cpu");

const TEACHER_SPEC: DualEncoderSpec = {
  kind: "dual",
  towers: { kind: "shared", tower: { encoder: encoderConfig(50, 16, 3, 2) } },
  pooling: "mean",
  similarity: { kind: "dot" },
  queryMaxLength: 8,
  documentMaxLength: 12,
};
const TEACHER: TeacherModel = { spec: TEACHER_SPEC, weights: initModelWeights(TEACHER_SPEC, 5) };

Deno.test("asymmetric student: frozen copy of the teacher's document tower, trainable query tower", async () => {
  const student = await buildStudent(TEACHER, {
    kind: "asymmetric",
    encoder: encoderConfig(50, 8, 1, 2),
    init: { kind: "random", seed: 9 },
  });
  const spec = student.model.spec;
  assert.equal(spec.towers.kind, "separate");
  if (spec.towers.kind !== "separate") return;
  assert.equal(spec.towers.query.projectionDim, 16); // projection to the teacher's width
  assert.equal(spec.towers.document.projectionDim, undefined);
  const weights = fromVariables(student.model.params);
  const teacherWord = TEACHER.weights.get("embeddings.word_embeddings.weight")!;
  assert.deepEqual(
    weights.get("document.embeddings.word_embeddings.weight")!.data,
    teacherWord.data,
  );
  assert.ok([...student.trainable.keys()].every((n) => n.startsWith("query.")));
  assert.ok(student.trainable.has("query.projection.weight"));
  assert.equal(
    student.trainable.size,
    [...student.model.params.keys()].filter((n) => n.startsWith("query.")).length,
  );
  // Random init is seeded by the student's seed, not the teacher's.
  const studentWord = weights.get("query.embeddings.word_embeddings.weight")!.data;
  assert.notDeepEqual(studentWord.slice(0, 8), teacherWord.data.slice(0, 8));
  for (const v of student.model.params.values()) v.dispose();
});

Deno.test("teacher-layers init copies the chosen layers, renumbered", async () => {
  const student = await buildStudent(TEACHER, {
    kind: "symmetric",
    towers: "separate",
    init: { kind: "teacher-layers", layers: [2] },
  });
  const weights = fromVariables(student.model.params);
  for (const side of ["query", "document"]) {
    assert.deepEqual(
      weights.get(`${side}.encoder.layer.0.output.dense.weight`)!.data,
      TEACHER.weights.get("encoder.layer.2.output.dense.weight")!.data,
    );
    assert.equal(weights.has(`${side}.encoder.layer.1.output.dense.weight`), false);
  }
  assert.equal(student.trainable.size, student.model.params.size);
  for (const v of student.model.params.values()) v.dispose();
  const bad = {
    kind: "symmetric",
    towers: "shared",
    encoder: encoderConfig(50, 8, 1, 2),
    init: { kind: "teacher-layers", layers: [0] },
  } as const;
  assert.throws(() => studentModelSpec(TEACHER, bad), TypeError);
});

Deno.test("checkpoint init reads a model directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spec = {
      kind: "symmetric",
      towers: "shared",
      encoder: encoderConfig(50, 8, 1, 2),
    } as const;
    const first = await buildStudent(TEACHER, { ...spec, init: { kind: "random", seed: 3 } });
    await saveModelDir(dir, first.model.spec, fromVariables(first.model.params));
    const again = await buildStudent(TEACHER, { ...spec, init: { kind: "checkpoint", path: dir } });
    assert.deepEqual(fromVariables(again.model.params), fromVariables(first.model.params));
    const other = await buildStudent(TEACHER, { ...spec, init: { kind: "random", seed: 4 } });
    assert.notDeepEqual(fromVariables(other.model.params), fromVariables(first.model.params));
    for (const s of [first, again, other]) for (const v of s.model.params.values()) v.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
