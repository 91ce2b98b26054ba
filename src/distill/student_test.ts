import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  createDualEncoder,
  type DualEncoderSpec,
  embed,
  fromVariables,
  initModelWeights,
  loadModelDir,
  saveModelDir,
} from "../models/mod.ts";
import { buildStudent, studentModelSpec, type TeacherModel, towerTensors } from "./student.ts";
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

Deno.test("the student's projection to the teacher's width: query.projection.{weight [out, in], bias [out]}, seeded N(0, 0.02^2), x W^T + b after pooling, saved with the model", async () => {
  const spec = {
    kind: "asymmetric",
    encoder: encoderConfig(50, 8, 1, 2),
    init: { kind: "random", seed: 9 },
  } as const;
  const student = await buildStudent(TEACHER, spec);
  const weights = fromVariables(student.model.params);
  const w = weights.get("query.projection.weight")!;
  const b = weights.get("query.projection.bias")!;
  assert.deepEqual(w.shape, [16, 8]);
  assert.deepEqual(b.shape, [16]);
  assert.ok(w.data.some((x) => x !== 0) && w.data.every((x) => Math.abs(x) < 0.2), "N(0, 0.02^2)");
  assert.ok(student.trainable.get("query.projection.weight")!.trainable);
  assert.ok(student.trainable.get("query.projection.bias")!.trainable);
  // The same seed draws the same projection.
  const again = await buildStudent(TEACHER, spec);
  assert.deepEqual(fromVariables(again.model.params).get("query.projection.weight"), w);

  // proj(x) = x W^T + b on the pooled embedding, by hand.
  const mspec = student.model.spec;
  if (mspec.towers.kind !== "separate") throw new TypeError("expected separate towers");
  const unprojected: DualEncoderSpec = {
    ...mspec,
    towers: { kind: "shared", tower: { encoder: mspec.towers.query.encoder } },
  };
  const bare = createDualEncoder(
    unprojected,
    new Map(
      [...towerTensors(mspec, weights, "query")].filter(([n]) => !n.startsWith("projection.")),
    ),
  );
  const batch = {
    shape: [2, 3] as [number, number],
    inputIds: Int32Array.from([2, 7, 3, 2, 9, 0]),
    attentionMask: Int32Array.from([1, 1, 1, 1, 1, 0]),
  };
  const pooled = embed(bare, "query", batch);
  const projected = embed(student.model, "query", batch);
  const x = pooled.arraySync();
  const y = projected.arraySync();
  for (let r = 0; r < 2; r++) {
    for (let o = 0; o < 16; o++) {
      let expected = b.data[o]!;
      for (let i = 0; i < 8; i++) expected += x[r]![i]! * w.data[o * 8 + i]!;
      assert.ok(Math.abs(y[r]![o]! - expected) < 1e-5, `row ${r} column ${o}`);
    }
  }
  tf.dispose([pooled, projected]);

  // Saved and loaded under the same names and shapes.
  const dir = await Deno.makeTempDir();
  try {
    await saveModelDir(dir, mspec, weights);
    const loaded = await loadModelDir(dir);
    assert.deepEqual(loaded.weights.get("query.projection.weight"), w);
    assert.deepEqual(loaded.weights.get("query.projection.bias"), b);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  for (const s of [student, again]) for (const v of s.model.params.values()) v.dispose();
  for (const v of bare.params.values()) v.dispose();
});
