/**
 * Reading a run back: its provenance (JSON columns parsed) and its cells with metrics, latency,
 * sizes and timings, plus its claims; and the per-query values, streamed.
 *
 * @module
 */

import { readClaims, type StoredClaim } from "./claims.ts";
import type { LatencyInput, SizesInput } from "./cells.ts";
import type { Store } from "./open_store.ts";
import { findRun, type RunSummary } from "./runs.ts";
import type { CellStatus } from "./schema.ts";

/** A run with its provenance. */
export interface StoredRunInfo extends Omit<RunSummary, "cellsOk" | "cellsFailed"> {
  readonly config: unknown;
  readonly datasetChecksums: Readonly<Record<string, string>>;
  readonly modelHashes: Readonly<Record<string, string>>;
  readonly backend: string;
  readonly threads: number;
  readonly blas: string | null;
  readonly machine: unknown;
  readonly seeds: readonly number[];
  readonly paperValues: unknown;
}

/** A stored cell and what was measured on it (per-query values: {@link readPerQuery}). */
export interface StoredCell {
  readonly cellId: string;
  readonly method: string;
  readonly size: string;
  readonly mode: string;
  readonly seed: number | null;
  readonly status: CellStatus;
  readonly error: string | null;
  readonly chosen: Readonly<Record<string, number | string>>;
  readonly metrics: Readonly<Record<string, number>>;
  /** Measure -> number of queries averaged (null: unknown). */
  readonly queries: Readonly<Record<string, number | null>>;
  readonly latency: LatencyInput | null;
  readonly sizes: SizesInput | null;
  readonly timings: Readonly<Record<string, number>>;
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly finishedAt: string;
}

/** A run read back from the store. */
export interface StoredRun {
  readonly run: StoredRunInfo;
  /** By cell id. */
  readonly cells: readonly StoredCell[];
  readonly claims: readonly StoredClaim[];
}

/** One per-query value. */
export interface PerQueryValue {
  readonly cellId: string;
  readonly measure: string;
  readonly queryId: string;
  readonly value: number;
}

function group<R extends { cell_id: number }>(rows: readonly R[]): Map<number, R[]> {
  const map = new Map<number, R[]>();
  for (const r of rows) {
    const list = map.get(r.cell_id);
    if (list === undefined) map.set(r.cell_id, [r]);
    else list.push(r);
  }
  return map;
}

/** Run `run` (id or run key) with its cells and claims, or null when the store has no such run. */
export async function readRun(store: Store, run: number | string): Promise<StoredRun | null> {
  const row = await findRun(store, run);
  if (row === null) return null;
  const db = store.db;
  const cells = await db.selectFrom("cells").selectAll().where("run_id", "=", row.id)
    .orderBy("cell_id").execute();
  const ofRun = db.selectFrom("cells").select("id").where("run_id", "=", row.id);
  const metrics = group(
    await db.selectFrom("metrics").selectAll().where("cell_id", "in", ofRun).orderBy("measure")
      .execute(),
  );
  const latency = group(
    await db.selectFrom("latency").selectAll().where("cell_id", "in", ofRun).execute(),
  );
  const sizes = group(
    await db.selectFrom("sizes").selectAll().where("cell_id", "in", ofRun).execute(),
  );
  const timings = group(
    await db.selectFrom("timings").selectAll().where("cell_id", "in", ofRun).orderBy("phase")
      .execute(),
  );
  const claims = await readClaims(store, row.id);
  return {
    run: {
      id: row.id,
      kind: row.kind,
      experiment: row.experiment,
      preset: row.preset,
      runKey: row.run_key,
      commit: row.code_commit,
      dirty: row.code_dirty === 1,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      status: row.status,
      config: JSON.parse(row.config),
      datasetChecksums: JSON.parse(row.dataset_checksums),
      modelHashes: JSON.parse(row.model_hashes),
      backend: row.backend,
      threads: row.threads,
      blas: row.blas,
      machine: JSON.parse(row.machine),
      seeds: JSON.parse(row.seeds),
      paperValues: JSON.parse(row.paper_values),
    },
    cells: cells.map((c) => {
      const m = metrics.get(c.id) ?? [];
      const l = latency.get(c.id)?.[0];
      const s = sizes.get(c.id)?.[0];
      return {
        cellId: c.cell_id,
        method: c.method,
        size: c.size,
        mode: c.mode,
        seed: c.seed,
        status: c.status,
        error: c.error,
        chosen: JSON.parse(c.chosen),
        metrics: Object.fromEntries(m.map((r) => [r.measure, r.value])),
        queries: Object.fromEntries(m.map((r) => [r.measure, r.queries])),
        latency: l === undefined ? null : {
          p50: l.p50,
          p95: l.p95,
          tokenizeP50: l.tokenize_p50,
          queries: l.queries,
          threads: l.threads,
        },
        sizes: s === undefined ? null : {
          queryParameters: s.query_parameters,
          queryParametersWithoutEmbeddings: s.query_parameters_without_embeddings,
          ratio: s.ratio,
          ratioWithoutEmbeddings: s.ratio_without_embeddings,
          modelBytes: s.model_bytes,
          indexBytesFp32: s.index_bytes_fp32,
          indexBytesFp16: s.index_bytes_fp16,
          peakRss: s.peak_rss,
        },
        timings: Object.fromEntries((timings.get(c.id) ?? []).map((t) => [t.phase, t.seconds])),
        provenance: JSON.parse(c.provenance),
        finishedAt: c.finished_at,
      };
    }),
    claims,
  };
}

