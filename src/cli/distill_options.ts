/**
 * The options of the distill CLI: parsed from arguments (and `--config FILE`) by the shared parser and validated
 * (numbers, student kind, initialisation, loss recipe) into plain data; a bad argument is a
 * {@link UsageError} (exit status 2).
 *
 * @module
 */

import {
  type LossRecipe,
  type LossTerm,
  parseRecipe,
  resolveRecipe,
  type StudentInit,
} from "../distill/mod.ts";
import { type BackendName, parseBackendName } from "../engine/mod.ts";

import type { OutputMode } from "./output_dir.ts";
import { parseCommand, userPath } from "./command_args.ts";
import { UsageError } from "./usage_error.ts";
export { UsageError };

/** Student size overrides of the teacher's encoder (random or checkpoint init). */
export interface StudentShape {
  readonly layers?: number;
  readonly hidden?: number;
  readonly heads?: number;
  readonly intermediate?: number;
}

/** Where `--query-gen` takes its generator from. */
export type QueryGenSource =
  | { readonly kind: "salient" }
  | { readonly kind: "seq2seq"; readonly dir: string };

/** Everything the distill CLI was asked to do. */
export interface DistillCliOptions {
  readonly teacher: string;
  readonly data: string;
  readonly split: string;
  /** Dev split name; `"auto"`: `dev` when `qrels/dev.tsv` exists; null: none. */
  readonly devSplit: string | null;
  readonly student: "asymmetric" | "symmetric";
  readonly towers: "shared" | "separate";
  readonly shape: StudentShape;
  /** Initialisation; a `random` init's seed is the run's seed. */
  readonly init: StudentInit;
  /** The loss as given: a recipe, or a JSON file to read. */
  readonly loss: { readonly kind: "terms"; readonly spec: string } | {
    readonly kind: "file";
    readonly path: string;
  } | null;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number | undefined;
  readonly warmup: number | undefined;
  readonly evalEvery: number | undefined;
  readonly hardNegatives: number;
  /** `--query-gen`: the salient-term generator, a seq2seq ONNX folder, or none. */
  readonly queryGen: QueryGenSource | null;
  /** `--per-doc`: generated queries per unlabelled document (default 1). */
  readonly perDoc: number;
  /** `--qg-weight`: weight of the generated batches' embedding matching (default 1). */
  readonly qgWeight: number;
  readonly out: string;
  /** What to do when `out` already holds files: refuse, resume the run, or overwrite it. */
  readonly outMode: OutputMode;
  readonly onnx: boolean;
  readonly backend: BackendName | undefined;
  readonly threads: number | undefined;
  readonly seed: number;
  readonly home: string | undefined;
  readonly json: boolean;
  /** Print the engine's whole description (and other detail) on stderr. */
  readonly verbose: boolean;
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${flag} must be an integer >= ${min}, found "${value}"`);
  }
  return n;
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${flag} must be a positive number, found "${value}"`);
  }
  return n;
}

/** Parse `--init`: `random`, `teacher-layers:0,3` or `checkpoint:PATH`. */
export function parseInit(value: string, seed: number): StudentInit {
  if (value === "random") return { kind: "random", seed };
  const colon = value.indexOf(":");
  const kind = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? "" : value.slice(colon + 1);
  if (kind === "teacher-layers" && /^[0-9]+(,[0-9]+)*$/.test(rest)) {
    return { kind: "teacher-layers", layers: rest.split(",").map(Number), seed };
  }
  if (kind === "checkpoint" && rest !== "") return { kind: "checkpoint", path: rest };
  throw new UsageError(
    `--init must be "random", "teacher-layers:I,J,..." or "checkpoint:PATH", found "${value}"`,
  );
}

/**
 * Parse a `--loss` term list such as `score-kd,embed-match` or `one-hot=0.5,score-kd`: kinds
 * `one-hot`, `score-kd`, `margin-mse`, `embed-query`, `embed-document` and `embed-match` (the
 * query side, and the document side too for a symmetric student), each with an optional weight.
 */
