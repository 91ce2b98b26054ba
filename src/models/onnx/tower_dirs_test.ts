import assert from "node:assert/strict";
import { join } from "node:path";
import { encoderConfig, teacherSpec, tinyTask } from "../../testing/mod.ts";
import { initModelWeights, readTeacherRecord, writeTeacherRecord } from "../mod.ts";
import { exportOnnxTowers, OnnxTextEncoder } from "./mod.ts";

Deno.test("exportOnnxTowers: each tower folder loads on its own with OnnxTextEncoder.load", async () => {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-tower-dirs-" });
  try {
    const task = tinyTask({ train: 10, documents: 200, dev: 5, test: 5, pool: 0 });
    const spec = teacherSpec(task, encoderConfig(task.vocabSize, 16, 1, 2));
    const weights = initModelWeights(spec, 5);
    const dirs = await exportOnnxTowers(root, spec, weights, task.tokenizer);
    assert.equal(dirs.query, join(root, "onnx-query"));
    assert.equal(dirs.document, join(root, "onnx-document"));
    const files = [...Deno.readDirSync(dirs.query)].map((e) => e.name).sort();
    assert.deepEqual(files, ["model.onnx", "onnx_encoder.json", "tokenizer.json"]);
    const alone = await OnnxTextEncoder.load(dirs.document!);
    const given = await OnnxTextEncoder.load(dirs.document!, { tokenizer: task.tokenizer });
    try {
      assert.equal(alone.config.queryMaxLength, task.queryLength);
      assert.equal(alone.config.docMaxLength, task.documentLength);
      assert.equal(alone.config.similarity, "cosine");
      const docs = task.dataset.documents.slice(0, 3);
      assert.deepEqual(
        (await alone.encodeDocuments(docs)).vectors,
        (await given.encodeDocuments(docs)).vectors,
      );
    } finally {
      await alone.close();
      await given.close();
    }
    const none = await exportOnnxTowers(join(root, "q"), spec, weights, task.tokenizer, {
      document: false,
    });
    assert.equal(none.document, null);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("teacher.json: written and read back; absent is undefined; malformed names the file", async () => {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-teacher-record-" });
  try {
    assert.equal(await readTeacherRecord(root), undefined);
    await writeTeacherRecord(root, { path: "/models/teacher", hash: "ab12" });
    assert.deepEqual(await readTeacherRecord(root), { path: "/models/teacher", hash: "ab12" });
    await Deno.writeTextFile(join(root, "teacher.json"), '{"path": 3}');
    await assert.rejects(() => readTeacherRecord(root), /teacher\.json": expected \{"path"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
