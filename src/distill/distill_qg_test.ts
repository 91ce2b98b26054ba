import assert from "node:assert/strict";
import { join } from "node:path";
import { initEngine } from "../engine/mod.ts";
import { type Qrels, qrelsFromJudgments } from "../eval/mod.ts";
import { type CrossEncoderSpec, initModelWeights, loadModelDir, modelHash } from "../models/mod.ts";
import { SalientTermGenerator } from "../querygen/mod.ts";
import { distill } from "./distill.ts";
import type { DistillConfig, DistillData } from "./distill_config.ts";
import type { TeacherModel } from "./student.ts";
import type { TrainingEvent } from "./train/mod.ts";
import { encoderConfig, teacherSpec, tinyTask } from "../testing/mod.ts";

await initEngine();

const task = tinyTask({ documents: 2000, dev: 20, pool: 200 });
const ds = task.dataset;
const byId = new Map(ds.queries.map((q) => [q.id, q]));
const docs = new Map(ds.documents.map((d) => [d.id, d]));
const qrels = (split: "train" | "dev"): Qrels =>
  qrelsFromJudgments(
    ds.qrels[split].map((j) => ({ queryId: j.queryId, docId: j.docId, label: j.label })),
  );
const DATA: DistillData = {
  corpus: ds.documents,
  trainQueries: ds.splits.train.map((id) => byId.get(id)!),
  trainQrels: qrels("train"),
  devQueries: ds.splits.dev.map((id) => byId.get(id)!),
  devQrels: qrels("dev"),
  unlabelled: ds.pool.map((id) => docs.get(id)!),
};
const spec = teacherSpec(task, encoderConfig(task.vocabSize, 16, 1, 2));
const teacher: TeacherModel = { spec, weights: initModelWeights(spec, 3) };
const generator = new SalientTermGenerator({ seed: 2, queriesPerDocument: 2 });

function config(root: string, name: string, extra: Partial<DistillConfig> = {}): DistillConfig {
  return {
    teacher: { kind: "model", model: teacher },
    tokenizer: task.tokenizer,
    data: DATA,
    student: {
      kind: "asymmetric",
      encoder: encoderConfig(task.vocabSize, 8, 1, 2),
      init: { kind: "random", seed: 2 },
    },
    training: { steps: 4, batchSize: 16, evalEvery: 4 },
    queryGeneration: { generator, perDocument: 2, weight: 2 },
    datasetChecksum: "sha256:test",
    outputDir: join(root, name),
    home: join(root, "home"),
    exportOnnx: false,
    ...extra,
  };
}

Deno.test("distill() with query generation trains generated batches, reports them, and records provenance that repeats", async () => {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-distill-qg-test-" });
  try {
    const events: TrainingEvent[] = [];
    const a = await distill({ ...config(root, "a"), onEvent: (e) => events.push(e) });
    const qg = a.queryGeneration!;
    assert.equal(qg.generator, `salient-terms:${generator.configHash.slice(0, 16)}`);
    assert.equal(qg.documents, ds.pool.length);
    assert.ok(qg.generated > 0 && qg.generated <= 2 * ds.pool.length);
    assert.equal(qg.generated + qg.leaksDropped <= qg.made, true);
    assert.equal(qg.cached, false);
    assert.deepEqual(a.settings.queryGeneration, {
      generator: qg.generator,
      perDocument: 2,
      weight: 2,
    });
    const step = events.find((e) => e.kind === "step")!;
    assert.ok(step.kind === "step");
    assert.deepEqual(Object.keys(step.terms).sort(), ["embed-query", "qg/embed-query", "score-kd"]);

    const p = a.provenance;
    const stored = await loadModelDir(a.modelDir);
    assert.equal(p.modelHash, modelHash(stored.spec, stored.weights));
    assert.equal(p.teacherHash, modelHash(teacher.spec, teacher.weights));
    assert.equal(p.teacherHash, a.teacherHash);
    assert.equal(p.datasetChecksum, "sha256:test");
    assert.equal(p.seed, 42);
    assert.equal(typeof p.engine.backend, "string");
    assert.ok(p.engine.threads >= 1);
    assert.equal(typeof p.engine.blas.found, "boolean");
    for (const phase of ["prepare", "train", "export"] as const) {
      assert.ok(p.seconds[phase] >= 0, phase);
    }
    assert.ok(p.peakRssBytes > 0);

    // The same call again: same hashes, the generated queries now from the cache.
    const b = await distill(config(root, "b"));
    assert.equal(b.queryGeneration!.cached, true);
    assert.equal(b.provenance.modelHash, p.modelHash);
    assert.equal(b.provenance.configHash, p.configHash);
    // Without query generation: other settings, other student.
    const { queryGeneration: _, ...plain } = config(root, "c");
    const c = await distill(plain);
    assert.equal(c.queryGeneration, null);
    assert.equal(c.settings.queryGeneration, undefined);
    assert.notEqual(c.provenance.configHash, p.configHash);
    assert.notEqual(c.provenance.modelHash, p.modelHash);
    assert.equal(c.provenance.datasetChecksum, "sha256:test");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("distill() query generation of a symmetric student matches both sides on generated batches", async () => {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-distill-qg-test-" });
  try {
    const events: TrainingEvent[] = [];
    await distill({
      ...config(root, "s"),
      student: {
        kind: "symmetric",
        towers: "shared",
        encoder: encoderConfig(task.vocabSize, 8, 1, 2),
        init: { kind: "random", seed: 2 },
      },
      training: { steps: 2, batchSize: 16, evalEvery: 2 },
      onEvent: (e) => events.push(e),
    });
    const step = events.find((e) => e.kind === "step")!;
    assert.ok(step.kind === "step");
    assert.deepEqual(Object.keys(step.terms).sort(), [
      "embed-document",
      "embed-query",
      "qg/embed-document",
      "qg/embed-query",
      "score-kd",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("distill() query generation errors: no unlabelled documents, no embed-match term, a cross-encoder teacher", async () => {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-distill-qg-test-" });
  try {
    const { unlabelled: _, ...labelledOnly } = DATA;
    await assert.rejects(
      () => distill({ ...config(root, "x"), data: labelledOnly }),
      /query generation needs unlabelled documents/,
    );
    await assert.rejects(
      () => distill({ ...config(root, "y"), loss: { terms: [{ kind: "score-kd" }] } }),
      /has no embed-match term, the only loss generated queries take/,
    );
    await assert.rejects(
      () =>
        distill({
          ...config(root, "z"),
          data: { ...DATA, unlabelled: [{ id: "not-in-corpus", title: "", text: "a b c" }] },
        }),
      /document "not-in-corpus": it is not in the corpus/,
    );
    const ceSpec: CrossEncoderSpec = {
      kind: "cross",
      encoder: encoderConfig(task.vocabSize, 16, 1, 2),
      scorer: { kind: "cls" },
      maxLength: 48,
    };
    await assert.rejects(
      () =>
        distill({
          ...config(root, "ce"),
          teacher: { kind: "model", model: { spec: ceSpec, weights: initModelWeights(ceSpec, 5) } },
        }),
      /query generation: it is supported for dual-encoder teachers only \(not yet for cross-encoders\)/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