export function parseLossTerms(spec: string, student: "asymmetric" | "symmetric"): LossRecipe {
  const terms: LossTerm[] = [];
  for (const item of spec.split(",").map((s) => s.trim())) {
    const [name = "", weightText, extra] = item.split("=");
    if (extra !== undefined) throw new UsageError(`--loss term "${item}" has two "="`);
    const weight = weightText === undefined ? undefined : Number(weightText);
    if (weight !== undefined && (weightText!.trim() === "" || !Number.isFinite(weight))) {
      throw new UsageError(`--loss term "${item}": the weight must be a number`);
    }
    const w = weight === undefined ? {} : { weight };
    switch (name) {
      case "one-hot":
      case "score-kd":
      case "margin-mse":
        terms.push({ kind: name, ...w });
        break;
      case "embed-query":
        terms.push({ kind: "embed-match", side: "query", ...w });
        break;
      case "embed-document":
        terms.push({ kind: "embed-match", side: "document", ...w });
        break;
      case "embed-match":
        terms.push({ kind: "embed-match", side: "query", ...w });
        if (student === "symmetric") terms.push({ kind: "embed-match", side: "document", ...w });
        break;
      default:
        throw new UsageError(
          `--loss term "${name}" is not one of one-hot, score-kd, margin-mse, embed-match, embed-query, embed-document`,
        );
    }
  }
  return { terms };
}

