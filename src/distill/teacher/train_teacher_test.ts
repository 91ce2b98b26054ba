import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { type LoadedSplit, loadSplit, synthetic } from "../../data/mod.ts";
import { initEngine } from "../../engine/mod.ts";
import {
  createDualEncoder,
  disposeParameters,
  embed,
  l2Normalize,
  loadModelDir,
  modelHash,
} from "../../models/mod.ts";
import { OnnxTextEncoder } from "../../models/onnx/mod.ts";
import { padSequences } from "../train/mod.ts";
import { tinyTask } from "../../testing/mod.ts";
import { TEACHER_FILES, type TeacherConfig, trainTeacher } from "./train_teacher.ts";
import { CODE_SALT, teacherConfigHash } from "./settings.ts";

/** A small BEIR folder (train and dev splits) and its loaded splits. */
async function splits(): Promise<{ root: string; train: LoadedSplit; dev: LoadedSplit }> {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-teacher-" });
  const task = tinyTask({ train: 60, documents: 400, dev: 12, test: 12, pool: 50 });
  const data = join(root, "data");
  for (const [path, text] of synthetic.syntheticFiles(task.dataset)) {
    await Deno.mkdir(dirname(join(data, path)), { recursive: true });
    await Deno.writeTextFile(join(data, path), text);
  }
  const source = { kind: "dir", path: data } as const;
  return { root, train: await loadSplit(source, "train"), dev: await loadSplit(source, "dev") };
}

const SMALL = { layers: 1, hidden: 16, heads: 2, queryMaxLength: 16, documentMaxLength: 32 };

function config(
  train: LoadedSplit,
  outputDir: string,
  extra: Partial<TeacherConfig> = {},
): TeacherConfig {
  return {
    train,
    model: { kind: "dual", ...SMALL },
    vocabulary: { kind: "build", size: 600 },
    training: { length: { kind: "steps", steps: 6 }, batchSize: 8, evalEvery: 3 },
    outputDir,
    ...extra,
  };
}

