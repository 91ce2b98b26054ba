import assert from "node:assert/strict";
import { initEngine } from "../engine/mod.ts";
import { type DualEncoderSpec, initModelWeights } from "../models/mod.ts";
import type { TeacherModel } from "./student.ts";
import { modelHash } from "../models/mod.ts";
import { teacherEmbeddings } from "./teacher_cache.ts";
import { encoderConfig } from "../testing/mod.ts";

await initEngine();

const SPEC: DualEncoderSpec = {
  kind: "dual",
  towers: {
    kind: "separate",
    query: { encoder: encoderConfig(40, 16, 1, 2), projectionDim: 8 },
    document: { encoder: encoderConfig(40, 16, 2, 2), projectionDim: 8 },
  },
  pooling: "mean",
  similarity: { kind: "cosine", scale: 20 },
  queryMaxLength: 8,
  documentMaxLength: 12,
};
const TEACHER: TeacherModel = { spec: SPEC, weights: initModelWeights(SPEC, 11) };
const SEQUENCES = [[2, 7, 9, 3], [2, 30, 31, 32, 33, 34, 35, 3], [2, 5, 3], [2, 11, 12, 13, 14, 3]];

Deno.test("ONNX Runtime and tfjs teacher embeddings agree; cosine teachers give unit rows", async () => {
  const home = await Deno.makeTempDir();
  try {
    for (const side of ["query", "document"] as const) {
      const onnx = await teacherEmbeddings(TEACHER, side, SEQUENCES, { home, cache: false });
      const tfjs = await teacherEmbeddings(TEACHER, side, SEQUENCES, {
        home,
        engine: "tfjs",
        cache: false,
      });
      assert.equal(onnx.dims, 8);
      assert.equal(onnx.count, 4);
      onnx.vectors.forEach((x, i) =>
        assert.ok(Math.abs(x - tfjs.vectors[i]!) < 1e-5, `${side} ${i}`)
      );
      for (let r = 0; r < 4; r++) {
        const row = onnx.vectors.subarray(r * 8, r * 8 + 8);
        assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-5);
      }
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("embeddings are cached by content hash and reused", async () => {
  const home = await Deno.makeTempDir();
  try {
    const first = await teacherEmbeddings(TEACHER, "document", SEQUENCES, { home });
    assert.equal(first.cached, false);
    assert.ok(first.path.startsWith(`${home}/artifacts/${first.hash}/`));
    const second = await teacherEmbeddings(TEACHER, "document", SEQUENCES, { home });
    assert.equal(second.cached, true);
    assert.deepEqual(second.vectors, first.vectors);
    const otherSide = await teacherEmbeddings(TEACHER, "query", SEQUENCES, { home });
    assert.notEqual(otherSide.hash, first.hash);
    const shorter = await teacherEmbeddings(TEACHER, "document", SEQUENCES.slice(1), { home });
    assert.equal(shorter.cached, false);
    const entries = [];
    for await (const e of Deno.readDir(`${home}/artifacts/${first.hash}`)) entries.push(e.name);
    assert.deepEqual(entries, ["teacher-embeddings.safetensors"]); // no temporary files left
    const retrained = { spec: SPEC, weights: initModelWeights(SPEC, 12) };
    assert.notEqual(
      modelHash(retrained.spec, retrained.weights),
      modelHash(TEACHER.spec, TEACHER.weights),
    );
    await assert.rejects(() => teacherEmbeddings(TEACHER, "query", [], { home }), RangeError);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