/** Read the loss recipe the options name (a term list, a JSON file, or null: the default). */
export async function lossRecipe(options: DistillCliOptions): Promise<LossRecipe | undefined> {
  const loss = options.loss;
  if (loss === null) return undefined;
  try {
    if (loss.kind === "terms") {
      const recipe = parseLossTerms(loss.spec, options.student);
      resolveRecipe(recipe);
      return recipe;
    }
    return parseRecipe(await Deno.readTextFile(loss.path));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`--loss file "${loss.kind === "file" ? loss.path : ""}" does not exist`);
    }
    throw new UsageError(`--loss: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The options of the distill CLI (also the keys of its `--config` file). */
const DISTILL_OPTIONS = {
  teacher: { type: "string" },
  data: { type: "string" },
  split: { type: "string" },
  "dev-split": { type: "string" },
  student: { type: "string" },
  towers: { type: "string" },
  layers: { type: "string" },
  hidden: { type: "string" },
  heads: { type: "string" },
  intermediate: { type: "string" },
  init: { type: "string" },
  loss: { type: "string" },
  steps: { type: "string" },
  batch: { type: "string" },
  lr: { type: "string" },
  warmup: { type: "string" },
  "eval-every": { type: "string" },
  "hard-negatives": { type: "string" },
  "query-gen": { type: "string" },
  "per-doc": { type: "string" },
  "qg-weight": { type: "string" },
  out: { type: "string" },
  resume: { type: "boolean" },
  overwrite: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  "no-onnx": { type: "boolean" },
  backend: { type: "string" },
  threads: { type: "string" },
  seed: { type: "string" },
  home: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type StringFlags = {
  [K in keyof typeof DISTILL_OPTIONS]: (typeof DISTILL_OPTIONS)[K]["type"] extends "string" ? K
    : never;
}[keyof typeof DISTILL_OPTIONS];

/** Parsed flag values: strings and booleans as parseArgs gives them. */
type Flags =
  & { readonly [K in StringFlags]?: string }
  & { readonly [K in Exclude<keyof typeof DISTILL_OPTIONS, StringFlags>]?: boolean };

/**
 * Parse and validate the CLI's arguments (`--config FILE` supplies options as a JSON object,
 * flags override it; paths are relative to where the user ran the task); `"help"` for `-h` /
 * `--help`.
 */
export async function parseDistillArgs(
  args: readonly string[],
): Promise<DistillCliOptions | "help"> {
  const parsed = await parseCommand(args, DISTILL_OPTIONS);
  const v = parsed.values as Flags;
  if (v.help === true) return "help";
  for (const flag of ["teacher", "data", "out"] as const) {
    if (v[flag] === undefined || v[flag] === "") throw new UsageError(`missing --${flag} DIR`);
  }
  const student = v.student ?? "asymmetric";
  if (student !== "asymmetric" && student !== "symmetric") {
    throw new UsageError(`--student must be "asymmetric" or "symmetric", found "${student}"`);
  }
  const towers = v.towers ?? "shared";
  if (towers !== "shared" && towers !== "separate") {
    throw new UsageError(`--towers must be "shared" or "separate", found "${towers}"`);
  }
  if (v.towers !== undefined && student !== "symmetric") {
    throw new UsageError("--towers applies to --student symmetric only");
  }
  const seed = integer(v.seed, "seed", 0) ?? 42;
  const init = parseInit(v.init ?? "random", seed);
  const shape: StudentShape = {
    ...(v.layers === undefined ? {} : { layers: integer(v.layers, "layers", 1)! }),
    ...(v.hidden === undefined ? {} : { hidden: integer(v.hidden, "hidden", 1)! }),
    ...(v.heads === undefined ? {} : { heads: integer(v.heads, "heads", 1)! }),
    ...(v.intermediate === undefined
      ? {}
      : { intermediate: integer(v.intermediate, "intermediate", 1)! }),
  };
  if (init.kind === "teacher-layers" && Object.keys(shape).length > 0) {
    throw new UsageError(
      "--layers/--hidden/--heads/--intermediate cannot be used with --init teacher-layers (the student takes the teacher's shape)",
    );
  }
  let backend: BackendName | undefined;
  if (v.backend !== undefined) {
    try {
      backend = parseBackendName(v.backend, "--backend");
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  if (v.resume === true && v.overwrite === true) {
    throw new UsageError("--resume and --overwrite cannot be used together");
  }
  const queryGen = v["query-gen"];
  if (queryGen === "") throw new UsageError(`--query-gen must be "salient" or a folder, found ""`);
  if (queryGen === undefined) {
    for (const flag of ["per-doc", "qg-weight"] as const) {
      if (v[flag] !== undefined) throw new UsageError(`--${flag} applies with --query-gen only`);
    }
  }
  const devSplit = v["dev-split"] ?? "auto";
  const loss = v.loss === undefined
    ? null
    : v.loss.endsWith(".json")
    ? { kind: "file" as const, path: userPath(v.loss) }
    : { kind: "terms" as const, spec: v.loss };
  return {
    teacher: userPath(v.teacher!),
    data: v.data!,
    split: v.split ?? "train",
    devSplit: devSplit === "none" ? null : devSplit,
    student,
    towers,
    shape,
    init,
    loss,
    steps: integer(v.steps, "steps", 1) ?? 1000,
    batch: integer(v.batch, "batch", 2) ?? 32,
    lr: positive(v.lr, "lr"),
    warmup: integer(v.warmup, "warmup", 0),
    evalEvery: integer(v["eval-every"], "eval-every", 1),
    hardNegatives: integer(v["hard-negatives"], "hard-negatives", 0) ?? 0,
    queryGen: queryGen === undefined
      ? null
      : queryGen === "salient"
      ? { kind: "salient" }
      : { kind: "seq2seq", dir: userPath(queryGen) },
    perDoc: integer(v["per-doc"], "per-doc", 1) ?? 1,
    qgWeight: positive(v["qg-weight"], "qg-weight") ?? 1,
    out: userPath(v.out!),
    outMode: v.resume === true ? "resume" : v.overwrite === true ? "overwrite" : "new",
    onnx: v["no-onnx"] !== true,
    backend,
    threads: integer(v.threads, "threads", 1),
    seed,
    home: v.home === undefined ? undefined : userPath(v.home),
    json: v.json === true,
    verbose: v.verbose === true,
  };
}
