/**
 * Test fixtures of the results sink: a cell record as reproduce writes it, the run info of a
 * sample run, and a writer run as a subprocess by the kill and concurrency tests: it opens a sink
 * for run key `key` and writes `cells` records of `queries` queries each (x 2 measures), printing
 * `begin i` before and `done i` after each cell's transaction. `queries` may be a comma list, one
 * number per cell (the last repeats).
 *
 * Run: deno run -A experiments/store_sink_fixture.ts <db> <key> <cells> <queries>
 *
 * @module
 */

import { openStore, type Store } from "../src/store/mod.ts";
import { sampleCell } from "../src/testing/mod.ts";
import type { CellRecord } from "./cell_records.ts";
import { ResultsSink, type RunInfo } from "./store_sink.ts";

/** The run file text of the sample records. */
export const SAMPLE_RUN_FILE = "q0 Q0 d1 1 0.9 sample\nq1 Q0 d2 1 0.8 sample\n";

/** A finished cell record of `method/1-10/asymmetric/seed` under run `runKey`. */
export function sampleRecord(
  runKey: string,
  method: string,
  seed: number,
  queries: number,
  overrides: Partial<CellRecord> = {},
): CellRecord {
  const { cell: _cell, artefacts: _a, throughput: _t, ...input } = sampleCell(
    method,
    seed,
    queries,
  );
  return {
    ...input,
    kind: "cell",
    version: 1,
    experiment: "table2",
    preset: "tiny",
    runKey,
    cell: { method, size: "1-10", mode: "asymmetric", seed },
    status: "ok",
    error: null,
    runFile: `${seed}.trec`,
    provenance: { seed, model: `sha256:${method}` },
    finishedAt: "2026-12-02T21:00:00.000Z",
    ...overrides,
  };
}

/** The run info of a sample table2/tiny run (fixed code version and machine). */
export function sampleRunInfo(runKey: string, overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    experiment: "table2",
    preset: "tiny",
    runKey,
    config: { steps: 20, lr: [1e-4, 3e-4] },
    seeds: [1, 2],
    backend: "wasm",
    threads: 2,
    blas: "openblas",
    datasetChecksums: { "synthetic/tiny": "sha256:abc" },
    modelHashes: { teacher: "sha256:def" },
    code: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: true },
    machine: { cpuModel: "test", cores: 2 },
    ...overrides,
  };
}

async function main(args: readonly string[]): Promise<void> {
  const [db, key, cells, queries] = args;
  if (db === undefined || key === undefined || cells === undefined || queries === undefined) {
    throw new TypeError("usage: store_sink_fixture.ts DB KEY CELLS QUERIES");
  }
  const encoder = new TextEncoder();
  const say = (line: string) => Deno.stdout.writeSync(encoder.encode(line + "\n"));
  const perCell = queries.split(",").map(Number);
  const sink = await ResultsSink.open(db, sampleRunInfo(key));
  try {
    const done = await sink.finished();
    for (let i = 0; i < Number(cells); i++) {
      const record = sampleRecord(key, `m${i}`, 1, perCell[Math.min(i, perCell.length - 1)]!);
      if (done.has(`m${i}/1-10/asymmetric/1`)) continue;
      say(`begin ${i}`);
      await sink.writeCell(record, SAMPLE_RUN_FILE);
      say(`done ${i}`);
    }
    await sink.finish("ok");
  } finally {
    await sink.close();
  }
}

if (import.meta.main) await main(Deno.args);

/** Run `fn` in a fresh temporary folder (named by `prefix`), removed afterwards. */
export async function withDir(prefix: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Run `fn` on the store at `path`, closed afterwards. */
export async function withStore<T>(path: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(path);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
