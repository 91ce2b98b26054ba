import assert from "node:assert/strict";
import { join } from "node:path";
import type { Pipeline } from "./cell_run.ts";
import { findExperiment } from "./mod.ts";
import { MissingInputError, reproduceExperiment } from "./reproduce.ts";
import { parseReproduceArgs } from "./reproduce_options.ts";

/** Every model evaluates to `level` per query; students by learning rate and method. */
function levelPipeline(): Pipeline {
  const levels: Record<string, number> = {};
  let n = 0;
  return {
    teacher: () =>
      Promise.resolve({
        dir: "/teacher",
        hash: "t",
        parameters: { withEmbeddings: 1000, withoutEmbeddings: 500 },
        provenance: {},
        timings: {},
        peakRss: 0,
      }),
    student: (r) => {
      levels[r.outputDir] = 0.1 + 0.01 * (n++ % 7);
      return Promise.resolve({
        dir: r.outputDir,
        hash: "s",
        parameters: { withEmbeddings: 100, withoutEmbeddings: 50 },
        dev: 0,
        curves: {},
        provenance: {},
        timings: {},
        peakRss: 0,
        modelBytes: 0,
      });
    },
    bm25: () =>
      Promise.resolve({
        metrics: { "RR@10": 0.2, "nDCG@10": 0.2, "R@1000": 0.9 },
        perQuery: {},
        latency: null,
        indexBytesFp32: 0,
        indexBytesFp16: 0,
        timings: {},
      }),
    crossEncoder: (id) => Promise.reject(new Error(`table2 has no cross-encoder ${id}`)),
    rerank: () => Promise.reject(new Error("table2 re-ranks nothing")),
    evaluate: (dir) => {
      const level = levels[dir] ?? 0.4;
      const perQuery = Object.fromEntries(
        [...Array(20).keys()].map((q) => [`q${q}`, level + (q % 3) * 0.01]),
      );
      return Promise.resolve({
        metrics: { "RR@10": level + 0.01, "nDCG@10": level + 0.01, "R@1000": 1 },
        perQuery: { "RR@10": perQuery, "nDCG@10": perQuery },
        latency: null,
        indexBytesFp32: 0,
        indexBytesFp16: 0,
        timings: {},
      });
    },
  };
}

Deno.test("reproduce: a dry run lists the cells; a run records them, a rerun reuses them", async () => {
  const results = await Deno.makeTempDir({ prefix: "embeddistill-reproduce-" });
  try {
    const options = await parseReproduceArgs([
      "table2",
      "--preset",
      "tiny",
      "--results",
      results,
      "--only",
      "teacher/full/-",
      "--only",
      "labels/1-10/symmetric",
      "--only",
      "score-kd/1-10/symmetric",
    ]);
    assert.ok(options !== "help");
    const table2 = findExperiment("table2");
    const lines: string[] = [];
    const dry = await reproduceExperiment(
      table2,
      { ...options, dryRun: true },
      () => Promise.reject(new Error("no pipeline in a dry run")),
      (l) => lines.push(l),
    );
    assert.match(dry.table, /labels\/1-10\/symmetric\/1\s+would run/);
    const run = await reproduceExperiment(
      table2,
      options,
      () => Promise.resolve(levelPipeline()),
      (l) => lines.push(l),
    );
    assert.deepEqual(run.outcomes.map((o) => o.kind), ["ok", "ok", "ok"]);
    assert.match(run.table, /^teacher\/full\/-\s+0\.4100/m);
    assert.ok(lines.some((l) => /\[3\/3\] score-kd\/1-10\/symmetric\/1 ok RR@10/.test(l)));
    const again = await reproduceExperiment(
      table2,
      options,
      () => Promise.resolve(levelPipeline()),
      () => {},
    );
    assert.deepEqual(again.outcomes.map((o) => o.kind), ["reused", "reused", "reused"]);
    const dry2 = await reproduceExperiment(
      table2,
      { ...options, dryRun: true },
      () => Promise.reject(new Error("x")),
      () => {},
    );
    assert.match(dry2.table, /labels\/1-10\/symmetric\/1\s+done/);
  } finally {
    await Deno.remove(results, { recursive: true });
  }
});

Deno.test("reproduce: the full preset without its data or teacher stops before any cell, saying what is missing", async () => {
  const results = await Deno.makeTempDir({ prefix: "embeddistill-reproduce-full-" });
  const home = Deno.env.get("EMBEDDISTILL_HOME");
  Deno.env.set("EMBEDDISTILL_HOME", join(results, "empty-home"));
  try {
    const options = await parseReproduceArgs([
      "table2",
      "--preset",
      "full",
      "--results",
      results,
      "--teacher",
      join(results, "no-teacher"),
    ]);
    assert.ok(options !== "help");
    const table2 = findExperiment("table2");
    const dry = await reproduceExperiment(
      table2,
      { ...options, dryRun: true },
      () => Promise.reject(new Error("no pipeline in a dry run")),
      () => {},
    ).catch((e) => e);
    // A missing teacher directory cannot be hashed for the run key: a clear error naming it.
    assert.match(String(dry), /no-teacher/);
    const withoutTeacher = { ...options, teacher: undefined };
    const listed = await reproduceExperiment(
      table2,
      { ...withoutTeacher, dryRun: true },
      () => Promise.reject(new Error("no pipeline in a dry run")),
      () => {},
    );
    assert.match(
      listed.table,
      /data msmarco-passage\s+missing: run `deno task fetch msmarco-passage`/,
    );
    assert.match(listed.table, /teacher checkpoint\s+missing: .*--teacher DIR/);
    let built = false;
    await assert.rejects(
      reproduceExperiment(table2, withoutTeacher, () => {
        built = true;
        return Promise.resolve(levelPipeline());
      }, () => {}),
      (e: Error) =>
        e instanceof MissingInputError && /msmarco-passage is missing/.test(e.message) &&
        /teacher checkpoint is missing/.test(e.message),
    );
    assert.equal(built, false);
  } finally {
    if (home === undefined) Deno.env.delete("EMBEDDISTILL_HOME");
    else Deno.env.set("EMBEDDISTILL_HOME", home);
    await Deno.remove(results, { recursive: true });
  }
});
