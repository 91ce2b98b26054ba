import assert from "node:assert/strict";
import { join } from "node:path";
import { initEngine } from "../../engine/mod.ts";
import { type Qrels, qrelsFromJudgments } from "../../eval/mod.ts";
import {
  type CrossEncoderSpec,
  initModelWeights,
  loadModelDir,
  saveModelDir,
} from "../../models/mod.ts";
import { saveTokenizerJson } from "../../text/mod.ts";
import { readDocumentEmbeddings } from "./document_embeddings.ts";
import type { CrossEncoderTeacher } from "./teacher.ts";
import { distill } from "../distill.ts";
import type { DistillData } from "../distill_config.ts";
import { encoderConfig, type TinyTask, tinyTask } from "../../testing/mod.ts";
import type { TrainingEvent } from "../train/mod.ts";

await initEngine();

function distillData(task: TinyTask, train: number): DistillData {
  const ds = task.dataset;
  const byId = new Map(ds.queries.map((q) => [q.id, q]));
  const qrels = (split: "train" | "dev"): Qrels =>
    qrelsFromJudgments(
      ds.qrels[split].map((j) => ({ queryId: j.queryId, docId: j.docId, label: j.label })),
    );
  return {
    corpus: ds.documents,
    trainQueries: ds.splits.train.slice(0, train).map((id) => byId.get(id)!),
    trainQrels: qrels("train"),
    devQueries: ds.splits.dev.map((id) => byId.get(id)!),
    devQrels: qrels("dev"),
  };
}

function crossEncoder(task: TinyTask, scorer: CrossEncoderSpec["scorer"]): CrossEncoderTeacher {
  const spec: CrossEncoderSpec = {
    kind: "cross",
    encoder: encoderConfig(task.vocabSize, 16, 1, 2),
    scorer,
    maxLength: 48,
  };
  return { spec, weights: initModelWeights(spec, 5) };
}

/** Mean of each term over the first and the last `window` steps. */
function termTrend(events: TrainingEvent[], window: number) {
  const steps = events.flatMap((e) => (e.kind === "step" ? [e.terms] : []));
  const mean = (rows: Readonly<Record<string, number>>[], name: string) =>
    rows.reduce((a, r) => a + r[name]!, 0) / rows.length;
  return Object.keys(steps[0]!).map((name) => ({
    name,
    first: mean(steps.slice(0, window), name),
    last: mean(steps.slice(-window), name),
  }));
}

const TASK = tinyTask({ train: 100, documents: 1500, dev: 20 });

