/**
 * Writing a cell with everything measured on it (metrics, per-query values, curves, latency,
 * timings, sizes, artefacts) in ONE transaction, so a killed process leaves either the whole cell
 * or none of it; and the finished-cell lookup a restarted run uses to redo only unfinished cells.
 *
 * @module
 */

import { sql, type Transaction } from "kysely";
import type { Store } from "./open_store.ts";
import type { CellStatus, StoreSchema } from "./schema.ts";

/** A cell's coordinates (structurally experiments' CellRef). */
export interface CellCoordinates {
  readonly method: string;
  readonly size: string;
  readonly mode: string;
  readonly seed?: number;
}

/** Query latency in milliseconds (structurally experiments' LatencyRecord). */
export interface LatencyInput {
  readonly p50: number;
  readonly p95: number;
  readonly tokenizeP50: number;
  readonly queries: number;
  readonly threads: number;
}

/** Model and index sizes (structurally experiments' SizeRecord). */
export interface SizesInput {
  readonly queryParameters: number;
  readonly queryParametersWithoutEmbeddings: number;
  readonly ratio: number;
  readonly ratioWithoutEmbeddings: number;
  readonly modelBytes: number;
  readonly indexBytesFp32: number;
  readonly indexBytesFp16: number;
  readonly peakRss: number;
}

/** A file a cell produced or used. */
export interface ArtefactInput {
  readonly kind: string;
  readonly contentHash: string | null;
  readonly path: string;
}

/**
 * A finished or failed cell. Structurally a superset of experiments' CellRecord, so a record is
 * written as it is; `throughput` and `artefacts` are the store's additions.
 */
export interface CellInput {
  readonly cell: CellCoordinates;
  readonly status: CellStatus;
  readonly error: string | null;
  readonly chosen: Readonly<Record<string, number | string>>;
  /** Canonical measure string -> value. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Measure -> query id -> value. */
  readonly perQuery: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly latency: LatencyInput | null;
  readonly sizes: SizesInput | null;
  /** Phase -> seconds. */
  readonly timings: Readonly<Record<string, number>>;
  /** Phase -> items per second. */
  readonly throughput?: Readonly<Record<string, number>>;
  /** Curve name -> [step, value] pairs. */
  readonly curves: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  /** The TREC run file (stored as an artefact of kind {@link RUN_FILE_ARTEFACT}). */
  readonly runFile?: string | null;
  readonly artefacts?: readonly ArtefactInput[];
  readonly provenance?: Readonly<Record<string, unknown>>;
  /** ISO 8601; default now. */
  readonly finishedAt?: string;
}

/** The artefact kind of a cell's TREC run file. */
export const RUN_FILE_ARTEFACT = "trec-run";

/** Rows per multi-row INSERT (4 columns x 8000 stays under SQLite's 32766 parameters). */
const CHUNK = 8000;

/** `method/size/mode[/seed]`, the cell id reproduce uses. */
export function cellIdOf(cell: CellCoordinates): string {
  for (const part of [cell.method, cell.size, cell.mode]) {
    if (part === "" || part.includes("/")) {
      throw new SyntaxError(
        `Cannot form a cell id of ${JSON.stringify(cell)}: "${part}" is empty or contains "/"`,
      );
    }
  }
  const base = `${cell.method}/${cell.size}/${cell.mode}`;
  return cell.seed === undefined ? base : `${base}/${cell.seed}`;
}

function checkNumber(where: string, what: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`Cannot write ${where}: ${what} is ${String(value)}, not a finite number`);
  }
  return value;
}

async function insertChunked<T extends keyof StoreSchema & string>(
  trx: Transaction<StoreSchema>,
  table: T,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // deno-lint-ignore no-explicit-any
    await trx.insertInto(table).values(rows.slice(i, i + CHUNK) as any).execute();
  }
}

/**
 * Write `input` as a cell of run `runId` in one transaction (replacing a stored cell with the
 * same id, e.g. a failed one being redone) and return its row id. A value that is not a finite
 * number (NaN, Infinity) is refused before anything is written.
 */
