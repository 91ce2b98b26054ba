/**
 * `deno task regress [check...]`: rerun each check (an experiment through reproduce's runner,
 * reusing the finished cells of a stored run with the same run key; BM25 on SciFact recomputed),
 * compare every value of its results/expected/ file, print one verdict line per value and a
 * summary, and store the invocation as a run of kind "regress" with its checks. `--update --why`
 * rewrites the files from the actual values and appends to CHANGELOG.md; `--derive DIR...` writes
 * the experiments' files from measured runs. Values and the summary on stdout, progress on stderr.
 *
 * @module
 */

// deno-lint-ignore-file no-console
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../src/cli/mod.ts";
import { describeHost, engineState } from "../src/engine/mod.ts";
import { codeVersion, pathExists, writeAll, writeFileAtomic } from "../src/io/mod.ts";
import { beginRun, finishRun, openStore, writeRegressChecks } from "../src/store/mod.ts";
import { parseCellId } from "./cell_id.ts";
import { EXPERIMENTS, findExperiment } from "./mod.ts";
import { paperValue } from "./paper.ts";
import {
  atPrinted,
  BM25_SCIFACT,
  BM25_SCIFACT_SCOPE,
  bm25SciFactValues,
  cellMeans,
  type CellValues,
  CHANGELOG_HEADER,
  changelogEntry,
  type Check,
  checkLine,
  checkValues,
  countVerdicts,
  deriveValues,
  type ExpectedFile,
  ExpectedFileError,
  expectedFileName,
  type ExpectedScope,
  experimentScope,
  isDeterministicCell,
  type Move,
  type Observation,
  observationsIn,
  parseExpectedFile,
  renderExpectedFile,
  scifactFolder,
  summaryLine,
  TOLERANCE_RULE,
  updatedFile,
} from "./regress/mod.ts";
import { parseRegressArgs, REGRESS_USAGE, type RegressOptions } from "./regress_options.ts";
import {
  libraryFactory,
  type PipelineFactory,
  reproduceExperiment,
  RESULTS_ROOT,
} from "./reproduce.ts";
import type { ReproduceOptions } from "./reproduce_options.ts";

/** Where the command writes. */
export interface RegressIo {
  /** Data (stdout). */
  readonly out: (text: string) => Promise<void>;
  /** Messages and progress (stderr), one line each. */
  readonly err: (line: string) => void;
}

const encoder = new TextEncoder();

const defaultIo: RegressIo = {
  out: (text) => writeAll(Deno.stdout, encoder.encode(text)),
  // Synchronous: the last message before Deno.exit must not be lost.
  err: (line) => console.error(line),
};

/** The repository's deno.json (its fmt settings format the files --update writes). */
const DENO_JSON = fileURLToPath(new URL("../deno.json", import.meta.url));

/** `deno fmt` the written files as the repository formats them (so `deno fmt --check` passes). */
async function formatFiles(paths: readonly string[], io: RegressIo): Promise<void> {
  if (paths.length === 0) return; // `deno fmt` without paths would format the whole repository
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", "--config", DENO_JSON, ...paths],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    io.err(
      `regress: deno fmt of ${paths.join(", ")} failed: ${
        new TextDecoder().decode(out.stderr).trim()
      }`,
    );
  }
}

/** A check's expected file: where it is, what it may name. */
function fileOf(check: string, options: RegressOptions): { path: string; scope: ExpectedScope } {
  const scope = check === BM25_SCIFACT
    ? BM25_SCIFACT_SCOPE
    : experimentScope(findExperiment(check), options.preset);
  return { path: join(options.expected, expectedFileName(check, scope.preset)), scope };
}

