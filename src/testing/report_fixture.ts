/**
 * A small stored run for the report's tests, written with the store's API: a teacher, BM25, and
 * `labels` / `score-kd` students of one size in both modes over two seeds (one `score-kd` cell
 * failed on seed 2), 20 queries each, with comparisons, claims, calibration checks, curves and a
 * paper value; and the layout a report of it uses.
 *
 * @module
 */

import { join } from "node:path";
import type { ReportLayout } from "../report/mod.ts";
import {
  beginRun,
  type CellInput,
  finishRun,
  openStore,
  writeCalibration,
  writeCell,
  writeClaims,
  writeComparisons,
} from "../store/mod.ts";
import { sampleRun } from "./store_fixture.ts";

/** The layout of the fixture's experiment (`fixture`), in table order. */
export const FIXTURE_LAYOUT: ReportLayout = {
  kind: "report-layout",
  id: "fixture",
  title: "A fixture table",
  shows: "Two students distilled from a teacher, for the report's tests.",
  measures: ["nDCG@10", "RR@10"],
  baseline: "labels",
  teacher: "teacher/full/-",
  rows: [
    { method: "teacher", size: "full", mode: "-", label: "teacher", group: null },
    { method: "bm25", size: "full", mode: "-", label: "BM25", group: null },
    { method: "labels", size: "1-10", mode: "symmetric", label: "labels only", group: "s" },
    { method: "score-kd", size: "1-10", mode: "symmetric", label: "+ score KD", group: "s" },
    { method: "labels", size: "1-10", mode: "asymmetric", label: "labels only", group: "a" },
    { method: "score-kd", size: "1-10", mode: "asymmetric", label: "+ score KD", group: "a" },
  ],
};

/** Queries per cell. */
export const FIXTURE_QUERIES = 20;

/** A cell of the fixture whose per-query values are `base + shift` (deterministic). */
function cell(
  method: string,
  size: string,
  mode: string,
  seed: number | undefined,
  shift: number,
  queryParameters: number,
): CellInput {
  const perQuery = (offset: number) =>
    Object.fromEntries(
      Array.from({ length: FIXTURE_QUERIES }, (_, q) => {
        const v = Math.min(1, Math.max(0, ((q * 37 + offset) % 50) / 100 + shift));
        return [`q${String(q).padStart(2, "0")}`, v];
      }),
    );
  const ndcg = perQuery((seed ?? 0) * 3);
  const rr = perQuery((seed ?? 0) * 3 + 7);
  const mean = (v: Record<string, number>) =>
    Object.values(v).reduce((a, b) => a + b, 0) / FIXTURE_QUERIES;
  const student = seed !== undefined;
  return {
    cell: seed === undefined ? { method, size, mode } : { method, size, mode, seed },
    status: "ok",
    error: null,
    chosen: student ? { lr: 3e-4 } : {},
    metrics: { "nDCG@10": mean(ndcg), "RR@10": mean(rr) },
    perQuery: { "nDCG@10": ndcg, "RR@10": rr },
    latency: {
      p50: 0.5 + queryParameters / 1e6,
      p95: 1 + queryParameters / 1e6,
      tokenizeP50: 0.1,
      queries: 20,
      threads: 1,
    },
    sizes: {
      queryParameters,
      queryParametersWithoutEmbeddings: queryParameters / 2,
      ratio: queryParameters / 600_000,
      ratioWithoutEmbeddings: queryParameters / 1_200_000,
      modelBytes: queryParameters * 4,
      indexBytesFp32: 8192,
      indexBytesFp16: 4096,
      peakRss: 1 << 20,
    },
    timings: { train: 1 },
    curves: student
      ? {
        loss: [[0, 2 - shift], [5, 1.2 - shift], [10, 0.8 - shift]],
        "dev nDCG@10": [[5, 0.2 + shift], [10, 0.3 + shift]],
      }
      : {},
    provenance: { seed: seed ?? null },
    finishedAt: "2026-12-02T21:00:00.000Z",
  };
}

