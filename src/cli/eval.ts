// deno-lint-ignore-file no-console
/**
 * CLI: evaluate a TREC run against qrels, printing trec_eval-style lines
 * (`measure<TAB>qid|all<TAB>value`, values as C's `%.4f`) or JSON with full precision.
 *
 * Usage: `deno task eval QRELS RUN -m nDCG@10 -m RR@10 [--per-query] [--json]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  compareIds,
  evaluate,
  formatFixed,
  type Measure,
  MEASURE_KINDS,
  type MeasureResult,
  parseMeasure,
  type QrelsFormat,
  readQrels,
  readRun,
  withOptions,
} from "../eval/mod.ts";
import { writeAll } from "../io/mod.ts";
import { parseArgsUsageError } from "./parse_args_error.ts";
import { UsageError } from "./usage_error.ts";

const USAGE = `Usage: deno task eval QRELS RUN -m MEASURE [-m MEASURE ...] [options]

Evaluate a TREC run (qid Q0 docid rank score tag; .gz accepted) against qrels (TREC 4 columns or
BEIR "query-id corpus-id score" with header, detected automatically), exactly as trec_eval -c.

Measures (canonical names, ir_measures style): ${MEASURE_KINDS.join(", ")}
  e.g. nDCG@10  RR@10  RR  R@1000  P@10  AP  AP@100  Judged@10  Success@20  R(rel=2)@1000

Options:
  -m, --measure M          measure to compute (repeatable, at least one)
  -q, --per-query          also print one line per query and measure
      --json               print JSON with full-precision values instead of text lines
  -l, --rel N              relevance threshold of binary measures (trec_eval -l; default 1)
      --missing zero|skip  qrels queries absent from the run count 0 (default, trec_eval -c)
                           or are left out of the mean (trec_eval without -c, BEIR)
      --drop-identical-ids drop retrieved documents whose id equals the query id (BEIR)
      --qrels-format F     auto (default), trec or beir
  -h, --help               show this help

Output: measure<TAB>qid|all<TAB>value, value formatted like C's printf("%.4f"); per-query lines
cover every query a measure averages over, in query-id (strcmp) order as trec_eval -q: under
--missing zero that includes qrels queries absent from the run, printed as 0 (trec_eval -c -q).
QRELS or RUN may be - or /dev/stdin (standard input, gzip too). A file starting with a UTF-8
byte-order mark is refused (trec_eval would read it as part of the first id).
Exit status: 0 ok, 1 evaluation failed (bad input files), 2 usage error.`;

interface Options {
  readonly qrelsPath: string;
  readonly runPath: string;
  readonly measures: readonly Measure[];
  readonly perQuery: boolean;
  readonly json: boolean;
  readonly qrelsFormat: QrelsFormat;
}

/** The options of the eval CLI (parseArgs table). */
const OPTIONS = {
  measure: { type: "string", short: "m", multiple: true },
  "per-query": { type: "boolean", short: "q" },
  json: { type: "boolean" },
  rel: { type: "string", short: "l" },
  missing: { type: "string" },
  "drop-identical-ids": { type: "boolean" },
  "qrels-format": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseOptions(args: string[]): Options | "help" {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw parseArgsUsageError(error, OPTIONS);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length !== 2) {
    throw new UsageError(`expected 2 arguments QRELS RUN, found ${positionals.length}`);
  }
  const names = values.measure ?? [];
  if (names.length === 0) throw new UsageError(`no measure given: add e.g. -m nDCG@10`);
  let rel: number | undefined;
  if (values.rel !== undefined) {
    if (!/^\d+$/.test(values.rel) || Number(values.rel) < 1) {
      throw new UsageError(`--rel must be a positive integer, found "${values.rel}"`);
    }
    rel = Number(values.rel);
  }
  const missing = values.missing;
  if (missing !== undefined && missing !== "zero" && missing !== "skip") {
    throw new UsageError(`--missing must be "zero" or "skip", found "${missing}"`);
  }
  const format = values["qrels-format"] ?? "auto";
  if (format !== "auto" && format !== "trec" && format !== "beir") {
    throw new UsageError(`--qrels-format must be auto, trec or beir, found "${format}"`);
  }
  const measures = names.map((name) => {
    let m: Measure;
    try {
      m = parseMeasure(name);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    return withOptions(m, {
      ...(rel === undefined ? {} : { rel }),
      ...(missing === undefined ? {} : { missing }),
      ...(values["drop-identical-ids"] ? { dropIdenticalIds: true } : {}),
    });
  });
  return {
    qrelsPath: positionals[0]!,
    runPath: positionals[1]!,
    measures,
    perQuery: values["per-query"] ?? false,
    json: values.json ?? false,
    qrelsFormat: format,
  };
}

function textOutput(results: readonly MeasureResult[], perQuery: boolean): string {
  const lines: string[] = [];
  if (perQuery) {
    // Every query a measure averages over: under missing=zero that includes the qrels queries
    // absent from the run (value 0), as trec_eval -c -q prints them.
    const ids = [...new Set(results.flatMap((r) => [...r.perQuery.keys()]))];
    ids.sort(compareIds);
    for (const id of ids) {
      for (const r of results) {
        const value = r.perQuery.get(id);
        if (value !== undefined) lines.push(`${r.name}\t${id}\t${formatFixed(value, 4)}`);
      }
    }
  }
  for (const r of results) lines.push(`${r.name}\tall\t${formatFixed(r.mean, 4)}`);
  return lines.join("\n") + "\n";
}

function jsonOutput(options: Options, results: readonly MeasureResult[]): string {
  return JSON.stringify(
    {
      qrels: options.qrelsPath,
      run: options.runPath,
      missingQueries: results[0]?.missing ?? [],
      measures: results.map((r) => ({
        name: r.name,
        mean: r.mean,
        queries: r.perQuery.size,
        ...(options.perQuery ? { perQuery: Object.fromEntries(r.perQuery) } : {}),
      })),
    },
  ) + "\n";
}

/** Errors caused by the input files (bad content, absent, unreadable): a message, no stack. */
function isUserError(error: unknown): error is Error {
  return error instanceof SyntaxError || error instanceof RangeError ||
    error instanceof TypeError ||
    Object.values(Deno.errors).some((ErrorClass) => error instanceof ErrorClass);
}

/** Run the CLI with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let options: Options | "help";
  try {
    options = parseOptions(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`eval: ${error.message} (see --help)`);
      return 2;
    }
    throw error;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  try {
    const [qrels, run] = await Promise.all([
      readQrels(options.qrelsPath, { format: options.qrelsFormat }),
      readRun(options.runPath),
    ]);
    const results = evaluate(qrels, run, options.measures);
    const missing = results[0]?.missing.length ?? 0;
    if (missing > 0) {
      const counted = results.every((r) => r.measure.missing === "zero")
        ? "counted as 0"
        : results.every((r) => r.measure.missing === "skip")
        ? "left out of the means"
        : "counted per measure";
      console.error(`eval: ${missing} qrels queries have no results in the run (${counted})`);
    }
    const output = options.json
      ? jsonOutput(options, results)
      : textOutput(results, options.perQuery);
    await writeAll(Deno.stdout, new TextEncoder().encode(output));
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      const message = error instanceof Deno.errors.NotFound
        ? `Cannot read input: ${error.message}`
        : error.message;
      console.error(`eval: ${message.split("\n")[0]}`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
