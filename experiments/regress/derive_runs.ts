/**
 * The measured runs of `regress --derive DIR...`: each DIR a results folder of one `reproduce all
 * --preset P --fresh --threads T --results DIR` run; its store (DIR/results.sqlite) gives, per
 * experiment, the run's threads and its cells' means.
 *
 * @module
 */

import { join } from "node:path";
import { pathExists } from "../../src/io/mod.ts";
import { listRuns, openStore, readRun } from "../../src/store/mod.ts";
import type { PresetName } from "../definition.ts";
import { findExperiment } from "../mod.ts";
import { DeriveError, type Observation } from "./derive.ts";
import { cellMeans, experimentScope } from "./scope.ts";

/** Experiment id -> its run in the results folder `dir` (reproduce runs of `preset`). */
export async function observationsIn(
  dir: string,
  preset: PresetName,
): Promise<Map<string, Observation>> {
  const db = join(dir, "results.sqlite");
  if (!(await pathExists(db))) {
    throw new DeriveError(`Cannot derive from ${dir}: no results store ${db}`);
  }
  const store = await openStore(db);
  try {
    const out = new Map<string, Observation>();
    for (const run of await listRuns(store)) {
      if (run.kind !== "reproduce" || run.preset !== preset) continue;
      if (run.status !== "ok") {
        throw new DeriveError(
          `Cannot derive from ${dir}: run ${run.id} (${run.experiment}) is ${run.status}, not ok`,
        );
      }
      if (out.has(run.experiment)) {
        throw new DeriveError(
          `Cannot derive from ${dir}: it holds two ${preset} runs of ${run.experiment}; ` +
            `give one folder per measured run`,
        );
      }
      const stored = (await readRun(store, run.id))!;
      const scope = experimentScope(findExperiment(run.experiment), preset);
      // In the definition's cell order (the store lists them by id).
      const order = (c: { method: string; size: string; mode: string }) =>
        (scope.cells ?? []).indexOf(`${c.method}/${c.size}/${c.mode}`);
      const cells = [...stored.cells].sort((a, b) => order(a) - order(b)).map((c) => ({
        cell: { method: c.method, size: c.size, mode: c.mode },
        status: c.status,
        metrics: c.metrics,
      }));
      out.set(run.experiment, {
        threads: stored.run.threads,
        commit: stored.run.commit === null
          ? null
          : `${stored.run.commit}${stored.run.dirty ? "+" : ""}`,
        source: dir,
        values: cellMeans(cells, scope.measures ?? []),
      });
    }
    return out;
  } finally {
    await store.close();
  }
}