/** Options of {@link writeFixtureRun}. */
export interface FixtureRunOptions {
  /** The run key (default `fixture-run`). */
  readonly runKey?: string;
  /** Added to every student's per-query values (a second run that is better or worse). */
  readonly shift?: number;
  /** The experiment id stored (default `fixture`, which {@link FIXTURE_LAYOUT} lays out). */
  readonly experiment?: string;
  /** Store comparisons, claims and calibration (default true). */
  readonly verdicts?: boolean;
}

/** Write the fixture run into the store at `db` (created if absent); returns its id. */
export async function writeFixtureRun(
  db: string,
  options: FixtureRunOptions = {},
): Promise<number> {
  const shift = options.shift ?? 0;
  const store = await openStore(db);
  try {
    const runId = await beginRun(
      store,
      sampleRun(options.runKey ?? "fixture-run", {
        experiment: options.experiment ?? "fixture",
        seeds: [1, 2],
        startedAt: "2026-12-02T20:00:00.000Z",
        paperValues: [{
          table: options.experiment ?? "fixture",
          cell: { method: "teacher", size: "full", mode: "-" },
          measure: "nDCG@10",
          value: { kind: "secondary", value: 0.372, source: "notes | second-hand" },
        }],
      }),
    );
    await writeCell(store, runId, cell("teacher", "full", "-", undefined, 0.3, 600_000));
    await writeCell(store, runId, cell("bm25", "full", "-", undefined, 0, 0));
    for (const mode of ["symmetric", "asymmetric"]) {
      for (const seed of [1, 2]) {
        await writeCell(store, runId, cell("labels", "1-10", mode, seed, shift, 60_000));
        const kd = cell("score-kd", "1-10", mode, seed, shift + 0.1, 60_000);
        await writeCell(
          store,
          runId,
          mode === "asymmetric" && seed === 2 ? { ...kd, status: "failed", error: "boom" } : kd,
        );
      }
    }
    if (options.verdicts ?? true) {
      const test = "paired randomisation test, Holm-adjusted over the table";
      await writeComparisons(store, runId, [
        {
          a: "score-kd/1-10/symmetric",
          b: "labels/1-10/symmetric",
          measure: "nDCG@10",
          delta: 0.1,
          queries: 20,
          test,
          tTestP: 0.001,
          randomizationP: 0.002,
          adjustedP: 0.004,
          adjustedTTestP: 0.002,
        },
        {
          a: "score-kd/1-10/asymmetric",
          b: "labels/1-10/asymmetric",
          measure: "nDCG@10",
          delta: 0.1,
          queries: 20,
          test,
          tTestP: 0.2,
          randomizationP: 0.3,
          adjustedP: 0.6,
          adjustedTTestP: 0.4,
        },
      ]);
      await writeClaims(store, runId, [
        {
          id: "kd-over-labels",
          statement: "score KD > labels | symmetric",
          verdict: "holds",
          evidence: "+0.1000 nDCG@10, Holm p 0.0040",
          pValue: 0.004,
        },
        { id: "retention", statement: "keeps 95 %", verdict: "fails", evidence: "40.0 %" },
      ]);
      await writeCalibration(store, runId, [
        {
          statement: "teacher nDCG@10 >= BM25 + 0.10",
          verdict: "holds",
          evidence: "0.545 vs 0.245",
        },
      ]);
    }
    await finishRun(store, runId, "ok", "2026-12-02T20:30:00.000Z");
    return runId;
  } finally {
    await store.close();
  }
}

/** A temporary folder holding `fixture.sqlite` with the fixture run; removed after `fn`. */
export async function withFixtureStore<T>(
  fn: (db: string, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-report-" });
  try {
    const db = join(dir, "fixture.sqlite");
    await writeFixtureRun(db);
    return await fn(db, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
