// deno-lint-ignore-file no-console
/**
 * `deno task report <experiment>`: a stored run rendered from the results store alone (the
 * experiment's definition gives the rows' order and labels): Markdown, self-contained HTML and
 * SVG charts written under results/reports/, the chosen format on stdout, the files written and
 * the page check on stderr. `--compare ID` renders run vs run instead.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { UsageError } from "../src/cli/mod.ts";
import { pathExists, writeAll, writeFileAtomic } from "../src/io/mod.ts";
import {
  buildReport,
  checkReportPage,
  compareRuns,
  DEFAULT_REPORTS_DIR,
  findChromium,
  loadReport,
  regressChart,
  regressHistory,
  renderComparisonHtml,
  renderComparisonMarkdown,
  renderComparisonText,
  renderRegressHtml,
  renderRegressMarkdown,
  renderRegressText,
  renderSvg,
  type ReportLayout,
  resolveRunId,
  writeReport,
} from "../src/report/mod.ts";
import {
  DEFAULT_STORE_PATH,
  openStore,
  readRegressChecks,
  readRun,
  type Store,
} from "../src/store/mod.ts";
import type { ExperimentDefinition } from "./definition.ts";
import { findExperiment } from "./mod.ts";
import { reportLayout } from "./report_layout.ts";
import {
  parseReportArgs,
  REGRESS_REPORT,
  REPORT_USAGE,
  type ReportOptions,
} from "./report_options.ts";

/** Where the command writes. */
export interface ReportIo {
  /** Data (stdout). */
  readonly out: (text: string) => Promise<void>;
  /** Messages (stderr), one line each. */
  readonly err: (line: string) => void;
}

const encoder = new TextEncoder();

const defaultIo: ReportIo = {
  out: (text) => writeAll(Deno.stdout, encoder.encode(text)),
  err: (line) => console.error(line),
};

/** What one invocation wrote. */
export interface ReportFiles {
  readonly markdown: string;
  readonly html: string;
  readonly charts: readonly string[];
  /** What stdout got. */
  readonly printed: string;
}

/** The three renderings of one page: what `--format` picks for stdout. */
interface Renderings {
  readonly markdown: string;
  readonly html: string;
  readonly text: () => string;
}

/** Write `<base>.md` and `<base>.html` atomically; the files and what `format` prints. */
async function writePages(
  base: string,
  pages: Renderings,
  format: ReportOptions["format"],
  charts: readonly string[],
): Promise<ReportFiles> {
  await writeFileAtomic(`${base}.md`, encoder.encode(pages.markdown));
  await writeFileAtomic(`${base}.html`, encoder.encode(pages.html));
  const printed = format === "md" ? pages.markdown : format === "html" ? pages.html : pages.text();
  return { markdown: `${base}.md`, html: `${base}.html`, charts, printed };
}

/**
 * The layout of a stored run of `experiment`: a zero-shot table's measures are the ones its run
 * was keyed with (the mean, then one per corpus; `--beir` may have added corpora).
 */
async function runLayout(
  store: Store,
  experiment: ExperimentDefinition,
  runId: number,
): Promise<ReportLayout> {
  if (experiment.zeroShot === undefined) return reportLayout(experiment);
  const config = (await readRun(store, runId))?.run.config as { measures?: unknown } | undefined;
  const measures = config?.measures;
  return Array.isArray(measures) && measures.every((m) => typeof m === "string")
    ? reportLayout({ ...experiment, measures })
    : reportLayout(experiment);
}

/** `report regress`: the store's regress runs, expected vs actual over commits. */
async function renderRegressReport(options: ReportOptions, db: string): Promise<ReportFiles> {
  const store = await openStore(db);
  let checks;
  try {
    checks = await readRegressChecks(store);
  } finally {
    await store.close();
  }
  if (checks.length === 0) {
    throw new Error(
      `Cannot report ${REGRESS_REPORT}: no regress run in "${db}" (run \`deno task regress\` first)`,
    );
  }
  const history = regressHistory(checks);
  const chart = regressChart(history);
  const svg = await renderSvg(chart.spec, `${REGRESS_REPORT}-${chart.id}`);
  const outDir = options.out ?? DEFAULT_REPORTS_DIR;
  await Deno.mkdir(outDir, { recursive: true });
  const base = join(outDir, REGRESS_REPORT);
  const chartFile = `${base}.${chart.id}.svg`;
  await writeFileAtomic(chartFile, encoder.encode(svg));
  return await writePages(
    base,
    {
      markdown: renderRegressMarkdown(history, `${REGRESS_REPORT}.${chart.id}.svg`),
      html: renderRegressHtml(history, svg),
      text: () => renderRegressText(history),
    },
    options.format,
    [chartFile],
  );
}

