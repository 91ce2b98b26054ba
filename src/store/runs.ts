/**
 * Runs in the store: beginRun (a new run, or the same run key resumed), finishRun, listRuns (with
 * cell counts) and findRun.
 *
 * @module
 */

import type { Store } from "./open_store.ts";
import type { RunKind, RunRow, RunStatus } from "./schema.ts";

/** What a run records about itself when it starts. */
export interface RunInput {
  readonly kind: RunKind;
  readonly experiment: string;
  readonly preset: string;
  /** Config + code-version key: beginRun with a stored key resumes that run. */
  readonly runKey: string;
  readonly commit: string | null;
  /** The working tree had uncommitted changes. */
  readonly dirty: boolean;
  /** The resolved configuration (any JSON value). */
  readonly config: unknown;
  readonly datasetChecksums: Readonly<Record<string, string>>;
  readonly modelHashes: Readonly<Record<string, string>>;
  readonly backend: string;
  readonly threads: number;
  readonly blas: string | null;
  /** CPU, cores, memory, OS (any JSON value). */
  readonly machine: unknown;
  readonly seeds: readonly number[];
  /** The paper's values for the experiment (any JSON value), so reports need only the store. */
  readonly paperValues: unknown;
  /** ISO 8601; default now. */
  readonly startedAt?: string;
}

/** One line of {@link listRuns}. */
export interface RunSummary {
  readonly id: number;
  readonly kind: RunKind;
  readonly experiment: string;
  readonly preset: string;
  readonly runKey: string;
  readonly commit: string | null;
  readonly dirty: boolean;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: RunStatus;
  readonly cellsOk: number;
  readonly cellsFailed: number;
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/**
 * Record the start of a run and return its id. A run key already stored is the same run resumed:
 * its row is kept (cells and all), its provenance refreshed and its status set back to `running`.
 */
export async function beginRun(store: Store, run: RunInput): Promise<number> {
  const row = {
    kind: run.kind,
    experiment: run.experiment,
    preset: run.preset,
    code_commit: run.commit,
    code_dirty: run.dirty ? 1 : 0,
    config: json(run.config),
    dataset_checksums: json(run.datasetChecksums),
    model_hashes: json(run.modelHashes),
    backend: run.backend,
    threads: run.threads,
    blas: run.blas,
    machine: json(run.machine),
    seeds: json(run.seeds),
    status: "running" as const,
    finished_at: null,
    paper_values: json(run.paperValues),
  };
  return await store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("runs").select("id").where("run_key", "=", run.runKey)
      .executeTakeFirst();
    if (existing !== undefined) {
      await trx.updateTable("runs").set(row).where("id", "=", existing.id).execute();
      return existing.id;
    }
    const inserted = await trx.insertInto("runs")
      .values({
        ...row,
        run_key: run.runKey,
        started_at: run.startedAt ?? new Date().toISOString(),
      })
      .returning("id").executeTakeFirstOrThrow();
    return inserted.id;
  });
}

/** Mark run `runId` finished with `status`; an unknown id is a RangeError. */
export async function finishRun(
  store: Store,
  runId: number,
  status: "ok" | "failed",
  finishedAt: string = new Date().toISOString(),
  /** The datasets and models the run's cells used, known once they ran (kept when absent). */
  hashes?: Pick<RunInput, "datasetChecksums" | "modelHashes">,
): Promise<void> {
  const result = await store.db.updateTable("runs")
    .set({
      status,
      finished_at: finishedAt,
      ...(hashes === undefined ? {} : {
        dataset_checksums: json(hashes.datasetChecksums),
        model_hashes: json(hashes.modelHashes),
      }),
    })
    .where("id", "=", runId).executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new RangeError(`Cannot finish run ${runId} in "${store.path}": no such run`);
  }
}

/** Every run, oldest first, with its numbers of ok and failed cells. */
export async function listRuns(store: Store): Promise<RunSummary[]> {
  const rows = await store.db.selectFrom("runs")
    .leftJoin("cells", "cells.run_id", "runs.id")
    .select((eb) => [
      "runs.id",
      "runs.kind",
      "runs.experiment",
      "runs.preset",
      "runs.run_key",
      "runs.code_commit",
      "runs.code_dirty",
      "runs.started_at",
      "runs.finished_at",
      "runs.status",
      eb.fn.count<number>("cells.id").filterWhere("cells.status", "=", "ok").as("ok"),
      eb.fn.count<number>("cells.id").filterWhere("cells.status", "=", "failed").as("failed"),
    ])
    .groupBy("runs.id").orderBy("runs.id").execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    experiment: r.experiment,
    preset: r.preset,
    runKey: r.run_key,
    commit: r.code_commit,
    dirty: r.code_dirty === 1,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    cellsOk: Number(r.ok),
    cellsFailed: Number(r.failed),
  }));
}

/** The run with id `run` (a number or a string of digits) or run key `run`, or null. */
export async function findRun(store: Store, run: number | string): Promise<RunRow | null> {
  const query = store.db.selectFrom("runs").selectAll();
  const row = typeof run === "number" || /^\d+$/.test(run)
    ? await query.where("id", "=", Number(run)).executeTakeFirst()
    : await query.where("run_key", "=", run).executeTakeFirst();
  return row ?? null;
}
