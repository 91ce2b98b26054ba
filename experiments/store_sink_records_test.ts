import assert from "node:assert/strict";
import { NO_RESULT } from "./runner.ts";
import { join } from "node:path";
import { openStore } from "../src/store/mod.ts";
import { ResultsSink } from "./store_sink.ts";
import { SAMPLE_RUN_FILE, sampleRecord, sampleRunInfo } from "./store_sink_fixture.ts";
import { readStoredRecords } from "./store_sink_records.ts";

Deno.test("readStoredRecords: records written through the sink read back equal (ok, failed, teacher, fresh run's key)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-sink-records-" });
  try {
    const db = join(dir, "r.sqlite");
    const records = [
      sampleRecord("rec-key", "embeddistill", 1, 4, { chosen: { learningRate: 3e-4 } }),
      sampleRecord("rec-key", "labels", 2, 0, {
        ...NO_RESULT,
        status: "failed",
        error: "Error: boom",
      }),
      sampleRecord("rec-key", "teacher", 0, 3, {
        cell: { method: "teacher", size: "full", mode: "-" },
        runFile: "-.trec",
        curves: {},
      }),
    ];
    const sink = await ResultsSink.open(db, sampleRunInfo("rec-key"));
    for (const r of records) await sink.writeCell(r, SAMPLE_RUN_FILE);
    assert.deepEqual(await sink.records(), records);
    await sink.close();

    const fresh = await ResultsSink.open(db, sampleRunInfo("rec-key", { fresh: "f1" }));
    await fresh.writeCell(records[0]!);
    const back = await fresh.records();
    assert.deepEqual(back, [records[0]]);
    assert.equal(back[0]!.runKey, "rec-key");
    await fresh.close();

    const store = await openStore(db);
    try {
      assert.deepEqual(await readStoredRecords(store, "rec-key"), records);
      assert.equal((await readStoredRecords(store, "rec-key-f1"))[0]!.runKey, "rec-key-f1");
      await assert.rejects(
        readStoredRecords(store, "nope"),
        /Cannot read the records of run "nope" from ".*r\.sqlite": no such run/,
      );
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
