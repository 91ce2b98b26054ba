import assert from "node:assert/strict";
import { join } from "node:path";
import { type Pipeline, runCell, type StudentRequest } from "./cell_run.ts";
import { findExperiment } from "./mod.ts";
import { PRESETS } from "./presets.ts";

/** A pipeline that records the student requests (the orchestration under test, not the library). */
function recordingPipeline(): { pipeline: Pipeline; students: StudentRequest[] } {
  const students: StudentRequest[] = [];
  const evaluation = {
    metrics: { "RR@10": 0.5 },
    perQuery: { "RR@10": { q1: 0.5 } },
    latency: null,
    indexBytesFp32: 0,
    indexBytesFp16: 0,
    timings: {},
  };
  const pipeline: Pipeline = {
    teacher: () =>
      Promise.resolve({
        dir: "/t",
        hash: "th",
        parameters: { withEmbeddings: 1000, withoutEmbeddings: 400 },
        provenance: {},
        timings: {},
        peakRss: 0,
      }),
    student: (request) => {
      students.push(request);
      return Promise.resolve({
        dir: request.outputDir,
        hash: "s",
        parameters: { withEmbeddings: 100, withoutEmbeddings: 20 },
        dev: 0,
        curves: {},
        provenance: {},
        timings: {},
        peakRss: 0,
        modelBytes: 0,
      });
    },
    evaluate: () => Promise.resolve(evaluation),
    bm25: () => Promise.resolve(evaluation),
    crossEncoder: () => Promise.reject(new Error("no cross-encoder here")),
    rerank: () => Promise.reject(new Error("no re-ranking here")),
  };
  return { pipeline, students };
}

Deno.test("ablation cells ask for their factor: the query-generation amount, the student's init, width and projection", async () => {
  const runDir = await Deno.makeTempDir();
  try {
    const { pipeline, students } = recordingPipeline();
    const context = {
      experiment: findExperiment("ablations"),
      preset: PRESETS.mini,
      pipeline,
      runDir,
    };
    await runCell(context, { method: "qgen-10", size: "1-10", mode: "asymmetric", seed: 1 });
    await runCell(context, { method: "embeddistill", size: "1-10", mode: "asymmetric", seed: 1 });
    await runCell(context, {
      method: "teacher-width-layers",
      size: "2-3",
      mode: "asymmetric",
      seed: 1,
    });
    await runCell(context, { method: "temperature-4", size: "1-10", mode: "asymmetric", seed: 1 });
    assert.deepEqual(students[0]!.queryGeneration, {
      perDocument: 10,
      weight: PRESETS.mini.queryGeneration.weight,
    });
    assert.equal(students[0]!.variant, undefined);
    assert.equal(students[1]!.queryGeneration, null);
    assert.deepEqual(students[2]!.variant, {
      width: "teacher",
      init: "teacher-layers",
      projection: false,
    });
    assert.equal(
      students[2]!.outputDir,
      join(runDir, "teacher-width-layers/2-3/asymmetric/1/lr-0.005"),
    );
    assert.deepEqual(students[3]!.loss.terms[0], {
      kind: "score-kd",
      teacherTemperature: 4,
      studentTemperature: 4,
      rescale: "t-squared",
    });
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});