/** Render the report `options` ask for into files; returns them and what to print. */
export async function renderReport(options: ReportOptions): Promise<ReportFiles> {
  const db = options.db ?? DEFAULT_STORE_PATH;
  if (!(await pathExists(db))) {
    throw new Error(
      `Cannot report ${options.experiment}: no results store at "${db}" ` +
        `(run \`deno task reproduce ${options.experiment}\` first, or pass --db PATH)`,
    );
  }
  if (options.experiment === REGRESS_REPORT) return await renderRegressReport(options, db);
  const experiment = findExperiment(options.experiment);
  const outDir = options.out ?? DEFAULT_REPORTS_DIR;
  const store = await openStore(db);
  try {
    const runId = await resolveRunId(store, experiment.id, options.run);
    const layout = await runLayout(store, experiment, runId);
    const data = await loadReport(store, runId, layout);
    if (options.compare === undefined) {
      const report = await buildReport(data);
      const written = await writeReport(report, outDir);
      const printed = options.format === "md"
        ? report.markdown
        : options.format === "html"
        ? report.html
        : report.text;
      return { ...written, printed };
    }
    const otherId = await resolveRunId(store, layout.id, options.compare);
    const other = await loadReport(store, otherId, layout);
    const comparison = compareRuns(data, other);
    const base = join(outDir, `${layout.id}.run${runId}-vs-run${otherId}`);
    await Deno.mkdir(outDir, { recursive: true });
    return await writePages(
      base,
      {
        markdown: renderComparisonMarkdown(comparison),
        html: renderComparisonHtml(comparison),
        text: () => renderComparisonText(comparison),
      },
      options.format,
      [],
    );
  } finally {
    await store.close();
  }
}

/** The command: exit status 0 ok, 1 failure, 2 usage error. */
export async function main(args: readonly string[], io: ReportIo = defaultIo): Promise<number> {
  let options: ReportOptions | "help";
  try {
    options = await parseReportArgs(args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`report: ${error.message}\n\n${REPORT_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options === "help") {
    await io.out(REPORT_USAGE + "\n");
    return 0;
  }
  try {
    let chromium: string | null = null;
    if (options.screenshot !== undefined) {
      chromium = findChromium();
      if (chromium === null) {
        throw new Error(
          "Cannot take a screenshot: no Chromium found (install Debian's chromium with " +
            "`deno task setup`, or set EMBEDDISTILL_CHROMIUM to its path)",
        );
      }
    }
    const files = await renderReport(options);
    await io.out(files.printed);
    io.err(`report: ${files.markdown}`);
    io.err(`report: ${files.html}`);
    for (const c of files.charts) io.err(`report: ${c}`);
    if (options.screenshot !== undefined && chromium !== null) {
      await Deno.mkdir(dirname(options.screenshot), { recursive: true });
      const check = await checkReportPage(files.html, {
        chromium,
        screenshot: options.screenshot,
      });
      io.err(
        `report: screenshot ${options.screenshot} (${check.pageWidth}x${check.pageHeight} px page, ` +
          `${check.tableRows.length} table rows, ${check.charts.length} charts)`,
      );
      const problems = [
        ...check.errors,
        ...check.externalRequests.map((u) => `external request: ${u}`),
        ...check.charts.filter((c) => c.width <= 0 || c.height <= 0 || c.marks < 1).map((c) =>
          `chart ${c.id} is empty (${c.width}x${c.height}, ${c.marks} marks)`
        ),
      ];
      if (problems.length > 0) {
        for (const p of problems) io.err(`report: page problem: ${p}`);
        return 1;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) return 0;
    io.err(`report: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
