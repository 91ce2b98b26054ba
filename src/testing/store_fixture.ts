/**
 * Results-store test fixtures: a run and a cell shaped like reproduce's (experiments' CellRecord),
 * and a writer run as a subprocess by the kill and concurrency tests: it writes `cells` cells of
 * `queries` queries each (x 2 measures) under run key `key`, printing `begin i` before and `done i`
 * after each cell's transaction. `queries` may be a comma list, one number per cell (the last
 * repeats): `10,10,100000` makes the third cell large.
 *
 * Run: deno run -A src/testing/store_fixture.ts <db> <key> <cells> <queries>
 *
 * @module
 */

import { join } from "node:path";
import {
  beginRun,
  type CellInput,
  openStore,
  type RunInput,
  type Store,
  writeCell,
} from "../store/mod.ts";

/**
 * Run `fn` on a new results store (`r.sqlite`) in a temporary folder it is also given; the store
 * is closed and the folder removed afterwards, whether `fn` succeeds or throws.
 */
export async function withTempStore<T>(fn: (store: Store, dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-store-" });
  try {
    const store = await openStore(join(dir, "r.sqlite"));
    try {
      return await fn(store, dir);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A run as reproduce would begin it. */
export function sampleRun(runKey: string, overrides: Partial<RunInput> = {}): RunInput {
  return {
    kind: "reproduce",
    experiment: "table2",
    preset: "tiny",
    runKey,
    commit: "0123456789abcdef0123456789abcdef01234567",
    dirty: false,
    config: { lr: [1e-4, 3e-4], steps: 20 },
    datasetChecksums: { "synthetic/tiny": "sha256:abc" },
    modelHashes: { teacher: "sha256:def" },
    backend: "wasm",
    threads: 2,
    blas: "openblas",
    machine: { cpu: "test", cores: 2 },
    seeds: [1, 2],
    paperValues: { "embeddistill/1-10/asymmetric": { "nDCG@10": 0.33 } },
    ...overrides,
  };
}

/** A finished cell (CellRecord-shaped) with `queries` per-query values for each of 2 measures. */
export function sampleCell(
  method: string,
  seed: number,
  queries: number,
  overrides: Partial<CellInput> = {},
): CellInput {
  const perQuery = (offset: number) =>
    Object.fromEntries(
      Array.from({ length: queries }, (_, q) => [`q${q}`, ((q * 7 + seed + offset) % 100) / 100]),
    );
  const ndcg = perQuery(0);
  const rr = perQuery(3);
  const mean = (v: Record<string, number>) =>
    queries === 0 ? 0 : Object.values(v).reduce((a, b) => a + b, 0) / queries;
  return {
    cell: { method, size: "1-10", mode: "asymmetric", seed },
    status: "ok",
    error: null,
    chosen: { lr: 3e-4 },
    metrics: { "nDCG@10": mean(ndcg), "RR@10": mean(rr) },
    perQuery: { "nDCG@10": ndcg, "RR@10": rr },
    latency: { p50: 1.5, p95: 2.5, tokenizeP50: 0.1, queries: 100, threads: 1 },
    sizes: {
      queryParameters: 1000,
      queryParametersWithoutEmbeddings: 400,
      ratio: 0.1,
      ratioWithoutEmbeddings: 0.05,
      modelBytes: 4000,
      indexBytesFp32: 8192,
      indexBytesFp16: 4096,
      peakRss: 1 << 20,
    },
    timings: { train: 1.25, encode: 0.5 },
    curves: { loss: [[0, 1.0], [10, 0.5]], "dev nDCG@10": [[10, 0.3]] },
    runFile: "run.trec",
    provenance: { seed, model: "sha256:123" },
    finishedAt: "2026-12-02T21:00:00.000Z",
    ...overrides,
  };
}

/** Lines of `child`'s stdout as they come (the kill and concurrency tests follow a writer). */
export async function* childLines(child: Deno.ChildProcess): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
}

/**
 * SIGKILL `child` once the write-ahead log of `db` has grown more than `bytes` past `walBefore`
 * (so a large transaction is known to be mid-write), or after 60 s. Returns the WAL size at the
 * kill; the child is reaped and its stderr released.
 */
export async function killWhenWalGrows(
  child: Deno.ChildProcess,
  db: string,
  walBefore: number,
  bytes = 1_000_000,
): Promise<{ readonly walAtKill: number; readonly status: Deno.CommandStatus }> {
  const deadline = Date.now() + 60_000;
  let walAtKill = walBefore;
  while (walAtKill <= walBefore + bytes && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    walAtKill = (await Deno.stat(`${db}-wal`)).size;
  }
  child.kill("SIGKILL");
  const status = await child.status;
  await child.stderr.cancel();
  return { walAtKill, status };
}

async function main(args: readonly string[]): Promise<void> {
  const [db, key, cells, queries] = args;
  if (db === undefined || key === undefined || cells === undefined || queries === undefined) {
    throw new TypeError("usage: store_fixture.ts DB KEY CELLS QUERIES");
  }
  const encoder = new TextEncoder();
  const say = (line: string) => Deno.stdout.writeSync(encoder.encode(line + "\n"));
  const perCell = queries.split(",").map(Number);
  const store = await openStore(db);
  try {
    const runId = await beginRun(store, sampleRun(key));
    for (let i = 0; i < Number(cells); i++) {
      const cell = sampleCell(`m${i}`, 1, perCell[Math.min(i, perCell.length - 1)]!);
      say(`begin ${i}`);
      await writeCell(store, runId, cell);
      say(`done ${i}`);
    }
  } finally {
    await store.close();
  }
}

if (import.meta.main) await main(Deno.args);
