/**
 * `deno task bench:report`: speed over commits from the results store alone: the latest bench
 * run's table, every bench's ratio per stored run (commit), and a chart of ratio per bench over
 * the runs (log scale: the benches' ratios span 0.5 to 100), written as Markdown + SVG under
 * results/reports/ (or --out) and printed as Markdown.
 *
 * @module
 */

import { join } from "node:path";
import { parseCommand, UsageError, userPath } from "../../src/cli/mod.ts";
import { pathExists, writeFileAtomic } from "../../src/io/mod.ts";
import { type ChartSpec, DEFAULT_REPORTS_DIR, renderSvg } from "../../src/report/mod.ts";
import {
  benchHistory,
  type BenchHistoryRow,
  DEFAULT_STORE_PATH,
  openStore,
} from "../../src/store/mod.ts";

export const BENCH_REPORT_USAGE = `Usage: deno task bench:report [--db PATH] [--out DIR] [--peers]

Speed over commits: every stored bench run's ratios (median(bench) / median(reference), from
deno task bench:check) per bench, the latest run's table, and a chart of ratio per bench over the
runs: <out>/bench.md and <out>/bench.ratio.svg (default out: results/reports/). --peers plots the
ours/peer ratios instead.`;

/** What the report wrote. */
export interface BenchReport {
  readonly markdown: string;
  readonly files: readonly string[];
}

/** The label of a run on the x axis: `#id abcdef1` (+ when dirty). */
export function runLabel(row: BenchHistoryRow): string {
  return `#${row.runId} ${row.commit?.slice(0, 7) ?? "no-commit"}${row.dirty ? "+" : ""}`;
}

/** The chart of ratio per bench over the runs. */
export function benchChart(rows: readonly BenchHistoryRow[], peers: boolean): ChartSpec {
  const values = rows.map((r) => ({
    run: runLabel(r),
    bench: r.bench,
    ratio: r.ratio,
    order: r.runId,
  }));
  const title = peers
    ? "ours / peer per run"
    : "bench ratio per run (median bench / median reference)";
  return {
    kind: "chart",
    id: "ratio",
    title,
    caption:
      "One line per bench; a line that rises is a bench that got slower against its reference.",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title,
      width: 560,
      height: 320,
      config: { font: "sans-serif", background: "white", legend: { labelLimit: 0 } },
      data: { values },
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "run", type: "ordinal", sort: { field: "order" }, title: "run (commit)" },
        y: { field: "ratio", type: "quantitative", scale: { type: "log" }, title: "ratio" },
        color: { field: "bench", type: "nominal", title: "bench" },
      },
    },
  };
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** The Markdown of the history (benches or peers). */
export function benchMarkdown(rows: readonly BenchHistoryRow[], peers: boolean): string {
  if (rows.length === 0) {
    return "# Speed over commits\n\nNo bench runs stored yet (deno task bench:check).\n";
  }
  const runs = [...new Map(rows.map((r) => [r.runId, r])).values()];
  const latest = runs.at(-1)!;
  const latestRows = rows.filter((r) => r.runId === latest.runId);
  const benches = [...new Set(rows.map((r) => r.bench))].sort();
  const perRun = benches.map((b) => [
    b,
    ...runs.map((run) =>
      rows.find((r) => r.runId === run.runId && r.bench === b)?.ratio.toFixed(3) ?? ""
    ),
  ]);
  return [
    `# Speed over commits${peers ? " (peers: ours / peer)" : ""}`,
    "",
    `Latest run ${runLabel(latest)} (${latest.preset}, ${latest.startedAt}):`,
    "",
    markdownTable(
      [
        "bench",
        "ratio",
        "baseline",
        "spread",
        "verdict",
        "reference",
        "backend",
        "threads",
        "BLAS",
      ],
      latestRows.map((r) => [
        r.bench,
        r.ratio.toFixed(3),
        r.baselineRatio?.toFixed(3) ?? "-",
        r.spread.toFixed(2),
        r.verdict ?? "-",
        r.reference,
        r.backend,
        String(r.threads),
        r.blas ?? "none",
      ]),
    ),
    "",
    "Ratio per run:",
    "",
    markdownTable(["bench", ...runs.map(runLabel)], perRun),
    "",
    "![ratio per bench over runs](bench.ratio.svg)",
    "",
  ].join("\n");
}

/** Render the report of the store at `db` into `out`. */
export async function renderBenchReport(
  db: string,
  out: string,
  peers: boolean,
): Promise<BenchReport> {
  const store = await openStore(db);
  let rows: BenchHistoryRow[];
  try {
    rows = (await benchHistory(store)).filter((r) => r.bench.startsWith("peer/") === peers);
  } finally {
    await store.close();
  }
  const markdown = benchMarkdown(rows, peers);
  await Deno.mkdir(out, { recursive: true });
  const md = join(out, peers ? "bench-peers.md" : "bench.md");
  const svg = join(out, peers ? "bench-peers.ratio.svg" : "bench.ratio.svg");
  await writeFileAtomic(md, markdown.replace("bench.ratio.svg", svg.split("/").at(-1)!));
  const files = [md];
  if (rows.length > 0) {
    await writeFileAtomic(svg, await renderSvg(benchChart(rows, peers).spec, "bench"));
    files.push(svg);
  }
  return { markdown, files };
}

/** Parse `bench:report`'s arguments. */
export async function parseBenchReportArgs(
  args: readonly string[],
  defaultOut: string,
): Promise<{ db: string; out: string; peers: boolean } | "help"> {
  const { values, positionals } = await parseCommand(args, {
    db: { type: "string" },
    out: { type: "string" },
    peers: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, true);
  if (values["help"] === true) return "help";
  if (positionals.length > 0) {
    throw new UsageError(
      `bench:report takes no further arguments, found "${positionals.join(" ")}"`,
    );
  }
  return {
    db: typeof values["db"] === "string" ? userPath(values["db"]) : DEFAULT_STORE_PATH,
    out: typeof values["out"] === "string" ? userPath(values["out"]) : defaultOut,
    peers: values["peers"] === true,
  };
}

/** Where `bench:report` writes. */
export interface BenchReportIo {
  readonly out: (text: string) => Promise<void>;
  readonly err: (line: string) => void;
}

/** `bench:report ...`: exit status 0 ok, 1 failure, 2 usage error. */
export async function benchReportMain(
  args: readonly string[],
  defaultOut: string,
  io: BenchReportIo,
): Promise<number> {
  let options: Awaited<ReturnType<typeof parseBenchReportArgs>>;
  try {
    options = await parseBenchReportArgs(args, defaultOut);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`report: ${error.message}\n\n${BENCH_REPORT_USAGE}`);
    return 2;
  }
  if (options === "help") {
    await io.out(BENCH_REPORT_USAGE + "\n");
    return 0;
  }
  if (!(await pathExists(options.db))) {
    io.err(
      `bench:report: no results store at "${options.db}" (run \`deno task bench:check\` first)`,
    );
    return 1;
  }
  try {
    const report = await renderBenchReport(options.db, options.out, options.peers);
    await io.out(report.markdown);
    for (const f of report.files) io.err(`report: ${f}`);
    return 0;
  } catch (error) {
    io.err(`report: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) {
  const encoder = new TextEncoder();
  Deno.exit(
    await benchReportMain(Deno.args, DEFAULT_REPORTS_DIR, {
      out: async (text) => {
        await Deno.stdout.write(encoder.encode(text));
      },
      // deno-lint-ignore no-console
      err: (line) => console.error(line),
    }),
  );
}
