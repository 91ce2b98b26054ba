/**
 * The store's schema history as kysely migrations (an in-code provider): each migration creates or
 * changes tables and sets `PRAGMA user_version` to its number in the same transaction, so the
 * version a file records is the last migration applied to it.
 *
 * @module
 */

import { type Kysely, sql } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";

/** A numbered migration: `version` is what `PRAGMA user_version` holds once it has run. */
export interface NumberedMigration {
  readonly version: number;
  readonly name: string;
  readonly migration: Migration;
}

async function setVersion(db: Kysely<unknown>, version: number): Promise<void> {
  await sql.raw(`pragma user_version = ${version}`).execute(db);
}

const runsCellsMetrics: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createTable("runs")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn(
        "kind",
        "text",
        (c) => c.notNull().check(sql`kind in ('reproduce', 'regress', 'bench')`),
      )
      .addColumn("experiment", "text", (c) => c.notNull())
      .addColumn("preset", "text", (c) => c.notNull())
      .addColumn("run_key", "text", (c) => c.notNull().unique())
      .addColumn("code_commit", "text")
      .addColumn("code_dirty", "integer", (c) => c.notNull())
      .addColumn("config", "text", (c) => c.notNull())
      .addColumn("dataset_checksums", "text", (c) => c.notNull())
      .addColumn("model_hashes", "text", (c) => c.notNull())
      .addColumn("backend", "text", (c) => c.notNull())
      .addColumn("threads", "integer", (c) => c.notNull())
      .addColumn("blas", "text")
      .addColumn("machine", "text", (c) => c.notNull())
      .addColumn("seeds", "text", (c) => c.notNull())
      .addColumn("started_at", "text", (c) => c.notNull())
      .addColumn("finished_at", "text")
      .addColumn(
        "status",
        "text",
        (c) => c.notNull().check(sql`status in ('running', 'ok', 'failed')`),
      )
      .addColumn("paper_values", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("runs_by_experiment").on("runs")
      .columns(["experiment", "preset", "started_at"]).execute();

    await db.schema.createTable("cells")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
      .addColumn("cell_id", "text", (c) => c.notNull())
      .addColumn("method", "text", (c) => c.notNull())
      .addColumn("size", "text", (c) => c.notNull())
      .addColumn("mode", "text", (c) => c.notNull())
      .addColumn("seed", "integer")
      .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('ok', 'failed')`))
      .addColumn("error", "text")
      .addColumn("chosen", "text", (c) => c.notNull())
      .addColumn("provenance", "text", (c) => c.notNull())
      .addColumn("finished_at", "text", (c) => c.notNull())
      .addUniqueConstraint("cells_run_cell", ["run_id", "cell_id"])
      .execute();

    await db.schema.createTable("metrics")
      .addColumn(
        "cell_id",
        "integer",
        (c) => c.notNull().references("cells.id").onDelete("cascade"),
      )
      .addColumn("measure", "text", (c) => c.notNull())
      .addColumn("value", "real", (c) => c.notNull())
      .addColumn("queries", "integer")
      .addPrimaryKeyConstraint("metrics_pk", ["cell_id", "measure"])
      .execute();
    await db.schema.createIndex("metrics_by_measure").on("metrics").columns(["measure"]).execute();

    await db.schema.createTable("per_query")
      .addColumn(
        "cell_id",
        "integer",
        (c) => c.notNull().references("cells.id").onDelete("cascade"),
      )
      .addColumn("measure", "text", (c) => c.notNull())
      .addColumn("query_id", "text", (c) => c.notNull())
      .addColumn("value", "real", (c) => c.notNull())
      .addPrimaryKeyConstraint("per_query_pk", ["cell_id", "measure", "query_id"])
      .modifyEnd(sql`without rowid`)
      .execute();

    await db.schema.createTable("claims")
      .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
      .addColumn("claim_id", "text", (c) => c.notNull())
      .addColumn("statement", "text", (c) => c.notNull())
      .addColumn("verdict", "text", (c) => c.notNull())
      .addColumn("evidence", "text", (c) => c.notNull())
      .addColumn("p_value", "real")
      .addPrimaryKeyConstraint("claims_pk", ["run_id", "claim_id"])
      .execute();
    await setVersion(db, 1);
  },
};

const cellDetails: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const byCell = (name: string) =>
      db.schema.createTable(name)
        .addColumn(
          "cell_id",
          "integer",
          (c) => c.notNull().references("cells.id").onDelete("cascade"),
        );
    await byCell("curves")
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("step", "integer", (c) => c.notNull())
      .addColumn("value", "real", (c) => c.notNull())
      .addPrimaryKeyConstraint("curves_pk", ["cell_id", "name", "step"])
      .execute();
    await byCell("latency")
      .addColumn("p50", "real", (c) => c.notNull())
      .addColumn("p95", "real", (c) => c.notNull())
      .addColumn("tokenize_p50", "real", (c) => c.notNull())
      .addColumn("queries", "integer", (c) => c.notNull())
      .addColumn("threads", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("latency_pk", ["cell_id"])
      .execute();
    await byCell("timings")
      .addColumn("phase", "text", (c) => c.notNull())
      .addColumn("seconds", "real", (c) => c.notNull())
      .addColumn("throughput", "real")
      .addPrimaryKeyConstraint("timings_pk", ["cell_id", "phase"])
      .execute();
    await byCell("sizes")
      .addColumn("query_parameters", "integer", (c) => c.notNull())
      .addColumn("query_parameters_without_embeddings", "integer", (c) => c.notNull())
      .addColumn("ratio", "real", (c) => c.notNull())
      .addColumn("ratio_without_embeddings", "real", (c) => c.notNull())
      .addColumn("model_bytes", "integer", (c) => c.notNull())
      .addColumn("index_bytes_fp32", "integer", (c) => c.notNull())
      .addColumn("index_bytes_fp16", "integer", (c) => c.notNull())
      .addColumn("peak_rss", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("sizes_pk", ["cell_id"])
      .execute();
    await db.schema.createTable("artefacts")
      .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
      .addColumn("cell_id", "integer", (c) => c.references("cells.id").onDelete("cascade"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("content_hash", "text")
      .addColumn("path", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("artefacts_by_cell").on("artefacts").columns(["cell_id"])
      .execute();
    await db.schema.createIndex("artefacts_by_run").on("artefacts").columns(["run_id", "kind"])
      .execute();
    await db.schema.createIndex("artefacts_by_hash").on("artefacts").columns(["content_hash"])
      .execute();
    await setVersion(db, 2);
  },
};

const comparisonsCalibration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createTable("comparisons")
      .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
      .addColumn("a", "text", (c) => c.notNull())
      .addColumn("b", "text", (c) => c.notNull())
      .addColumn("measure", "text", (c) => c.notNull())
      .addColumn("delta", "real", (c) => c.notNull())
      .addColumn("queries", "integer", (c) => c.notNull())
      .addColumn("test", "text", (c) => c.notNull())
      .addColumn("t_test_p", "real", (c) => c.notNull())
      .addColumn("randomization_p", "real", (c) => c.notNull())
      .addColumn("adjusted_p", "real", (c) => c.notNull())
      .addColumn("adjusted_t_test_p", "real", (c) => c.notNull())
      .addPrimaryKeyConstraint("comparisons_pk", ["run_id", "a", "b", "measure"])
      .execute();
    await db.schema.createTable("calibration")
      .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("statement", "text", (c) => c.notNull())
      .addColumn("verdict", "text", (c) => c.notNull())
      .addColumn("evidence", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("calibration_pk", ["run_id", "position"])
      .execute();
    await setVersion(db, 3);
  },
};

const benchRegress: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createTable("bench_results")
      .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
      .addColumn("bench", "text", (c) => c.notNull())
      .addColumn("reference", "text", (c) => c.notNull())
      .addColumn("median_ms", "real", (c) => c.notNull())
      .addColumn("reference_median_ms", "real", (c) => c.notNull())
      .addColumn("ratio", "real", (c) => c.notNull())
      .addColumn("spread", "real", (c) => c.notNull())
      .addColumn("repeats", "integer", (c) => c.notNull())
      .addColumn("backend", "text", (c) => c.notNull())
      .addColumn("threads", "integer", (c) => c.notNull())
      .addColumn("blas", "text")
      .addColumn("baseline_ratio", "real")
      .addColumn("threshold", "real")
      .addColumn("verdict", "text")
      .addPrimaryKeyConstraint("bench_results_pk", ["run_id", "bench"])
      .execute();
    await db.schema.createTable("regress_checks")
      .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
      .addColumn("experiment", "text", (c) => c.notNull())
      .addColumn("cell", "text", (c) => c.notNull())
      .addColumn("measure", "text", (c) => c.notNull())
      .addColumn("expected", "real", (c) => c.notNull())
      .addColumn("actual", "real")
      .addColumn("tolerance", "real", (c) => c.notNull())
      .addColumn(
        "verdict",
        "text",
        (c) => c.notNull().check(sql`verdict in ('OK', 'BETTER', 'OK*', 'FAIL')`),
      )
      .addPrimaryKeyConstraint("regress_checks_pk", ["run_id", "experiment", "cell", "measure"])
      .execute();
    await setVersion(db, 4);
  },
};

/** Every migration, oldest first; the last one's version is {@link SCHEMA_VERSION}. */
export const MIGRATIONS: readonly NumberedMigration[] = [
  { version: 1, name: "0001_runs_cells_metrics_per_query_claims", migration: runsCellsMetrics },
  { version: 2, name: "0002_curves_latency_timings_sizes_artefacts", migration: cellDetails },
  { version: 3, name: "0003_comparisons_calibration", migration: comparisonsCalibration },
  { version: 4, name: "0004_bench_results_regress_checks", migration: benchRegress },
];

/** The schema version this code writes (`PRAGMA user_version` of an up-to-date store). */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** kysely's MigrationProvider over `migrations` (in code: no migration folder to ship). */
export function migrationProvider(migrations: readonly NumberedMigration[]): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(Object.fromEntries(migrations.map((m) => [m.name, m.migration]))),
  };
}