Deno.test("a dual-pooling CE teaches an asymmetric student on cached candidate lists", async () => {
  const out = await Deno.makeTempDir({ prefix: "embeddistill-ce-distill-" });
  try {
    const ce = crossEncoder(TASK, { kind: "dual-pooling", includeSpecialTokens: false });
    const teacherDir = join(out, "ce");
    await saveModelDir(teacherDir, ce.spec, ce.weights);
    await saveTokenizerJson(join(teacherDir, "tokenizer.json"), TASK.tokenizer.config);
    const events: TrainingEvent[] = [];
    const run = (
      name: string,
      onEvent?: (e: TrainingEvent) => void,
      scoring: "candidates" | "candidates-in-batch" = "candidates",
    ) =>
      distill({
        teacher: { kind: "dir", path: teacherDir },
        data: distillData(TASK, 64),
        student: {
          kind: "asymmetric",
          encoder: encoderConfig(TASK.vocabSize, 8, 1, 2),
          init: { kind: "random", seed: 2 },
        },
        loss: {
          terms: [
            { kind: "score-kd", form: "kl" },
            { kind: "embed-match", side: "query" },
            { kind: "one-hot", weight: 0 },
          ],
        },
        crossEncoder: { negatives: 3, firstStage: { kind: "bm25" }, scoring },
        training: { steps: 40, batchSize: 16, learningRate: 3e-3, evalEvery: 40 },
        outputDir: join(out, name),
        home: join(out, "home"),
        ...(onEvent === undefined ? {} : { onEvent }),
      });
    const result = await run("student", (e) => events.push(e));
    const trend = termTrend(events, 8);
    for (const t of trend.filter((t) => t.name !== "one-hot")) {
      assert.ok(t.last < t.first, `${t.name}: ${t.first} -> ${t.last}`);
    }
    assert.equal(result.onnx!.document, null);
    assert.equal(
      result.documentEmbeddings,
      join(result.modelDir, "document-embeddings.safetensors"),
    );
    const docs = await readDocumentEmbeddings(result.modelDir);
    assert.deepEqual([docs.embeddings.count, docs.embeddings.dims], [1500, 16]);
    assert.deepEqual(docs.ids, TASK.dataset.documents.map((d) => d.id));
    const stored = await loadModelDir(result.modelDir);
    if (stored.spec.kind !== "dual" || stored.spec.towers.kind !== "separate") {
      throw new TypeError("expected a separate-tower student");
    }
    assert.equal(stored.spec.towers.query.projectionDim, 16);
    // The CE's targets are cached: a second run reads them (same losses, identical).
    const artifacts = [...Deno.readDirSync(join(out, "home", "artifacts"))];
    assert.equal(artifacts.length, 1);
    const again = await run("again");
    assert.deepEqual(again.training.losses, result.training.losses);
    assert.equal([...Deno.readDirSync(join(out, "home", "artifacts"))].length, 1);
    // In-batch scoring over the same cached lists: same CE targets, every batch document scored.
    const wide: TrainingEvent[] = [];
    await run("in-batch", (e) => wide.push(e), "candidates-in-batch");
    assert.equal([...Deno.readDirSync(join(out, "home", "artifacts"))].length, 1);
    // The objective falls (one-hot has weight 0: a diagnostic, trained by nothing). Against a
    // random CE over 40 steps a single term may stall while the sum falls, so the sum is checked.
    const losses = wide.flatMap((e) => (e.kind === "step" ? [e.loss] : []));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [first, last] = [mean(losses.slice(0, 8)), mean(losses.slice(-8))];
    assert.ok(last < first, `in-batch objective: ${first} -> ${last}`);
    const query = termTrend(wide, 8).find((t) => t.name === "embed-query")!;
    assert.ok(query.last < query.first, `in-batch embed-query: ${query.first} -> ${query.last}`);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("a [CLS] CE teaches a symmetric student by score KD; in-batch scoring runs", async () => {
  const out = await Deno.makeTempDir({ prefix: "embeddistill-ce-distill-" });
  try {
    const cls = crossEncoder(TASK, { kind: "cls" });
    const events: TrainingEvent[] = [];
    const student = {
      kind: "symmetric",
      towers: "shared",
      encoder: encoderConfig(TASK.vocabSize, 8, 1, 2),
      init: { kind: "random", seed: 2 },
    } as const;
    const base = {
      tokenizer: TASK.tokenizer,
      data: distillData(TASK, 64),
      student,
      home: join(out, "home"),
      exportOnnx: false,
    };
    await distill({
      ...base,
      teacher: { kind: "model", model: cls },
      crossEncoder: { negatives: 3, firstStage: { kind: "random", seed: 1 } },
      training: { steps: 30, batchSize: 16, learningRate: 3e-3, evalEvery: 30 },
      outputDir: join(out, "cls"),
      onEvent: (e) => events.push(e),
    });
    const [kd] = termTrend(events, 8);
    assert.equal(kd?.name, "score-kd");
    assert.ok(kd.last < kd.first, `score-kd: ${kd.first} -> ${kd.last}`);
    await assert.rejects(
      () =>
        distill({
          ...base,
          teacher: { kind: "model", model: cls },
          loss: { terms: [{ kind: "embed-match", side: "query" }] },
          outputDir: join(out, "bad"),
        }),
      TypeError,
    );
    const dual = crossEncoder(TASK, { kind: "dual-pooling", includeSpecialTokens: false });
    const inBatch = await distill({
      ...base,
      teacher: { kind: "model", model: dual },
      crossEncoder: { scoring: "in-batch", negatives: 1, firstStage: { kind: "random", seed: 1 } },
      training: { steps: 3, batchSize: 4, evalEvery: 3 },
      outputDir: join(out, "in-batch"),
    });
    assert.equal(inBatch.training.losses.length, 3);
    assert.ok(inBatch.training.losses.every(Number.isFinite));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