/** Load every asked check's expected file; a missing or invalid one is a UsageError naming it. */
async function loadExpected(options: RegressOptions): Promise<Map<string, ExpectedFile>> {
  const files = new Map<string, ExpectedFile>();
  for (const check of options.checks) {
    const { path, scope } = fileOf(check, options);
    if (!(await pathExists(path))) {
      throw new UsageError(
        `No expected file for ${check} (preset ${options.preset}): ${path} does not exist ` +
          `(write it with \`deno task regress --derive DIR...\`, or pass --expected DIR)`,
      );
    }
    try {
      files.set(check, parseExpectedFile(await Deno.readTextFile(path), path, scope));
    } catch (error) {
      if (error instanceof ExpectedFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  return files;
}

function reproduceOptionsOf(check: string, options: RegressOptions): ReproduceOptions {
  return {
    experiments: [check],
    preset: options.preset,
    seeds: undefined,
    only: [],
    fresh: false,
    backend: undefined,
    threads: options.threads,
    dryRun: false,
    json: false,
    results: options.results,
    db: options.db,
    teacher: undefined,
    beir: [],
  };
}

/** A check's actual values, or why it was skipped (null values: it could not run; all FAIL). */
async function actualValues(
  check: string,
  options: RegressOptions,
  makePipeline: PipelineFactory,
  io: RegressIo,
): Promise<{ kind: "values"; values: CellValues } | { kind: "skipped"; reason: string }> {
  if (check === BM25_SCIFACT) {
    const folder = scifactFolder(); // throws with CI=true when the shared folder is absent
    if (folder.kind === "absent") return { kind: "skipped", reason: folder.reason };
    io.err(`${check}: BM25 on SciFact test (${folder.dir})`);
    return { kind: "values", values: await bm25SciFactValues(folder.dir) };
  }
  const experiment = findExperiment(check);
  io.err(`${check}: reproduce ${check} --preset ${options.preset} (finished cells reused)`);
  try {
    const result = await reproduceExperiment(
      experiment,
      reproduceOptionsOf(check, options),
      makePipeline,
      io.err,
    );
    const records = result.outcomes.flatMap((o) =>
      o.kind === "ok" || o.kind === "reused" ? [o.record] : []
    );
    const reused = result.outcomes.filter((o) => o.kind === "reused").length;
    io.err(`${check}: ${result.outcomes.length} cells (${reused} reused) in ${result.runDir}`);
    return {
      kind: "values",
      values: cellMeans(records, experimentScope(experiment, options.preset).measures ?? []),
    };
  } catch (error) {
    io.err(`${check}: the run failed: ${error instanceof Error ? error.message : String(error)}`);
    return { kind: "values", values: new Map() };
  }
}

/** Store the invocation: a run of kind "regress" (a key of its own) with its checks. */
async function storeChecks(
  options: RegressOptions,
  checks: readonly Check[],
  failed: boolean,
): Promise<{ db: string; runId: number }> {
  const db = options.db ?? join(options.results ?? RESULTS_ROOT, "results.sqlite");
  const version = await codeVersion();
  const engine = engineState();
  const started = new Date().toISOString();
  const store = await openStore(db);
  try {
    const runId = await beginRun(store, {
      kind: "regress",
      experiment: options.checks.join("+"),
      preset: options.preset,
      runKey: `regress-${started.replaceAll(/[:.]/g, "")}-${crypto.randomUUID().slice(0, 8)}`,
      commit: version?.commit ?? null,
      dirty: version?.dirty ?? false,
      config: { checks: options.checks, preset: options.preset, expected: options.expected },
      datasetChecksums: {},
      modelHashes: {},
      backend: engine?.backend ?? "none",
      threads: engine?.threads ?? 0,
      blas: engine?.blas.found ? engine.blas.path : null,
      machine: describeHost(),
      seeds: [],
      paperValues: [],
      startedAt: started,
    });
    await writeRegressChecks(store, runId, checks);
    await finishRun(store, runId, failed ? "failed" : "ok");
    return { db, runId };
  } finally {
    await store.close();
  }
}

/** Rewrite the files from the checks and append the CHANGELOG entry. */
async function update(
  options: RegressOptions,
  files: ReadonlyMap<string, ExpectedFile>,
  checks: readonly Check[],
  io: RegressIo,
): Promise<void> {
  const moves: Move[] = [];
  const written: string[] = [];
  const paths: string[] = [];
  for (const [check, file] of files) {
    const next = updatedFile(file, checks.filter((c) => c.experiment === check));
    const { path } = fileOf(check, options);
    await writeFileAtomic(path, encoder.encode(renderExpectedFile(next.file)));
    written.push(expectedFileName(check, file.preset));
    paths.push(path);
    moves.push(...next.moves);
    io.err(`updated ${path}: ${next.moves.length} values moved`);
  }
  const changelog = join(options.expected, "CHANGELOG.md");
  const before = (await pathExists(changelog))
    ? await Deno.readTextFile(changelog)
    : CHANGELOG_HEADER;
  const version = await codeVersion();
  const entry = changelogEntry({
    date: new Date().toISOString(),
    commit: version?.commit ?? null,
    dirty: version?.dirty ?? false,
    why: options.update!,
    files: written,
    moves,
  });
  await writeFileAtomic(changelog, encoder.encode(`${before.trimEnd()}\n\n${entry}`));
  await formatFiles([...paths, changelog], io);
  io.err(`appended to ${changelog}`);
}

/** `--derive DIR...`: the experiments' expected files from measured runs (and BM25 on SciFact). */
async function derive(options: RegressOptions, io: RegressIo): Promise<number> {
  const byExperiment = new Map<string, Observation[]>();
  for (const dir of options.derive) {
    for (const [experiment, observation] of await observationsIn(dir, options.preset)) {
      byExperiment.set(experiment, [...(byExperiment.get(experiment) ?? []), observation]);
    }
  }
  const version = await codeVersion();
  const date = new Date().toISOString();
  const command = `deno task regress --derive --preset ${options.preset} ${
    options.derive.join(" ")
  }`;
  await Deno.mkdir(options.expected, { recursive: true });
  const written: string[] = [];
  for (const experiment of EXPERIMENTS) {
    const observations = byExperiment.get(experiment.id);
    if (observations === undefined) {
      io.err(`${experiment.id}: no measured run in the folders; its file is left as it is`);
      continue;
    }
    const values = deriveValues(observations, {
      experiment: experiment.id,
      deterministic: isDeterministicCell,
      paper: (cell, measure) => paperValue(experiment.id, parseCellId(cell), measure),
    });
    const file: ExpectedFile = {
      kind: "regress-expected",
      version: 1,
      experiment: experiment.id,
      preset: options.preset,
      toleranceRule: TOLERANCE_RULE,
      measurement: {
        command,
        commit: version?.commit ?? null,
        date,
        runs: observations.map((o) => ({
          threads: o.threads,
          commit: o.commit,
          source: o.source,
        })),
      },
      values,
    };
    const path = join(options.expected, expectedFileName(experiment.id, options.preset));
    await writeFileAtomic(path, encoder.encode(renderExpectedFile(file)));
    written.push(path);
    await io.out(`${path}: ${values.length} values from ${observations.length} runs\n`);
  }
  const folder = scifactFolder();
  if (folder.kind === "absent") {
    io.err(`${BM25_SCIFACT}: skipped (${folder.reason})`);
    await formatFiles(written, io);
    return 0;
  }
  const measured = (await bm25SciFactValues(folder.dir)).get(BM25_SCIFACT_SCOPE.cells![0]!)!;
  const file: ExpectedFile = {
    kind: "regress-expected",
    version: 1,
    experiment: BM25_SCIFACT,
    preset: null,
    toleranceRule: TOLERANCE_RULE,
    measurement: { command, commit: version?.commit ?? null, date, runs: [] },
    values: Object.entries(measured).map(([measure, v]) => ({
      cell: BM25_SCIFACT_SCOPE.cells![0]!,
      measure,
      expected: atPrinted(v),
      tolerance: 0,
      spread: null,
    })),
  };
  const path = join(options.expected, expectedFileName(BM25_SCIFACT, null));
  await writeFileAtomic(path, encoder.encode(renderExpectedFile(file)));
  written.push(path);
  await io.out(`${path}: ${file.values.length} values (deterministic, computed now)\n`);
  await formatFiles(written, io);
  return 0;
}

/** The command: exit status 0 no FAIL, 1 a FAIL (or an error), 2 usage error. */
export async function main(
  args: readonly string[],
  makePipeline: PipelineFactory = libraryFactory,
  io: RegressIo = defaultIo,
): Promise<number> {
  let options: RegressOptions | "help";
  let files: Map<string, ExpectedFile>;
  try {
    options = await parseRegressArgs(args);
    if (options === "help") {
      await io.out(REGRESS_USAGE + "\n");
      return 0;
    }
    if (options.derive.length > 0) return await derive(options, io);
    files = await loadExpected(options);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`regress: ${error.message}\n\n${REGRESS_USAGE}`);
      return 2;
    }
    io.err(`regress: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const checks: Check[] = [];
  const skipped: { check: string; reason: string }[] = [];
  for (const check of options.checks) {
    let actual;
    try {
      actual = await actualValues(check, options, makePipeline, io);
    } catch (error) {
      io.err(`regress: ${check}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    if (actual.kind === "skipped") {
      io.err(`${check}: skipped: ${actual.reason}`);
      skipped.push({ check, reason: actual.reason });
      continue;
    }
    const found = checkValues(files.get(check)!, actual.values);
    checks.push(...found);
    if (!options.json) await io.out(found.map((c) => checkLine(c) + "\n").join(""));
  }
  const failed = checks.some((c) => c.verdict === "FAIL");
  const store = await storeChecks(options, checks, failed);
  const summary = summaryLine(checks) +
    (skipped.length === 0 ? "" : `; skipped: ${skipped.map((s) => s.check).join(", ")}`);
  if (options.json) {
    const counts = countVerdicts(checks);
    await io.out(JSON.stringify({ checks, counts, skipped, store }, null, 2) + "\n");
  } else {
    await io.out(summary + "\n");
  }
  io.err(`store: ${store.db} (run ${store.runId}, kind regress)`);
  if (options.update !== null) {
    const checked = new Map([...files].filter(([c]) => !skipped.some((s) => s.check === c)));
    await update(options, checked, checks, io);
    return 0;
  }
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
