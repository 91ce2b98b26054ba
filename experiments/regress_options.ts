/**
 * The options of `deno task regress`: which checks (experiments of the registry and
 * `bm25-scifact`; default all), the preset, where results and the store are, `--update --why`,
 * and `--derive DIR...` (expected files from measured runs). Anything unknown is a UsageError
 * (exit status 2).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseCommand, UsageError, userPath } from "../src/cli/mod.ts";
import { PRESET_NAMES, type PresetName } from "./definition.ts";
import { EXPERIMENTS } from "./mod.ts";
import { BM25_SCIFACT } from "./regress/mod.ts";

/** The repository's results/expected/ folder. */
export const EXPECTED_ROOT: string = fileURLToPath(
  new URL("../results/expected/", import.meta.url),
);

/** Every check regress knows, in run order. */
export const REGRESS_CHECKS: readonly string[] = [...EXPERIMENTS.map((e) => e.id), BM25_SCIFACT];

/** Everything regress was asked to do. */
export interface RegressOptions {
  /** Checks in run order. */
  readonly checks: readonly string[];
  readonly preset: PresetName;
  /** Where results/ lives (default: the repository's). */
  readonly results: string | undefined;
  /** The results store (default `<results>/results.sqlite`). */
  readonly db: string | undefined;
  /** The expected files' folder (default: the repository's results/expected/). */
  readonly expected: string;
  readonly threads: number | undefined;
  readonly json: boolean;
  /** `--update --why TEXT`: the reason (null: no update). */
  readonly update: string | null;
  /** `--derive DIR...`: results folders of measured runs (empty: a check). */
  readonly derive: readonly string[];
}

/** The usage text. */
export const REGRESS_USAGE = `Usage: deno task regress [check...] [options]
       deno task regress --derive DIR... [--preset tiny] [--expected DIR]

Rerun the checks (default: all) through reproduce's runner, reusing the finished cells of a stored
run with the same run key, and compare every expected value of results/expected/ with its actual
value. One line per value: OK (|delta| <= tol), BETTER (above by more than tol), OK* (below,
within 1.5 x tol), FAIL (below by more, or missing). Checks: ${REGRESS_CHECKS.join(", ")}.
bm25-scifact needs the shared data folder (skipped with a message without it; an error with
CI=true). Every invocation is stored as a run of kind "regress".

Options:
  --preset tiny|mini|full  the experiments' preset (default tiny)
  --results DIR            where results/ is (default: the repository's)
  --db PATH                the results store (default: <results>/results.sqlite)
  --expected DIR           the expected files (default: the repository's results/expected/)
  --threads N              threads for OpenBLAS and ONNX Runtime (training cells)
  --json                   print the checks as JSON
  --update --why TEXT      rewrite the expected values from the actual ones (tolerances, spreads
                           and paper numbers kept) and append to CHANGELOG.md; exits 0
  --derive DIR...          write the experiments' expected files from measured runs: each DIR a
                           results folder of \`reproduce all --preset P --fresh --threads T\`
  --config FILE            options as a JSON object (flags override it)
  -h, --help               show this help

Exit status: 0 no FAIL, 1 a FAIL, 2 usage error (unknown check, missing expected file).`;

function positiveInteger(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`--${flag} must be an integer >= 1, found "${text}"`);
  }
  return Number(text);
}

/** Parse regress's arguments; `"help"` for -h/--help. */
export async function parseRegressArgs(args: readonly string[]): Promise<RegressOptions | "help"> {
  const { values, positionals } = await parseCommand(args, {
    preset: { type: "string" },
    results: { type: "string" },
    db: { type: "string" },
    expected: { type: "string" },
    threads: { type: "string" },
    json: { type: "boolean" },
    update: { type: "boolean" },
    why: { type: "string" },
    derive: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, true);
  if (values["help"] === true) return "help";
  const preset = String(values["preset"] ?? "tiny");
  if (!(PRESET_NAMES as readonly string[]).includes(preset)) {
    throw new UsageError(`Unknown preset "${preset}": expected one of ${PRESET_NAMES.join(", ")}`);
  }
  const derive = values["derive"] === true;
  const update = values["update"] === true;
  const why = values["why"] === undefined ? undefined : String(values["why"]).trim();
  if (update && (why === undefined || why === "")) {
    throw new UsageError(`--update needs --why TEXT: the CHANGELOG says why the values moved`);
  }
  if (!update && why !== undefined) throw new UsageError(`--why is only used with --update`);
  if (derive && update) throw new UsageError(`--derive and --update cannot be combined`);
  if (derive && positionals.length === 0) {
    throw new UsageError(`--derive needs the results folders of the measured runs`);
  }
  const checks = derive ? [] : positionals.length === 0 ? REGRESS_CHECKS : positionals;
  for (const c of checks) {
    if (!REGRESS_CHECKS.includes(c)) {
      throw new UsageError(`Unknown check "${c}": expected one of ${REGRESS_CHECKS.join(", ")}`);
    }
  }
  const path = (key: string) =>
    values[key] === undefined ? undefined : userPath(String(values[key]));
  return {
    checks: REGRESS_CHECKS.filter((c) => checks.includes(c)),
    preset: preset as PresetName,
    results: path("results"),
    db: path("db"),
    expected: path("expected") ?? EXPECTED_ROOT,
    threads: positiveInteger(values["threads"], "threads"),
    json: values["json"] === true,
    update: update ? why! : null,
    derive: derive ? positionals.map((p) => userPath(p)) : [],
  };
}
