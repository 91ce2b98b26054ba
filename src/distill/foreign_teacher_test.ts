/**
 * Distilling from teachers written by other tools: a Hugging Face BERT folder and a
 * sentence-transformers folder (with prompts), built from suite weights renamed as those tools
 * name them; the student directories written are sentence-transformers folders too.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { initEngine } from "../engine/mod.ts";
import { type Qrels, qrelsFromJudgments } from "../eval/mod.ts";
import { loadModelDir, modelHash, readModelSpec } from "../models/mod.ts";
import { encoderConfig, teacherSpec, tinyTask } from "../testing/mod.ts";
import { writeHfTeacher, writeStTeacher } from "../testing/foreign_teachers.ts";
import { distill } from "./distill.ts";
import type { DistillData } from "./distill_config.ts";

await initEngine();

const task = tinyTask({ dev: 10 });

function distillData(): DistillData {
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

const base = teacherSpec(task, encoderConfig(task.vocabSize, 16, 1, 2));

Deno.test("distill() from a Hugging Face BERT folder and from a sentence-transformers folder", async () => {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-foreign-teacher-" });
  try {
    const teachers = [
      await writeHfTeacher(join(root, "hf-teacher"), base, task.tokenizer.config),
      await writeStTeacher(join(root, "st-teacher"), base, task.tokenizer.config, {
        query: "query: ",
        document: "passage: ",
      }),
    ];
    for (const teacher of teachers) {
      // The folder reads as the model it was made from (the tokenizer: vocab.txt or tokenizer.json).
      const loaded = await loadModelDir(teacher.dir);
      assert.deepEqual(loaded.spec, teacher.spec);
      const out = join(root, `student-of-${teacher.dir.split("/").at(-1)}`);
      const result = await distill({
        teacher: { kind: "dir", path: teacher.dir },
        data: distillData(),
        student: {
          kind: "asymmetric",
          encoder: encoderConfig(task.vocabSize, 8, 1, 2),
          init: { kind: "random", seed: 2 },
        },
        training: { steps: 3, batchSize: 16, evalEvery: 3 },
        outputDir: out,
        home: join(root, "home"),
        exportOnnx: teacher.spec.prompts !== undefined,
      });
      assert.equal(result.training.losses.length, 3);
      assert.ok(result.training.losses.every(Number.isFinite));
      assert.equal(result.provenance.teacherHash, modelHash(teacher.spec, teacher.weights));
      // The student reads texts as its teacher does, and is a sentence-transformers folder.
      const student = await readModelSpec(out);
      assert.equal(student.kind, "dual");
      if (student.kind !== "dual") throw new TypeError("kind");
      assert.deepEqual(student.prompts, teacher.spec.prompts);
      assert.deepEqual(student.similarity, teacher.spec.similarity);
      const stConfig = JSON.parse(
        await Deno.readTextFile(join(out, "config_sentence_transformers.json")),
      );
      assert.deepEqual(stConfig.prompts, teacher.spec.prompts ?? {});
      const card = await Deno.readTextFile(join(out, "README.md"));
      assert.match(card, /Documents must be encoded by the teacher/);
      assert.ok(card.includes(teacher.dir));
      await Deno.stat(join(out, "modules.json"));
      if (teacher.spec.prompts !== undefined) await Deno.stat(join(out, "onnx", "model.onnx"));
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
