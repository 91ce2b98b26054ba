/**
 * The options of `deno task reproduce <table|all>`: parsed with the shared command-line parser
 * (`--config FILE` included) and checked against the registry, the presets and the cells; anything
 * unknown is a UsageError that lists the valid values (exit status 2).
 *
 * @module
 */

import { parseCommand, UsageError, userPath } from "../src/cli/mod.ts";
import { type BackendName, parseBackendName } from "../src/engine/mod.ts";
import { PRESET_NAMES, type PresetName } from "./definition.ts";
import { EXPERIMENTS } from "./mod.ts";

/** Everything reproduce was asked to do. */
export interface ReproduceOptions {
  /** Experiment ids in run order (`all`: every one). */
  readonly experiments: readonly string[];
  readonly preset: PresetName;
  /** Seeds per cell (default: the definition's). */
  readonly seeds: number | undefined;
  /** `--only` cell ids (with or without the seed). */
  readonly only: readonly string[];
  /** Start a new run instead of resuming the one with the same key. */
  readonly fresh: boolean;
  readonly backend: BackendName | undefined;
  readonly threads: number | undefined;
  readonly dryRun: boolean;
  readonly json: boolean;
  /** Where results/ lives (default: the repository's results/). */
  readonly results: string | undefined;
  /** The results store (default `<results>/results.sqlite`). */
  readonly db: string | undefined;
  /** A teacher model directory to distil instead of training one (what `full` needs). */
  readonly teacher: string | undefined;
  /** Cached real BEIR sets (datasets.lock ids) a zero-shot table (table4) adds to its corpora. */
  readonly beir: readonly string[];
}

/** The usage text. */
export const REPRODUCE_USAGE = `Usage: deno task reproduce <${
  EXPERIMENTS.map((e) => e.id).join("|")
}|all> [options]

Run an experiment of the paper on the shared library, record every finished cell, print the table
and the paper's claims' verdicts. Rerunning the same command resumes (finished cells are kept).

Options:
  --preset tiny|mini|full  data and model sizes (default mini: embedded data, no download)
  --seeds N                seeds per cell (default: the experiment's)
  --only CELL              run only this cell (method/size/mode[/seed]; repeatable)
  --fresh                  start a new run instead of resuming
  --dry-run                list the cells, what would run and what is missing
  --backend B              wasm (default), cpu or tensorflow
  --threads N              threads for OpenBLAS and ONNX Runtime
  --teacher DIR            distil this teacher (a model directory) instead of training one;
                           the full preset needs it
  --beir ID                table4: also evaluate on this cached BEIR set of datasets.lock
                           (repeatable; e.g. --beir beir/scifact)
  --results DIR            where results/ is (default: the repository's)
  --db PATH                the results store (default: results/results.sqlite)
  --json                   print the summary as JSON
  --config FILE            options as a JSON object (flags override it)
  -h, --help               show this help

Exit status: 0 every cell ok, 1 a cell failed, 2 usage error.`;

function positiveInteger(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`--${flag} must be an integer >= 1, found "${text}"`);
  }
  return Number(text);
}

/** Parse reproduce's arguments; `"help"` for -h/--help. */
export async function parseReproduceArgs(
  args: readonly string[],
): Promise<ReproduceOptions | "help"> {
  const { values, positionals } = await parseCommand(args, {
    preset: { type: "string" },
    seeds: { type: "string" },
    only: { type: "string", multiple: true },
    fresh: { type: "boolean" },
    "dry-run": { type: "boolean" },
    backend: { type: "string" },
    threads: { type: "string" },
    results: { type: "string" },
    teacher: { type: "string" },
    db: { type: "string" },
    beir: { type: "string", multiple: true },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, true);
  if (values["help"] === true) return "help";
  const ids = EXPERIMENTS.map((e) => e.id);
  if (positionals.length !== 1) {
    throw new UsageError(
      `Expected one experiment (${ids.join(", ")}, all), found ${positionals.length}`,
    );
  }
  const name = positionals[0]!;
  if (name !== "all" && !ids.includes(name)) {
    throw new UsageError(`Unknown experiment "${name}": expected one of ${ids.join(", ")}, all`);
  }
  const preset = String(values["preset"] ?? "mini");
  if (!(PRESET_NAMES as readonly string[]).includes(preset)) {
    throw new UsageError(`Unknown preset "${preset}": expected one of ${PRESET_NAMES.join(", ")}`);
  }
  let backend: BackendName | undefined;
  if (values["backend"] !== undefined) {
    try {
      backend = parseBackendName(String(values["backend"]));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  const beir = (values["beir"] as string[] | undefined) ?? [];
  const zeroShot = EXPERIMENTS.filter((e) => e.zeroShot !== undefined).map((e) => e.id);
  if (beir.length > 0 && name !== "all" && !zeroShot.includes(name)) {
    throw new UsageError(
      `--beir applies to the zero-shot table (${zeroShot.join(", ")}, or all), not to ${name}`,
    );
  }
  return {
    experiments: name === "all" ? ids : [name],
    preset: preset as PresetName,
    seeds: positiveInteger(values["seeds"], "seeds"),
    only: (values["only"] as string[] | undefined) ?? [],
    fresh: values["fresh"] === true,
    backend,
    threads: positiveInteger(values["threads"], "threads"),
    dryRun: values["dry-run"] === true,
    json: values["json"] === true,
    results: values["results"] === undefined ? undefined : userPath(String(values["results"])),
    teacher: values["teacher"] === undefined ? undefined : userPath(String(values["teacher"])),
    db: values["db"] === undefined ? undefined : userPath(String(values["db"])),
    beir,
  };
}
