import assert from "node:assert/strict";
import { join } from "node:path";
import { summarize } from "./aggregate.ts";
import { type CellRecord, readCellRecord } from "./cell_records.ts";
import type { Pipeline, StudentRequest } from "./cell_run.ts";
import { findExperiment } from "./mod.ts";
import { PRESETS } from "./presets.ts";
import {
  corpusMeasure,
  runZeroShotCell,
  zeroShotCorpora,
  zeroShotDefinition,
  zeroShotNotes,
} from "./zero_shot.ts";

const TABLE4 = findExperiment("table4");
const CORPORA = ["ood-a", "ood-b"];

/** A pipeline of recorded calls: the orchestration under test, not the library. */
function recordingPipeline() {
  const students: StudentRequest[] = [];
  const evaluatedOn: [string | null, string, string][] = [];
  const evaluation = (value: number) => ({
    metrics: { "RR@10": value, "nDCG@10": value },
    perQuery: { "RR@10": { q1: value }, "nDCG@10": { q1: value } },
    latency: null,
    indexBytesFp32: 8,
    indexBytesFp16: 4,
    timings: { search: 1 },
  });
  const pipeline: Pipeline = {
    teacher: () =>
      Promise.resolve({
        dir: "/teacher",
        hash: "th",
        parameters: { withEmbeddings: 1000, withoutEmbeddings: 400 },
        provenance: {},
        timings: {},
        peakRss: 5,
      }),
    student: (request) => {
      students.push(request);
      return Promise.resolve({
        dir: request.outputDir,
        hash: "sh",
        parameters: { withEmbeddings: 100, withoutEmbeddings: 20 },
        dev: 0,
        curves: {},
        provenance: {},
        timings: {},
        peakRss: 7,
        modelBytes: 123,
      });
    },
    evaluate: () => Promise.resolve(evaluation(0.5)),
    bm25: () => Promise.resolve(evaluation(0.1)),
    crossEncoder: () => Promise.reject(new Error("no cross-encoder in table4")),
    rerank: () => Promise.reject(new Error("no re-ranking in table4")),
    evaluateOn: (dir, dataset, measures, runFile) => {
      evaluatedOn.push([dir, dataset, runFile]);
      assert.deepEqual(measures, ["nDCG@10"]);
      const value = (dir === "/teacher" ? 0.4 : 0.2) + (dataset === "ood-b" ? 0.2 : 0);
      return Promise.resolve({
        metrics: { "nDCG@10": value },
        perQuery: { "nDCG@10": { q1: value, q2: value } },
        latency: null,
        indexBytesFp32: 0,
        indexBytesFp16: 0,
        timings: { search: 2 },
      });
    },
  };
  return { pipeline, students, evaluatedOn };
}

Deno.test("zeroShotCorpora and zeroShotDefinition: the preset's corpora, --beir added once, measures spelled out", () => {
  assert.deepEqual(zeroShotCorpora(TABLE4, "tiny"), [
    "synthetic-ood-generic/tiny",
    "synthetic-ood-nq/tiny",
  ]);
  assert.deepEqual(
    zeroShotCorpora(TABLE4, "mini", ["beir/scifact", "synthetic-ood-nq/mini", "beir/scifact"]),
    ["synthetic-ood-generic/mini", "synthetic-ood-nq/mini", "beir/scifact"],
  );
  assert.deepEqual(zeroShotDefinition(TABLE4, CORPORA).measures, [
    "nDCG@10",
    "nDCG@10[ood-a]",
    "nDCG@10[ood-b]",
  ]);
  assert.throws(() => zeroShotDefinition(TABLE4, []), /no out-of-domain corpus/);
  assert.throws(() => zeroShotCorpora(findExperiment("table2"), "tiny"), /not a zero-shot table/);
});

Deno.test("runZeroShotCell: a student the source lacks is trained in the source's run and recorded there, then reused; every corpus evaluated", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { pipeline, students, evaluatedOn } = recordingPipeline();
    const context = {
      experiment: zeroShotDefinition(TABLE4, CORPORA),
      source: findExperiment("table2"),
      sourceRun: { key: "k2", dir: join(root, "table2") },
      preset: PRESETS.tiny,
      pipeline,
      runDir: join(root, "table4"),
      corpora: CORPORA,
    };
    const cell = { method: "embeddistill", size: "1-10", mode: "asymmetric", seed: 1 };
    const result = await runZeroShotCell(context, cell);
    assert.equal(students.length, 1);
    const modelDir = join(root, "table2", "embeddistill", "1-10", "asymmetric", "1", "lr-0.005");
    assert.equal(students[0]!.outputDir, modelDir);
    const source = await readCellRecord(join(root, "table2"), cell) as CellRecord;
    assert.equal(source.status, "ok");
    assert.equal(source.experiment, "table2");
    assert.equal(source.runKey, "k2");
    assert.deepEqual(evaluatedOn.map(([dir, dataset]) => [dir, dataset]), [
      [modelDir, "ood-a"],
      [modelDir, "ood-b"],
    ]);
    assert.match(evaluatedOn[0]![2], /table4\/embeddistill\/1-10\/asymmetric\/1\.ood-a\.trec$/);
    assert.ok(Math.abs(result.metrics["nDCG@10"]! - 0.3) < 1e-12);
    assert.equal(result.metrics[corpusMeasure("nDCG@10", "ood-b")], 0.4);
    assert.deepEqual(Object.keys(result.perQuery["nDCG@10"]!), [
      "ood-a|q1",
      "ood-a|q2",
      "ood-b|q1",
      "ood-b|q2",
    ]);
    assert.deepEqual(result.chosen, { learningRate: 0.005 });
    assert.equal(result.sizes?.queryParameters, 100);

    await runZeroShotCell(context, cell);
    assert.equal(students.length, 1, "the source's record is reused, nothing retrained");

    const teacher = await runZeroShotCell(context, { method: "teacher", size: "full", mode: "-" });
    assert.ok(Math.abs(teacher.metrics["nDCG@10"]! - 0.5) < 1e-12);
    await runZeroShotCell(context, { method: "bm25", size: "full", mode: "-" });
    assert.deepEqual(evaluatedOn.slice(-4).map(([dir]) => dir), [
      "/teacher",
      "/teacher",
      null,
      null,
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("zeroShotNotes: each student's retention of the teacher per corpus", () => {
  const experiment = zeroShotDefinition(TABLE4, CORPORA);
  const record = (method: string, size: string, mode: string, a: number, b: number) => ({
    kind: "cell" as const,
    version: 1 as const,
    experiment: "table4",
    preset: "tiny",
    runKey: "k",
    cell: { method, size, mode },
    status: "ok" as const,
    error: null,
    chosen: {},
    metrics: { "nDCG@10[ood-a]": a, "nDCG@10[ood-b]": b },
    perQuery: {},
    latency: null,
    sizes: null,
    timings: {},
    curves: {},
    runFile: null,
    provenance: {},
    finishedAt: "",
  });
  const notes = zeroShotNotes(
    experiment,
    CORPORA,
    summarize([
      record("teacher", "full", "-", 0.5, 0.4),
      record("bm25", "full", "-", 0.3, 0.3),
      record("labels", "1-10", "asymmetric", 0.25, 0),
    ]),
  );
  assert.equal(notes.length, 3);
  assert.match(notes[1]!, /cell\s+ood-a\s+ood-b/);
  assert.match(notes[2]!, /^ {2}labels\/1-10\/asymmetric\s+50\.0 %\s+0\.0 %$/);
});