export async function writeCell(store: Store, runId: number, input: CellInput): Promise<number> {
  const cellId = cellIdOf(input.cell);
  const where = `cell "${cellId}" of run ${runId} to "${store.path}"`;
  const metrics = Object.entries(input.metrics).map(([measure, value]) => ({
    measure,
    value: checkNumber(where, `metric "${measure}"`, value),
    queries: input.perQuery[measure] === undefined
      ? null
      : Object.keys(input.perQuery[measure]).length,
  }));
  const perQuery: [string, string, number][] = [];
  for (const [measure, values] of Object.entries(input.perQuery)) {
    for (const [queryId, value] of Object.entries(values)) {
      perQuery.push([
        measure,
        queryId,
        checkNumber(where, `"${measure}" of query "${queryId}"`, value),
      ]);
    }
  }
  const curves: { name: string; step: number; value: number }[] = [];
  for (const [name, points] of Object.entries(input.curves)) {
    for (const [step, value] of points) {
      curves.push({ name, step, value: checkNumber(where, `curve "${name}" step ${step}`, value) });
    }
  }
  const artefacts = [
    ...(input.artefacts ?? []),
    ...(input.runFile == null
      ? []
      : [{ kind: RUN_FILE_ARTEFACT, contentHash: null, path: input.runFile }]),
  ];
  return await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("cells").where("run_id", "=", runId).where("cell_id", "=", cellId)
      .execute();
    const { id } = await trx.insertInto("cells").values({
      run_id: runId,
      cell_id: cellId,
      method: input.cell.method,
      size: input.cell.size,
      mode: input.cell.mode,
      seed: input.cell.seed ?? null,
      status: input.status,
      error: input.error,
      chosen: JSON.stringify(input.chosen),
      provenance: JSON.stringify(input.provenance ?? {}),
      finished_at: input.finishedAt ?? new Date().toISOString(),
    }).returning("id").executeTakeFirstOrThrow();
    const withCell = <R extends object>(rows: readonly R[]) =>
      rows.map((r) => ({ cell_id: id, ...r }));
    await insertChunked(trx, "metrics", withCell(metrics));
    // Per-query rows are the bulk of a cell: one statement over a JSON array (json_each), not
    // thousands of bound parameters through the query builder (about 10x faster).
    if (perQuery.length > 0) {
      await sql`insert into per_query (cell_id, measure, query_id, value)
        select ${id}, value ->> 0, value ->> 1, value ->> 2 from json_each(${
        JSON.stringify(perQuery)
      })`.execute(trx);
    }
    await insertChunked(trx, "curves", withCell(curves));
    await insertChunked(
      trx,
      "timings",
      withCell(
        Object.entries(input.timings).map(([phase, seconds]) => ({
          phase,
          seconds,
          throughput: input.throughput?.[phase] ?? null,
        })),
      ),
    );
    if (input.latency !== null) {
      const l = input.latency;
      await trx.insertInto("latency").values({
        cell_id: id,
        p50: l.p50,
        p95: l.p95,
        tokenize_p50: l.tokenizeP50,
        queries: l.queries,
        threads: l.threads,
      }).execute();
    }
    if (input.sizes !== null) {
      const s = input.sizes;
      await trx.insertInto("sizes").values({
        cell_id: id,
        query_parameters: s.queryParameters,
        query_parameters_without_embeddings: s.queryParametersWithoutEmbeddings,
        ratio: s.ratio,
        ratio_without_embeddings: s.ratioWithoutEmbeddings,
        model_bytes: s.modelBytes,
        index_bytes_fp32: s.indexBytesFp32,
        index_bytes_fp16: s.indexBytesFp16,
        peak_rss: s.peakRss,
      }).execute();
    }
    await insertChunked(
      trx,
      "artefacts",
      artefacts.map((a) => ({
        run_id: runId,
        cell_id: id,
        kind: a.kind,
        content_hash: a.contentHash,
        path: a.path,
      })),
    );
    return id;
  });
}

/** The ids of the cells stored `ok` under run key `runKey` (a restarted run skips exactly these). */
export async function finishedCellIds(store: Store, runKey: string): Promise<Set<string>> {
  const rows = await store.db.selectFrom("cells")
    .innerJoin("runs", "runs.id", "cells.run_id")
    .select("cells.cell_id")
    .where("runs.run_key", "=", runKey).where("cells.status", "=", "ok")
    .execute();
  return new Set(rows.map((r) => r.cell_id));
}

/** Whether cell `cellId` of the run with key `runKey` is stored `ok`. */
export async function isCellFinished(
  store: Store,
  runKey: string,
  cellId: string,
): Promise<boolean> {
  const row = await store.db.selectFrom("cells")
    .innerJoin("runs", "runs.id", "cells.run_id")
    .select("cells.id")
    .where("runs.run_key", "=", runKey).where("cells.cell_id", "=", cellId)
    .where("cells.status", "=", "ok")
    .executeTakeFirst();
  return row !== undefined;
}

/** What identifies a stored cell's write: its status and when it finished. */
export interface CellStamp {
  readonly status: CellStatus;
  readonly finishedAt: string;
}

/** Cell id -> status and finish time of every cell of run `runId` (an importer skips equal ones). */
export async function cellStamps(store: Store, runId: number): Promise<Map<string, CellStamp>> {
  const rows = await store.db.selectFrom("cells").select(["cell_id", "status", "finished_at"])
    .where("run_id", "=", runId).execute();
  return new Map(rows.map((r) => [r.cell_id, { status: r.status, finishedAt: r.finished_at }]));
}
