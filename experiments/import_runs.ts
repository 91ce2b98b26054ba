/**
 * `deno task import-runs DIR... [--db PATH]`: write the cell records of run directories
 * (results/runs/<run-key>[-<fresh>], as reproduce leaves them) and their run files into the results
 * store, idempotently: a cell stored with the same status and finish time is skipped, so importing
 * twice adds nothing, and a record redone since the last import replaces the stored cell.
 *
 * It lives in experiments/, not in `deno task runs` (src/cli/runs.ts), because the record format
 * is experiments' and src/ never imports experiments/.
 *
 * A run already in the store (written live by reproduce, or imported before) keeps its provenance
 * and status; a run the store lacks is created from what the records say (experiment, preset, run
 * key, seeds, backend and threads when their provenance has them; the configuration when the key
 * still matches this code's; the paper's values at the time of the import) and marked `ok`, or
 * `failed` when a cell failed. A finished run whose cells an import changed gets its status anew
 * from its cells; a run still `running` is left as it is.
 *
 * @module
 */

import { basename, resolve } from "node:path";
import { parseCommand, UsageError, userPath } from "../src/cli/mod.ts";
import { writeAll } from "../src/io/mod.ts";
import {
  beginRun,
  cellStamps,
  DEFAULT_STORE_PATH,
  findRun,
  finishRun,
  openStore,
  type Store,
  writeCell,
} from "../src/store/mod.ts";
import { formatCellId } from "./cell_id.ts";
import { type CellRecord, readRunRecords } from "./cell_records.ts";
import { EXPERIMENTS, type PresetName } from "./mod.ts";
import { PRESETS } from "./presets.ts";
import { resolvedConfig } from "./reproduce.ts";
import { runKey } from "./run_key.ts";
import { cellInputOf, readRunFileOf } from "./store_sink.ts";
import { paperValuesOf } from "./store_sink_provenance.ts";

/** What one import did. */
export interface ImportReport {
  readonly kind: "import";
  readonly dir: string;
  readonly runId: number;
  /** The key the run is stored under (the directory's name). */
  readonly runKey: string;
  /** The run row was created by this import (not already in the store). */
  readonly created: boolean;
  readonly written: number;
  /** Records already stored as they are. */
  readonly unchanged: number;
}

/** The configuration of a run key when this code's definitions still hash to it, else null. */
function configOf(record: CellRecord): unknown {
  const experiment = EXPERIMENTS.find((e) => e.id === record.experiment);
  if (experiment === undefined || !Object.hasOwn(PRESETS, record.preset)) return null;
  const preset = PRESETS[record.preset as PresetName];
  const config = resolvedConfig(experiment, preset);
  return runKey(experiment.id, preset.name, config) === record.runKey ? config : null;
}

function engineField(record: CellRecord, field: "backend" | "threads"): unknown {
  const p = record.provenance as Record<string, unknown>;
  const engine = p["engine"];
  if (p[field] !== undefined) return p[field];
  return typeof engine === "object" && engine !== null
    ? (engine as Record<string, unknown>)[field]
    : undefined;
}

/** The key the records of `dir` are stored under: `dir`'s name, which must start with their key. */
function storedKeyOf(dir: string, key: string): string {
  const name = basename(resolve(dir));
  if (name !== key && !name.startsWith(`${key}-`)) {
    throw new RangeError(
      `Cannot import "${dir}": its records are of run ${key}, but the directory is named "${name}" ` +
        `(expected ${key} or ${key}-<suffix>)`,
    );
  }
  return name;
}

/**
 * Import the cell records of run directory `dir` into `store` (see the module doc); a directory
 * without records, or with records of different runs, is an error naming it.
 */
