import assert from "node:assert/strict";
import { join } from "node:path";
import { type Pipeline, runCell, type StudentRequest } from "./cell_run.ts";
import { findExperiment } from "./mod.ts";
import { PRESETS } from "./presets.ts";

/** A pipeline of recorded calls: the orchestration under test, not the library. */
function recordingPipeline(devByLr: Record<number, number>) {
  const students: StudentRequest[] = [];
  const evaluated: [string, string][] = [];
  const pipeline: Pipeline = {
    teacher: () =>
      Promise.resolve({
        dir: "/t",
        hash: "th",
        parameters: { withEmbeddings: 1000, withoutEmbeddings: 400 },
        provenance: { seed: 42 },
        timings: { train: 10 },
        peakRss: 5,
      }),
    student: (request) => {
      students.push(request);
      return Promise.resolve({
        dir: request.outputDir,
        hash: `s${request.learningRate}`,
        parameters: { withEmbeddings: 100, withoutEmbeddings: 20 },
        dev: devByLr[request.learningRate] ?? 0,
        curves: { loss: [[1, 0.5]] },
        provenance: {},
        timings: { train: 2 },
        peakRss: 7,
        modelBytes: 123,
      });
    },
    bm25: (runFile) => {
      evaluated.push(["bm25", runFile]);
      return Promise.resolve({
        metrics: { "RR@10": 0.1 },
        perQuery: { "RR@10": { q1: 0.1 } },
        latency: null,
        indexBytesFp32: 0,
        indexBytesFp16: 0,
        timings: { search: 1 },
      });
    },
    crossEncoder: (id) =>
      Promise.resolve({
        dir: `/ce/${id}`,
        hash: `h-${id}`,
        parameters: { withEmbeddings: 1000, withoutEmbeddings: 400 },
        provenance: {},
        timings: { [`${id}/train`]: 3 },
        peakRss: 5,
      }),
    rerank: (dir, runFile) => {
      evaluated.push([`rerank ${dir}`, runFile]);
      return Promise.resolve({
        metrics: { "RR@10": 0.6 },
        perQuery: { "RR@10": { q1: 0.6 } },
        latency: null,
        indexBytesFp32: 0,
        indexBytesFp16: 0,
        timings: { rerank: 4 },
      });
    },
    evaluate: (dir, runFile) => {
      evaluated.push([dir, runFile]);
      return Promise.resolve({
        metrics: { "RR@10": 0.5 },
        perQuery: { "RR@10": { q1: 0.5 } },
        latency: null,
        indexBytesFp32: 8,
        indexBytesFp16: 4,
        timings: { search: 1 },
      });
    },
  };
  return { pipeline, students, evaluated };
}

Deno.test("a student cell keeps the learning rate with the best dev value and records the ratio", async () => {
  const runDir = await Deno.makeTempDir({ prefix: "embeddistill-cell-" });
  try {
    const preset = {
      ...PRESETS.tiny,
      student: { ...PRESETS.tiny.student, learningRates: [1e-3, 5e-3, 1e-2] },
    };
    const { pipeline, students, evaluated } = recordingPipeline({
      1e-3: 0.2,
      5e-3: 0.4,
      1e-2: 0.3,
    });
    const cell = { method: "embeddistill", size: "1-10", mode: "asymmetric", seed: 2 };
    const result = await runCell(
      { experiment: findExperiment("table2"), preset, pipeline, runDir },
      cell,
    );
    assert.deepEqual(students.map((s) => s.learningRate), [1e-3, 5e-3, 1e-2]);
    assert.ok(
      students.every((s) => s.seed === 2 && s.mode === "asymmetric" && s.queryGeneration === null),
    );
    assert.deepEqual(students[0]!.loss.terms.map((t) => t.kind), ["score-kd", "embed-match"]);
    assert.deepEqual(result.chosen, { learningRate: 5e-3 });
    assert.equal(evaluated.length, 1);
    assert.equal(
      evaluated[0]![0],
      join(runDir, "embeddistill", "1-10", "asymmetric", "2", "lr-0.005"),
    );
    assert.equal(evaluated[0]![1], join(runDir, "embeddistill", "1-10", "asymmetric", "2.trec"));
    assert.equal(result.runFile, "2.trec");
    assert.equal(result.sizes?.ratio, 0.1);
    assert.equal(result.sizes?.ratioWithoutEmbeddings, 0.05);
    assert.deepEqual(result.provenance, { teacherHash: "th", studentHash: "s0.005" });

    const qgen = await runCell(
      { experiment: findExperiment("table2"), preset, pipeline, runDir },
      { method: "embeddistill-qgen", size: "1-10", mode: "asymmetric", seed: 1 },
    );
    assert.deepEqual(students.at(-1)!.queryGeneration, preset.queryGeneration);
    assert.equal(qgen.metrics["RR@10"], 0.5);

    const teacher = await runCell(
      { experiment: findExperiment("table2"), preset, pipeline, runDir },
      { method: "teacher", size: "full", mode: "-" },
    );
    assert.equal(teacher.sizes?.ratio, 1);
    assert.equal(evaluated.at(-1)![0], "/t");
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});

Deno.test("the BM25 cell evaluates BM25 on test without a teacher or a student", async () => {
  const runDir = await Deno.makeTempDir({ prefix: "embeddistill-cell-" });
  try {
    const { pipeline, students, evaluated } = recordingPipeline({});
    let teachers = 0;
    const counting: Pipeline = {
      ...pipeline,
      teacher: () => (teachers++, pipeline.teacher()),
    };
    const result = await runCell(
      { experiment: findExperiment("table2"), preset: PRESETS.tiny, pipeline: counting, runDir },
      { method: "bm25", size: "full", mode: "-" },
    );
    assert.equal(teachers, 0);
    assert.equal(students.length, 0);
    assert.deepEqual(evaluated, [["bm25", join(runDir, "bm25", "full", "-.trec")]]);
    assert.deepEqual(result.metrics, { "RR@10": 0.1 });
    assert.equal(result.sizes, null);
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});

Deno.test("table3: a re-ranking cell re-ranks the DE teacher's top k with its CE; a CE row's student gets that CE", async () => {
  const runDir = await Deno.makeTempDir({ prefix: "embeddistill-cell-" });
  try {
    const { pipeline, students, evaluated } = recordingPipeline({});
    const context = {
      experiment: findExperiment("table3"),
      preset: PRESETS.tiny,
      pipeline,
      runDir,
    };
    const rerank = await runCell(context, { method: "ce-dual", size: "full", mode: "-" });
    assert.equal(rerank.metrics["RR@10"], 0.6);
    assert.deepEqual(rerank.provenance, { teacherHash: "th", crossEncoderHash: "h-ce-dual" });
    await runCell(context, { method: "ce-cls", size: "full", mode: "-" });
    assert.deepEqual(evaluated.map(([what]) => what), ["rerank /ce/ce-dual", "rerank /ce/ce-cls"]);
    const student = await runCell(context, {
      method: "ce-dual-reg-embeddistill",
      size: "1-10",
      mode: "symmetric",
      seed: 1,
    });
    assert.equal(students[0]!.crossEncoder?.dir, "/ce/ce-dual-reg");
    assert.deepEqual(students[0]!.loss.terms.map((t) => t.kind), [
      "score-kd",
      "embed-match",
      "embed-match",
    ]);
    assert.equal(student.provenance["crossEncoderHash"], "h-ce-dual-reg");
    await runCell(context, { method: "labels", size: "1-10", mode: "symmetric", seed: 1 });
    assert.equal(students[1]!.crossEncoder, null);
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});
