/**
 * The options of `deno task report <experiment>`: parsed with the shared command-line parser
 * (`--config FILE` included); anything unknown is a UsageError (exit status 2).
 *
 * @module
 */

import { parseCommand, UsageError, userPath } from "../src/cli/mod.ts";
import { EXPERIMENTS } from "./mod.ts";

/** What `report` prints on stdout (the files are written whatever it is). */
export type ReportFormat = "md" | "html" | "text";

/** Every format, as `--format` takes them. */
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "md", "html"];

/** The report of the store's regress runs (`deno task report regress`). */
export const REGRESS_REPORT = "regress";

/** Everything report was asked to do. */
export interface ReportOptions {
  readonly experiment: string;
  /** The results store (default: results/results.sqlite). */
  readonly db: string | undefined;
  /** Run id or key (default: the experiment's latest finished run). */
  readonly run: string | undefined;
  /** A second run (id or key) to compare with `run`. */
  readonly compare: string | undefined;
  /** Where the files go (default: results/reports/). */
  readonly out: string | undefined;
  /** Write a PNG of the HTML page here (needs Chromium). */
  readonly screenshot: string | undefined;
  readonly format: ReportFormat;
}

/** The usage text. */
export const REPORT_USAGE = `Usage: deno task report <${
  EXPERIMENTS.map((e) => e.id).join("|")
}> [options]
       deno task report regress [--db PATH] [--out DIR] [--format F]

Render a stored run of an experiment from the results store alone: <out>/<experiment>.md and
.html (self-contained, charts inline as SVG) and <experiment>.<chart>.svg; print it on stdout.
With --compare, the run-vs-run report <experiment>.run<A>-vs-run<B>.md/.html instead.
\`report regress\`: the stored regress runs, expected vs actual over commits (regress.md, .html and
regress.delta.svg: delta / tolerance per value over the last 8 runs).

Options:
  --db PATH           the results store (default: results/results.sqlite)
  --run ID            run id or key (default: the experiment's latest finished run)
  --compare ID        compare --run (the base) with this run: both runs and the differences
                      with significance on per-query values
  --against expected  not yet: the committed expected values come with the regressions issue
  --out DIR           where the files go (default: results/reports/)
  --screenshot PATH   open the HTML in headless Chromium (network off) and write a PNG of it
  --format F          what stdout gets: text (default), md or html
  --config FILE       options as a JSON object (flags override it)
  -h, --help          show this help

Exit status: 0 ok, 1 failure (no such run, unreadable store, page errors), 2 usage error.`;

/** Parse report's arguments; `"help"` for -h/--help. */
export async function parseReportArgs(args: readonly string[]): Promise<ReportOptions | "help"> {
  const { values, positionals } = await parseCommand(args, {
    db: { type: "string" },
    run: { type: "string" },
    compare: { type: "string" },
    against: { type: "string" },
    out: { type: "string" },
    screenshot: { type: "string" },
    format: { type: "string" },
    help: { type: "boolean", short: "h" },
  }, true);
  if (values["help"] === true) return "help";
  const ids = EXPERIMENTS.map((e) => e.id);
  if (positionals.length !== 1) {
    throw new UsageError(
      `Expected one experiment (${ids.join(", ")}), found ${positionals.length}`,
    );
  }
  const experiment = positionals[0]!;
  if (!ids.includes(experiment) && experiment !== REGRESS_REPORT) {
    throw new UsageError(
      `Unknown experiment "${experiment}": expected one of ${ids.join(", ")}, ${REGRESS_REPORT}`,
    );
  }
  if (experiment === REGRESS_REPORT) {
    for (const flag of ["run", "compare"]) {
      if (values[flag] !== undefined) {
        throw new UsageError(`--${flag} does not apply to report ${REGRESS_REPORT}`);
      }
    }
  }
  if (values["against"] !== undefined) {
    throw new UsageError(
      `--against ${String(values["against"])} is not available yet: comparing with the committed ` +
        "expected values comes with the regressions issue; use --compare ID for run vs run",
    );
  }
  const format = String(values["format"] ?? "text");
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(", ")}, found "${format}"`);
  }
  const path = (name: string) =>
    values[name] === undefined ? undefined : userPath(String(values[name]));
  const text = (name: string) => values[name] === undefined ? undefined : String(values[name]);
  return {
    experiment,
    db: path("db"),
    run: text("run"),
    compare: text("compare"),
    out: path("out"),
    screenshot: path("screenshot"),
    format: format as ReportFormat,
  };
}
