// deno-lint-ignore-file no-console
/**
 * `deno task bench:check`: the registry's cases timed against their references, compared with
 * bench/baseline.json (re-running a bench that looks slower once), the table on stdout, the run
 * and its rows in the results store (run kind "bench"), the baseline rewritten with `--update`,
 * and the peers with `--peers`.
 *
 * @module
 */

import { UsageError } from "../../src/cli/mod.ts";
import { formatMachine, loadBlas } from "../../src/engine/mod.ts";
import { writeAll } from "../../src/io/mod.ts";
import {
  beginRun,
  type BenchResultInput,
  finishRun,
  openStore,
  writeBenchResults,
} from "../../src/store/mod.ts";
import { describeHost } from "../../src/engine/mod.ts";
import { codeVersion } from "../../src/io/mod.ts";
import { BENCH_CASES, selectCases } from "../cases/mod.ts";
import { formatBaseline, machineNote, readBaseline } from "./baseline.ts";
import { type BenchOutcome, checkBenches, failed, updateBaseline } from "./check.ts";
import {
  BENCH_CHECK_USAGE,
  type BenchCheckCommand,
  parseBenchCheckArgs,
  QUICK_THRESHOLD,
} from "./options.ts";
import { runPeers } from "./peers.ts";
import { caseRunner } from "./runner.ts";
import { formatOutcomes } from "./table.ts";

const encoder = new TextEncoder();
const out = (text: string) => writeAll(Deno.stdout, encoder.encode(text));
const err = (line: string) => console.error(line);

function runKey(): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, "");
  return `bench-${stamp}-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
}

async function check(command: Extract<BenchCheckCommand, { kind: "check" }>): Promise<number> {
  const cases = selectCases(command.only, command.quick);
  const baseline = await readBaseline(command.baseline);
  const thresholdOf = (name: string) => {
    // The baseline file's threshold (reviewed, committed) wins over the case's default.
    const own = baseline.benches[name]?.threshold ??
      BENCH_CASES.find((c) => c.name === name)!.threshold;
    if (command.threshold !== undefined) return command.threshold;
    return command.quick ? Math.max(own, QUICK_THRESHOLD) : own;
  };
  const blas = loadBlas(Deno.env.get("EMBEDDISTILL_BLAS"));
  const machine = formatMachine();
  err(
    `bench:check: ${cases.length} benches, ${command.repeats} repeats, ${command.threads} thread(s), ` +
      `BLAS ${blas.kind === "found" ? blas.blas.config : `none (${blas.reason})`}; ${machine}; ` +
      `load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  const elsewhere = machineNote(baseline, cases.map((c) => c.name), machine);
  if (elsewhere !== null) err(`bench:check: note: ${elsewhere}`);
  const code = await codeVersion();
  const store = await openStore(command.db);
  const tempDir = await Deno.makeTempDir({ prefix: "bench-check-" });
  const runner = caseRunner({
    threads: command.threads,
    repeats: command.repeats,
    warmup: 2,
    tempDir,
    log: err,
  });
  let runId: number | undefined;
  try {
    runId = await beginRun(store, {
      kind: "bench",
      experiment: "bench",
      preset: command.quick ? "quick" : "full",
      runKey: runKey(),
      commit: code?.commit ?? null,
      dirty: code?.dirty ?? false,
      config: {
        benches: cases.map((c) => c.name),
        repeats: command.repeats,
        threshold: command.threshold ?? null,
        quick: command.quick,
        loadAverage: Deno.loadavg(),
      },
      datasetChecksums: {},
      modelHashes: {},
      backend: "mixed",
      threads: command.threads,
      blas: blas.kind === "found" ? blas.blas.config : null,
      machine: describeHost(),
      seeds: [],
      paperValues: null,
    });
    const outcomes = await checkBenches({
      benches: cases.map((c) => c.name),
      baseline,
      thresholdOf,
      measure: (name) => runner.measure(name),
      log: err,
    });
    const rows = outcomes.map(toRow);
    let peerText = "";
    if (command.peers) {
      await runner.dispose();
      const peers = await runPeers({ trecEval: command.trecEval, tempDir, log: err });
      rows.push(...peers.rows);
      peerText = peers.text;
    }
    await writeBenchResults(store, runId, rows);
    if (command.json) {
      const peers = rows.filter((r) => r.bench.startsWith("peer/"));
      await out(JSON.stringify({ outcomes, peers }, null, 1) + "\n");
    } else {
      await out(formatOutcomes(outcomes) + "\n" + (peerText === "" ? "" : `\n${peerText}\n`));
    }
    await finishRun(store, runId, "ok");
    err(`bench:check: stored as run ${runId} in ${store.path}`);
    if (command.update) {
      const date = new Date().toISOString().slice(0, 10);
      const note =
        `ratios over ${command.repeats} interleaved repeats at ${command.threads} thread(s) on ` +
        `${machine}, shared with other jobs (load average ${Deno.loadavg()[0]!.toFixed(1)})`;
      const { file, moved } = updateBaseline(baseline, outcomes, machine, date, note);
      await Deno.writeTextFile(command.baseline, formatBaseline(file));
      err(
        `bench:check: wrote ${command.baseline}; ${
          moved.length === 0 ? "nothing moved" : "moved:"
        }`,
      );
      for (const line of moved) err(`  ${line}`);
      return 0;
    }
    if (failed(outcomes)) {
      const slower = outcomes.filter((o) => o.judgement.verdict === "slower").map((o) => o.bench);
      err(
        `bench:check: FAILED: ${slower.join(", ")} slower than the baseline, confirmed by a re-run`,
      );
      return 1;
    }
    return 0;
  } catch (error) {
    if (runId !== undefined) await finishRun(store, runId, "failed");
    throw error;
  } finally {
    await runner.dispose();
    await store.close();
    await Deno.remove(tempDir, { recursive: true });
  }
}

function toRow(o: BenchOutcome): BenchResultInput {
  const m = o.measurement;
  return {
    bench: o.bench,
    reference: m.reference,
    medianMs: m.medianMs,
    referenceMedianMs: m.referenceMedianMs,
    ratio: m.ratio,
    spread: m.spread,
    repeats: m.repeats,
    backend: m.backend,
    threads: m.threads,
    blas: m.blas,
    baselineRatio: o.baseline?.ratio ?? null,
    threshold: o.threshold,
    verdict: o.judgement.verdict,
  };
}

/** Run the command with `args`; returns the exit status. */
export async function main(args: readonly string[]): Promise<number> {
  let command: BenchCheckCommand;
  try {
    command = await parseBenchCheckArgs(args);
    if (command.kind === "check") selectCases(command.only, command.quick);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof RangeError)) throw error;
    err(`bench:check: ${error.message}\n${BENCH_CHECK_USAGE.split("\n").slice(0, 3).join("\n")}`);
    return 2;
  }
  if (command.kind === "help") {
    await out(BENCH_CHECK_USAGE + "\n");
    return 0;
  }
  if (command.kind === "list") {
    await out(
      BENCH_CASES.map((c) =>
        `${c.name.padEnd(24)} reference ${c.reference.padEnd(6)} threshold ${c.threshold}${
          c.quick ? " (quick)" : ""
        }`
      ).join("\n") + "\n",
    );
    return 0;
  }
  try {
    return await check(command);
  } catch (error) {
    err(`bench:check: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
