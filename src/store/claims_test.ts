import assert from "node:assert/strict";
import { sampleRun, withTempStore } from "../testing/mod.ts";
import { readClaims, writeClaims } from "./claims.ts";
import { readRun } from "./read_run.ts";
import { beginRun } from "./runs.ts";

Deno.test("writeClaims: a run's verdicts stored with evidence and p-value; a rewrite replaces them", async () => {
  await withTempStore(async (store) => {
    const runId = await beginRun(store, sampleRun("k"));
    await writeClaims(store, runId, [
      {
        id: "c2",
        statement: "asymmetric beats symmetric",
        verdict: "holds",
        evidence: "+0.021 nDCG@10, p=0.01",
        pValue: 0.01,
      },
      // experiments' ClaimVerdict has no p-value: accepted as it is.
      { id: "c1", statement: "retains 95%", verdict: "not measured", evidence: "" },
    ]);
    assert.deepEqual(await readClaims(store, runId), [
      {
        id: "c1",
        statement: "retains 95%",
        verdict: "not measured",
        evidence: "",
        pValue: null,
      },
      {
        id: "c2",
        statement: "asymmetric beats symmetric",
        verdict: "holds",
        evidence: "+0.021 nDCG@10, p=0.01",
        pValue: 0.01,
      },
    ]);
    await writeClaims(store, runId, [{
      id: "c3",
      statement: "s",
      verdict: "fails",
      evidence: "e",
    }]);
    assert.deepEqual((await readRun(store, runId))?.claims.map((c) => c.id), ["c3"]);
    await assert.rejects(
      writeClaims(store, 999, [{ id: "x", statement: "s", verdict: "holds", evidence: "" }]),
      /FOREIGN KEY constraint failed/,
    );
  });
});
