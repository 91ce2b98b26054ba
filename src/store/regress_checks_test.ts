import assert from "node:assert/strict";
import { sampleRun, withTempStore } from "../testing/mod.ts";
import { readRegressChecks, writeRegressChecks } from "./regress_checks.ts";
import { beginRun } from "./runs.ts";

const ok = {
  experiment: "table2",
  cell: "labels/1-10/asymmetric",
  measure: "RR@10",
  expected: 0.25,
  actual: 0.2512,
  tolerance: 0.005,
  verdict: "OK",
} as const;

Deno.test("writeRegressChecks: a regress run's checks read back with their run's commit; a rewrite replaces them", async () => {
  await withTempStore(async (store) => {
    const first = await beginRun(
      store,
      sampleRun("regress-1", { kind: "regress", startedAt: "2026-12-01T10:00:00.000Z" }),
    );
    const second = await beginRun(
      store,
      sampleRun("regress-2", { kind: "regress", commit: null, dirty: true }),
    );
    await writeRegressChecks(store, first, [ok]);
    await writeRegressChecks(store, first, [
      ok,
      { ...ok, measure: "nDCG@10", actual: null, verdict: "FAIL" },
    ]);
    await writeRegressChecks(store, second, [{ ...ok, actual: 0.3, verdict: "BETTER" }]);
    const all = await readRegressChecks(store);
    assert.deepEqual(all.map((c) => [c.runId, c.measure, c.actual, c.verdict]), [
      [first, "RR@10", 0.2512, "OK"],
      [first, "nDCG@10", null, "FAIL"],
      [second, "RR@10", 0.3, "BETTER"],
    ]);
    assert.equal(all[0]!.commit, sampleRun("x").commit);
    assert.equal(all[0]!.startedAt, "2026-12-01T10:00:00.000Z");
    assert.equal(all[2]!.commit, null);
    assert.equal(all[2]!.dirty, true);
    assert.deepEqual((await readRegressChecks(store, second)).map((c) => c.runId), [second]);
  });
});

Deno.test("readRegressChecks: rows of runs of another kind are not regress history", async () => {
  await withTempStore(async (store) => {
    const reproduce = await beginRun(store, sampleRun("reproduce-1"));
    await writeRegressChecks(store, reproduce, [ok]);
    assert.deepEqual(await readRegressChecks(store), []);
  });
});

Deno.test("regress_checks: the store refuses a verdict outside OK, BETTER, OK*, FAIL", async () => {
  await withTempStore(async (store) => {
    const id = await beginRun(store, sampleRun("regress-x", { kind: "regress" }));
    await assert.rejects(
      () =>
        writeRegressChecks(store, id, [{
          ...ok,
          verdict: "MAYBE" as unknown as "OK",
        }]),
      /CHECK constraint/,
    );
  });
});
