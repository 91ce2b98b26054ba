/**
 * `deno task bench:check`'s command line: what to run, how many repeats, which threshold, where
 * the baseline and the store are, and whether to update the baseline or run the peers.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { parseCommand, UsageError, userPath } from "../../src/cli/mod.ts";
import { DEFAULT_STORE_PATH } from "../../src/store/mod.ts";

/** The committed baseline. */
export const BASELINE_PATH: string = fileURLToPath(new URL("../baseline.json", import.meta.url));

/** `--quick`'s threshold floor: CI's machine and load are not the baseline's. */
export const QUICK_THRESHOLD = 1;
/** `--quick`'s repeats (the full check's default is 9). */
export const QUICK_REPEATS = 7;

export const BENCH_CHECK_USAGE =
  `Usage: deno task bench:check [--quick] [--only NAME...] [--threshold X] [--repeats N]
                             [--threads N] [--update] [--db PATH] [--baseline PATH] [--json]
                             [--peers [--trec-eval PATH]]

Time every hot path (bench/cases) interleaved with its fixed reference (OpenBLAS sgemm or a scalar
loop), compare median(bench) / median(reference) with bench/baseline.json, and print
bench | ratio | baseline | change | spread | verdict (faster / same / slower / incomparable / new).
A bench slower than its threshold is re-run once; the check fails only when the re-run confirms it.
Every invocation is stored as a run of kind "bench" in the results store.

Options:
      --quick            CI's subset: ${QUICK_REPEATS} repeats, threshold at least ${QUICK_THRESHOLD} (+${
    100 * QUICK_THRESHOLD
  } % of the ratio)
      --only NAME        only these benches (repeatable, or comma-separated); see --list
      --list             list the benches and exit
      --threshold X      the relative slowdown tolerated by every bench (default: each bench's
                         threshold in the baseline file, else its case's)
      --repeats N        timed rounds of bench + reference (default 9; heavy benches cap it)
      --threads N        engine / BLAS / ONNX Runtime threads (default 1)
      --update           rewrite the baseline with this run's ratios and say what moved (exit 0)
      --db PATH          the results store (default: results/results.sqlite)
      --baseline PATH    the baseline file (default: bench/baseline.json)
      --json             print the outcomes as JSON instead of the table
      --peers            also time the PyTorch peer (training step at 1 and 2 threads, encoding)
                         and trec_eval, interleaved with ours at equal threads; skipped with a
                         message when not installed (deno task setup-peers)
      --trec-eval PATH   the trec_eval binary for the evaluation peer (or EMBEDDISTILL_TREC_EVAL)
  -h, --help             show this help

Exit status: 0 ok, 1 a slowdown confirmed by the re-run (or a failure), 2 usage error.`;

/** The parsed command. */
export type BenchCheckCommand =
  | { readonly kind: "help" }
  | { readonly kind: "list" }
  | {
    readonly kind: "check";
    readonly quick: boolean;
    readonly only: readonly string[];
    readonly threshold: number | undefined;
    readonly repeats: number;
    readonly threads: number;
    readonly update: boolean;
    readonly db: string;
    readonly baseline: string;
    readonly json: boolean;
    readonly peers: boolean;
    readonly trecEval: string | undefined;
  };

function positive(name: string, value: unknown, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n)))) {
    throw new UsageError(
      `--${name} must be a positive ${integer ? "integer" : "number"}, found "${String(value)}"`,
    );
  }
  return n;
}

/** Parse the arguments; UsageError on a bad one. */
export async function parseBenchCheckArgs(args: readonly string[]): Promise<BenchCheckCommand> {
  const { values } = await parseCommand(args, {
    quick: { type: "boolean" },
    only: { type: "string", multiple: true },
    list: { type: "boolean" },
    threshold: { type: "string" },
    repeats: { type: "string" },
    threads: { type: "string" },
    update: { type: "boolean" },
    db: { type: "string" },
    baseline: { type: "string" },
    json: { type: "boolean" },
    peers: { type: "boolean" },
    "trec-eval": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values["help"] === true) return { kind: "help" };
  if (values["list"] === true) return { kind: "list" };
  const quick = values["quick"] === true;
  const only = ((values["only"] ?? []) as string[]).flatMap((v) => v.split(",")).filter((v) => v);
  const trecEval = values["trec-eval"] ?? Deno.env.get("EMBEDDISTILL_TREC_EVAL");
  return {
    kind: "check",
    quick,
    only,
    threshold: positive("threshold", values["threshold"], false),
    repeats: positive("repeats", values["repeats"], true) ?? (quick ? QUICK_REPEATS : 9),
    threads: positive("threads", values["threads"], true) ?? 1,
    update: values["update"] === true,
    db: typeof values["db"] === "string" ? userPath(values["db"]) : DEFAULT_STORE_PATH,
    baseline: typeof values["baseline"] === "string" ? userPath(values["baseline"]) : BASELINE_PATH,
    json: values["json"] === true,
    peers: values["peers"] === true,
    trecEval: typeof trecEval === "string" ? userPath(trecEval) : undefined,
  };
}