export async function importRunDirectory(store: Store, dir: string): Promise<ImportReport> {
  const records = await readRunRecords(dir);
  const first = records[0];
  if (first === undefined) {
    throw new RangeError(
      `Cannot import "${dir}": no cell records (<method>/<size>/<mode>[/<seed>].json)`,
    );
  }
  for (const r of records) {
    if (
      r.runKey !== first.runKey || r.experiment !== first.experiment || r.preset !== first.preset
    ) {
      throw new RangeError(
        `Cannot import "${dir}": cell "${
          formatCellId(r.cell)
        }" is of ${r.experiment}/${r.preset} ` +
          `run ${r.runKey}, expected ${first.experiment}/${first.preset} run ${first.runKey} like the others`,
      );
    }
  }
  const key = storedKeyOf(dir, first.runKey);
  const existing = await findRun(store, key);
  let runId: number;
  if (existing !== null) {
    runId = existing.id;
  } else {
    const backend = engineField(first, "backend");
    const threads = engineField(first, "threads");
    const seeds = [
      ...new Set(records.flatMap((r) => r.cell.seed === undefined ? [] : [r.cell.seed])),
    ]
      .sort((a, b) => a - b);
    runId = await beginRun(store, {
      kind: "reproduce",
      experiment: first.experiment,
      preset: first.preset,
      runKey: key,
      commit: null,
      dirty: false,
      config: configOf(first),
      datasetChecksums: {},
      modelHashes: {},
      backend: typeof backend === "string" ? backend : "unknown",
      threads: typeof threads === "number" ? threads : 0,
      blas: null,
      machine: null,
      seeds,
      paperValues: paperValuesOf(first.experiment),
      startedAt: records.map((r) => r.finishedAt).sort()[0]!,
    });
  }
  const stamps = await cellStamps(store, runId);
  let written = 0;
  for (const record of records) {
    const stamp = stamps.get(formatCellId(record.cell));
    if (
      stamp !== undefined && stamp.status === record.status &&
      stamp.finishedAt === record.finishedAt
    ) {
      continue;
    }
    const text = await readRunFileOf(record, dir);
    await writeCell(store, runId, cellInputOf(record, text, resolve(dir)));
    written++;
  }
  // A run this import created, or a finished run it changed, gets its status from its cells; a
  // run still `running` (reproduce at work, or killed) is left to reproduce.
  if (existing === null || (existing.status !== "running" && written > 0)) {
    const cells = [...(await cellStamps(store, runId)).values()];
    const last = cells.map((c) => c.finishedAt).sort().at(-1)!;
    await finishRun(store, runId, cells.every((c) => c.status === "ok") ? "ok" : "failed", last);
  }
  return {
    kind: "import",
    dir: resolve(dir),
    runId,
    runKey: key,
    created: existing === null,
    written,
    unchanged: records.length - written,
  };
}

const USAGE = `Usage: deno task import-runs DIR... [--db PATH] [--json]

Write the cell records of reproduce's run directories (results/runs/<run-key>) and their run files
into the results store. Importing twice adds nothing; a run already in the store keeps its
provenance.

Options:
      --db PATH    the results store (default: results/results.sqlite in the repository)
      --json       one JSON object per directory instead of a line of text
  -h, --help       show this help

Exit status: 0 ok, 1 failure (unreadable records or store), 2 usage error.`;

/** Where the command writes. */
export interface ImportIo {
  /** Data (stdout). */
  readonly out: (text: string) => Promise<void>;
  /** Messages (stderr). */
  readonly err: (text: string) => void;
}

const encoder = new TextEncoder();

const defaultIo: ImportIo = {
  out: (text) => writeAll(Deno.stdout, encoder.encode(text)),
  // deno-lint-ignore no-console
  err: (text) => console.error(text.replace(/\n$/, "")),
};

/** The command: exit status 0 ok, 1 failure, 2 usage error. */
export async function main(args: readonly string[], io: ImportIo = defaultIo): Promise<number> {
  let dirs: string[];
  let db: string;
  let json: boolean;
  try {
    const { values, positionals } = await parseCommand(args, {
      db: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    }, true);
    if (values["help"] === true) {
      await io.out(USAGE + "\n");
      return 0;
    }
    if (positionals.length === 0) throw new UsageError("expected at least one run directory DIR");
    dirs = positionals.map(userPath);
    db = typeof values["db"] === "string" ? userPath(values["db"]) : DEFAULT_STORE_PATH;
    json = values["json"] === true;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`import-runs: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  let store: Store;
  try {
    store = await openStore(db);
  } catch (error) {
    io.err(`import-runs: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    for (const dir of dirs) {
      const report = await importRunDirectory(store, dir);
      await io.out(
        (json
          ? JSON.stringify(report)
          : `${report.dir}: run ${report.runId} (${report.runKey}${
            report.created ? ", new" : ""
          }), ${report.written} cells written, ${report.unchanged} already stored`) + "\n",
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) return 0;
    io.err(`import-runs: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
