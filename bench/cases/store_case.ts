/**
 * SQLite cell writes: one reproduce-shaped cell (metrics, 1,000 queries' per-query values for 2
 * measures, latency, sizes, timings, curves) written by the store's writeCell into a temp store in
 * its own transaction, a new seed each sample (as a run's cells arrive). Bound by the file system's
 * syncs, which the CPU reference does not follow: threshold +100 %.
 *
 * @module
 */

import { join } from "node:path";
import { beginRun, openStore, writeCell } from "../../src/store/mod.ts";
import { sampleCell, sampleRun } from "../../src/testing/mod.ts";
import type { BenchCase, PreparedCase } from "./case.ts";

const QUERIES = 1000;

/** `store/write-cell`. */
export const STORE_CASE: BenchCase = {
  kind: "bench-case",
  name: "store/write-cell",
  reference: "scalar",
  threshold: 1,
  quick: true,
  async prepare(context): Promise<PreparedCase> {
    const store = await openStore(join(context.tempDir, "bench-cells.sqlite"));
    const runId = await beginRun(store, sampleRun("bench-store-case"));
    let seed = 0;
    return {
      kind: "prepared-case",
      backend: "sqlite",
      blas: null,
      workload: `1 cell, ${QUERIES} queries x 2 measures per-query, WAL`,
      async run() {
        await writeCell(store, runId, sampleCell("embeddistill", seed++, QUERIES));
      },
      async dispose() {
        await store.close();
      },
    };
  },
};
