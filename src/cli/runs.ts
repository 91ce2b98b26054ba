// deno-lint-ignore-file no-console
/**
 * `deno task runs`: the runs in the results store (id, kind, experiment, preset, commit, date,
 * status, cells ok/failed), and `runs export RUN` writing one run's results to stdout as CSV,
 * JSON Lines, a LaTeX table, or per-query values as TSV.
 *
 * @module
 */

import { pathExists, writeAll } from "../io/mod.ts";
import {
  DEFAULT_STORE_PATH,
  type ExportFormat,
  exportRun,
  listRuns,
  openStore,
  type RunSummary,
} from "../store/mod.ts";
import { parseCommand, userPath } from "./command_args.ts";
import { UsageError } from "./usage_error.ts";

const USAGE = `Usage: deno task runs [--db PATH] [--json]
       deno task runs export RUN [--db PATH] --format csv|jsonl|latex
       deno task runs export RUN [--db PATH] --per-query tsv

List the runs in the results store, or write one run's results (RUN = run id or run key) to
stdout for other tools.

Options:
      --db PATH          the results store (default: results/results.sqlite in the repository;
                         a relative PATH is relative to the directory you ran the task from)
      --json             list runs as a JSON array instead of a table
      --format F         export format: csv (one row per cell and measure), jsonl (one object
                         per cell), latex (booktabs tabular of cells x measures)
      --per-query tsv    export per-query values: header query_id, system, measure, value
                         (long layout, one row per query, cell and measure; system = cell id)
      --config FILE      options from a JSON object
  -h, --help             show this help

Reproduce's cell records on disk (results/runs/<run-key>) go into the store with
deno task import-runs DIR.

Exit status: 0 ok, 1 failure (unreadable store, unknown run), 2 usage error.`;

/** Where the command writes. */
export interface RunsIo {
  /** Data (stdout). */
  readonly out: (text: string) => Promise<void>;
  /** Messages (stderr). */
  readonly err: (text: string) => void;
}

const encoder = new TextEncoder();

const defaultIo: RunsIo = {
  out: (text) => writeAll(Deno.stdout, encoder.encode(text)),
  err: (text) => console.error(text.replace(/\n$/, "")),
};

type Command =
  | { readonly kind: "help" }
  | { readonly kind: "list"; readonly db: string; readonly json: boolean }
  | {
    readonly kind: "export";
    readonly db: string;
    readonly run: string;
    readonly format: ExportFormat;
  };

async function parse(args: readonly string[]): Promise<Command> {
  const { values, positionals } = await parseCommand(args, {
    db: { type: "string" },
    json: { type: "boolean" },
    format: { type: "string" },
    "per-query": { type: "string" },
    help: { type: "boolean", short: "h" },
  }, true);
  if (values["help"] === true) return { kind: "help" };
  const db = typeof values["db"] === "string" ? userPath(values["db"]) : DEFAULT_STORE_PATH;
  const format = values["format"];
  const perQuery = values["per-query"];
  if (positionals.length === 0) {
    if (format !== undefined || perQuery !== undefined) {
      throw new UsageError("--format and --per-query belong to `runs export RUN`");
    }
    return { kind: "list", db, json: values["json"] === true };
  }
  if (positionals[0] !== "export") {
    throw new UsageError(`unknown command "${positionals[0]}"; expected none or "export"`);
  }
  if (positionals.length !== 2) {
    throw new UsageError(
      `runs export takes one RUN (id or run key), found ${positionals.length - 1}`,
    );
  }
  if (values["json"] !== undefined) throw new UsageError("--json belongs to the run list");
  if ((format === undefined) === (perQuery === undefined)) {
    throw new UsageError(
      "runs export needs exactly one of --format csv|jsonl|latex, --per-query tsv",
    );
  }
  if (perQuery !== undefined) {
    if (perQuery !== "tsv") {
      throw new UsageError(`--per-query must be "tsv", found "${String(perQuery)}"`);
    }
    return { kind: "export", db, run: positionals[1]!, format: "per-query-tsv" };
  }
  if (format !== "csv" && format !== "jsonl" && format !== "latex") {
    throw new UsageError(`--format must be csv, jsonl or latex, found "${String(format)}"`);
  }
  return { kind: "export", db, run: positionals[1]!, format };
}

function table(runs: readonly RunSummary[]): string {
  const header = [
    "id",
    "kind",
    "experiment",
    "preset",
    "commit",
    "date",
    "status",
    "cells ok/failed",
  ];
  const rows = runs.map((r) => [
    String(r.id),
    r.kind,
    r.experiment,
    r.preset,
    r.commit === null ? "-" : r.commit.slice(0, 10) + (r.dirty ? "+dirty" : ""),
    r.startedAt.slice(0, 16).replace("T", " "),
    r.status,
    `${r.cellsOk}/${r.cellsFailed}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows]
    .map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd() + "\n")
    .join("");
}

/** Run the command with `args`; returns the exit status. */
export async function main(args: readonly string[], io: RunsIo = defaultIo): Promise<number> {
  let command: Command;
  try {
    command = await parse(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`runs: ${error.message}\n${USAGE.split("\n").slice(0, 3).join("\n")}\n`);
    return 2;
  }
  if (command.kind === "help") {
    await io.out(USAGE + "\n");
    return 0;
  }
  try {
    if (!(await pathExists(command.db))) {
      if (command.kind === "export") {
        throw new Error(`Cannot export run "${command.run}": no results store at "${command.db}"`);
      }
      io.err(`runs: no results store at "${command.db}" (nothing stored yet)\n`);
      if (command.json) await io.out("[]\n");
      return 0;
    }
    const store = await openStore(command.db);
    try {
      if (command.kind === "list") {
        const runs = await listRuns(store);
        await io.out(command.json ? JSON.stringify(runs, null, 1) + "\n" : table(runs));
        return 0;
      }
      for await (const chunk of exportRun(store, command.run, command.format)) await io.out(chunk);
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    // The reader of stdout went away (`runs export 1 --format csv | head`): not a failure.
    if (error instanceof Deno.errors.BrokenPipe) return 0;
    io.err(`runs: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