Deno.test("trainTeacher: a dual encoder's directory loads, its ONNX towers match tfjs on their own, teacher_run.json records settings and provenance", async () => {
  await initEngine({ threads: 1 });
  const { root, train, dev } = await splits();
  try {
    const out = join(root, "teacher");
    const events: string[] = [];
    const result = await trainTeacher({
      ...config(train, out),
      dev,
      onEvent: (e) => events.push(e.kind === "phase" ? `phase:${e.phase}` : e.kind),
    });
    assert.deepEqual(events.filter((e) => e.startsWith("phase")), [
      "phase:tokenise",
      "phase:train",
      "phase:export",
    ]);
    assert.equal(events.filter((e) => e === "step").length, 6);
    assert.equal(result.training.evals.length, 2);
    assert.notEqual(result.training.best, null);
    const stored = await loadModelDir(out);
    assert.equal(stored.spec.kind, "dual");
    assert.equal(modelHash(stored.spec, stored.weights), result.provenance.modelHash);
    // The saved model is the best dev checkpoint.
    const best = await loadModelDir(join(out, TEACHER_FILES.checkpoints, "best"));
    assert.equal(modelHash(best.spec, best.weights), result.provenance.modelHash);
    if (stored.spec.kind !== "dual") throw new Error("unreachable");
    assert.equal(stored.spec.similarity.kind, "cosine");
    assert.equal(stored.spec.pooling, "mean");

    // Each ONNX folder is self-contained: OnnxTextEncoder loads it with its own tokenizer.
    const texts = train.queries.slice(0, 5).map((q) => q.text);
    const onnx = await OnnxTextEncoder.load(result.onnx!.query);
    const fromOnnx = await onnx.encodeQueries(texts);
    const ids = onnx.tokenizeQueries(texts);
    await onnx.close();
    const model = createDualEncoder(stored.spec, stored.weights);
    const tfjs = l2Normalize(embed(model, "query", padSequences(ids)));
    const expected = tfjs.dataSync();
    tfjs.dispose();
    disposeParameters(model.params);
    assert.equal(fromOnnx.vectors.length, expected.length);
    for (let i = 0; i < expected.length; i++) {
      assert.ok(Math.abs(fromOnnx.vectors[i]! - expected[i]!) < 1e-4, `element ${i}`);
    }
    const documentEncoder = await OnnxTextEncoder.load(result.onnx!.document);
    assert.equal(documentEncoder.config.docMaxLength, 32);
    await documentEncoder.close();

    const run = JSON.parse(await Deno.readTextFile(join(out, TEACHER_FILES.run)));
    assert.equal(run.settings.model.intermediate, 64);
    assert.equal(run.settings.model.similarity.scale, 20);
    assert.equal(run.settings.training.learningRate, 1e-3);
    assert.equal(run.provenance.codeSalt, CODE_SALT);
    assert.equal(run.provenance.datasetChecksum, train.checksum);
    assert.equal(run.provenance.devChecksum, dev.checksum);
    assert.equal(run.provenance.engine.threads, 1);
    assert.equal(typeof run.provenance.engine.backend, "string");
    assert.ok(run.provenance.peakRssBytes > 0);
    for (const phase of ["tokenise", "train", "export"]) {
      assert.ok(run.provenance.seconds[phase] >= 0, phase);
    }
    assert.equal(
      run.provenance.configHash,
      await teacherConfigHash(config(train, "elsewhere"), { train, dev }),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("trainTeacher: content-addressed (same settings and data -> same weights) and an interrupted run resumes exactly", async () => {
  await initEngine({ threads: 1 });
  const { root, train } = await splits();
  try {
    const a = await trainTeacher({ ...config(train, join(root, "a")), exportOnnx: false });
    const b = await trainTeacher({ ...config(train, join(root, "b")), exportOnnx: false });
    assert.equal(a.provenance.modelHash, b.provenance.modelHash);
    assert.equal(a.provenance.configHash, b.provenance.configHash);

    // Interrupted after the step-3 checkpoint, then resumed: the same weights.
    const c = join(root, "c");
    await assert.rejects(
      trainTeacher({
        ...config(train, c),
        exportOnnx: false,
        onEvent: (e) => {
          if (e.kind === "checkpoint" && e.step === 3) throw new Error("interrupted");
        },
      }),
      /interrupted/,
    );
    const resumedAt: number[] = [];
    const resumed = await trainTeacher({
      ...config(train, c),
      exportOnnx: false,
      resume: true,
      onEvent: (e) => {
        if (e.kind === "resumed") resumedAt.push(e.step);
      },
    });
    assert.deepEqual(resumedAt, [3]);
    assert.equal(resumed.provenance.modelHash, a.provenance.modelHash);

    // Resuming with other settings is refused, naming both addresses.
    await assert.rejects(
      trainTeacher({
        ...config(train, c),
        training: { length: { kind: "steps", steps: 6 }, batchSize: 8, learningRate: 5e-4 },
        resume: true,
      }),
      /Cannot resume the teacher in .*started with configuration [0-9a-f]{64}/,
    );
    // A different seed trains different weights.
    const d = await trainTeacher({
      ...config(train, join(root, "d")),
      training: { length: { kind: "steps", steps: 6 }, batchSize: 8, evalEvery: 3, seed: 7 },
      exportOnnx: false,
    });
    assert.notEqual(d.provenance.modelHash, a.provenance.modelHash);
    assert.notEqual(d.provenance.configHash, a.provenance.configHash);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("trainTeacher: BM25 and first-stage-model hard negatives; separate towers, [CLS] pooling, dot product", async () => {
  await initEngine({ threads: 1 });
  const { root, train } = await splits();
  try {
    const first = await trainTeacher({ ...config(train, join(root, "first")), exportOnnx: false });
    const bm25 = await trainTeacher({
      ...config(train, join(root, "bm25")),
      model: {
        kind: "dual",
        ...SMALL,
        towers: "separate",
        pooling: "cls",
        similarity: { kind: "dot" },
      },
      training: { length: { kind: "steps", steps: 4 }, batchSize: 8, hardNegatives: 2 },
    });
    const separate = await loadModelDir(bm25.modelDir);
    assert.ok(separate.spec.kind === "dual" && separate.spec.towers.kind === "separate");
    assert.ok(separate.spec.kind === "dual" && separate.spec.similarity.kind === "dot");
    assert.ok([...separate.weights.keys()].some((k) => k.startsWith("document.")));
    const encoder = await OnnxTextEncoder.load(bm25.onnx!.document);
    assert.equal(encoder.config.similarity, "dot");
    await encoder.close();
    const fromModel = await trainTeacher({
      ...config(train, join(root, "model")),
      training: {
        length: { kind: "steps", steps: 4 },
        batchSize: 8,
        hardNegatives: 2,
        negativesFrom: { kind: "model", path: first.modelDir },
      },
      exportOnnx: false,
      home: join(root, "home"),
    });
    assert.notEqual(bm25.provenance.modelHash, fromModel.provenance.modelHash);
    assert.equal(bm25.settings.training.hardNegatives, 2);
    assert.equal(fromModel.settings.training.negativesFrom.kind, "model");
    assert.ok(bm25.training.finalLoss !== null && Number.isFinite(bm25.training.finalLoss));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("trainTeacher: cross-encoder teachers ([CLS] head; dual pooling with the document-alone regulariser) train on BM25 lists, select on dev and load back", async () => {
  await initEngine({ threads: 1 });
  const { root, train, dev } = await splits();
  try {
    const cls = await trainTeacher({
      ...config(train, join(root, "cls")),
      dev,
      model: { kind: "cross", layers: 1, hidden: 16, heads: 2, maxLength: 48 },
      training: {
        length: { kind: "steps", steps: 4 },
        batchSize: 4,
        evalEvery: 2,
        hardNegatives: 3,
      },
    });
    assert.equal(cls.kind, "cross");
    assert.equal(cls.onnx, null);
    assert.equal(cls.training.evals.length, 2);
    assert.notEqual(cls.training.best, null);
    const stored = await loadModelDir(cls.modelDir);
    assert.equal(stored.spec.kind, "cross");
    assert.equal(modelHash(stored.spec, stored.weights), cls.provenance.modelHash);
    if (stored.spec.kind !== "cross") throw new Error("unreachable");
    assert.equal(stored.spec.scorer.kind, "cls");

    const dual = await trainTeacher({
      ...config(train, join(root, "dual-pooling")),
      model: {
        kind: "cross",
        layers: 1,
        hidden: 16,
        heads: 2,
        maxLength: 48,
        scorer: "dual-pooling",
        documentAloneWeight: 1,
      },
      training: { length: { kind: "steps", steps: 3 }, batchSize: 4, hardNegatives: 2 },
    });
    const pooled = await loadModelDir(dual.modelDir);
    assert.equal(pooled.spec.kind === "cross" && pooled.spec.scorer.kind, "dual-pooling");
    assert.equal(
      dual.settings.model.kind === "cross" && dual.settings.model.documentAloneWeight,
      1,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