/**
 * The per-query values of run `runId`, ordered by cell id, measure, query id; streamed. The
 * stream holds the store's one connection: finish (or break out of) the loop before another
 * query on the same store, which would otherwise wait for it.
 */
export async function* readPerQuery(store: Store, runId: number): AsyncGenerator<PerQueryValue> {
  const rows = store.db.selectFrom("per_query")
    .innerJoin("cells", "cells.id", "per_query.cell_id")
    .select(["cells.cell_id", "per_query.measure", "per_query.query_id", "per_query.value"])
    .where("cells.run_id", "=", runId)
    .orderBy("cells.cell_id").orderBy("per_query.measure").orderBy("per_query.query_id")
    .stream();
  for await (const r of rows) {
    yield { cellId: r.cell_id, measure: r.measure, queryId: r.query_id, value: r.value };
  }
}

/** A file a run or one of its cells produced or used. */
export interface StoredArtefact {
  /** The cell's id, or null for an artefact of the whole run. */
  readonly cellId: string | null;
  readonly kind: string;
  readonly contentHash: string | null;
  readonly path: string;
}

/** The curves of run `runId`: cell id -> curve name -> [step, value] pairs by step. */
export async function readCurves(
  store: Store,
  runId: number,
): Promise<Map<string, Record<string, [number, number][]>>> {
  const rows = await store.db.selectFrom("curves")
    .innerJoin("cells", "cells.id", "curves.cell_id")
    .select(["cells.cell_id", "curves.name", "curves.step", "curves.value"])
    .where("cells.run_id", "=", runId)
    .orderBy("cells.cell_id").orderBy("curves.name").orderBy("curves.step").execute();
  const byCell = new Map<string, Record<string, [number, number][]>>();
  for (const r of rows) {
    let curves = byCell.get(r.cell_id);
    if (curves === undefined) byCell.set(r.cell_id, curves = {});
    (curves[r.name] ??= []).push([r.step, r.value]);
  }
  return byCell;
}

/** The artefacts of run `runId` (its cells' and its own), by cell id, kind and path. */
export async function readArtefacts(store: Store, runId: number): Promise<StoredArtefact[]> {
  const rows = await store.db.selectFrom("artefacts")
    .leftJoin("cells", "cells.id", "artefacts.cell_id")
    .select(["cells.cell_id", "artefacts.kind", "artefacts.content_hash", "artefacts.path"])
    .where("artefacts.run_id", "=", runId)
    .orderBy("cells.cell_id").orderBy("artefacts.kind").orderBy("artefacts.path").execute();
  return rows.map((r) => ({
    cellId: r.cell_id,
    kind: r.kind,
    contentHash: r.content_hash,
    path: r.path,
  }));
}
