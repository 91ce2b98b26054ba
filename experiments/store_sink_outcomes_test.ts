import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore, readRun } from "../src/store/mod.ts";
import type { CellOutcome } from "./runner.ts";
import { ResultsSink } from "./store_sink.ts";
import { sampleRecord, sampleRunInfo } from "./store_sink_fixture.ts";
import { outcomeWriter } from "./store_sink_outcomes.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-sink-outcomes-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function outcome(kind: "ok" | "failed" | "reused", method: string): CellOutcome {
  const record = sampleRecord(
    "o-key",
    method,
    1,
    2,
    kind === "failed" ? { status: "failed", error: "Error: boom" } : {},
  );
  return { kind, cell: record.cell, record };
}

Deno.test("outcomeWriter: ok, failed and reused-but-unstored records are written in order; skipped and stored ones are not", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "r.sqlite");
    const sink = await ResultsSink.open(db, sampleRunInfo("o-key"));
    await sink.writeCell(
      sampleRecord("o-key", "stored", 1, 2, { finishedAt: "2026-01-01T00:00:00.000Z" }),
    );
    const writer = outcomeWriter(sink, await sink.finished());
    writer.onOutcome(outcome("ok", "a"));
    writer.onOutcome(outcome("failed", "b"));
    writer.onOutcome(outcome("reused", "c"));
    writer.onOutcome(outcome("reused", "stored"));
    writer.onOutcome({
      kind: "skipped",
      cell: { method: "d", size: "1-10", mode: "asymmetric", seed: 1 },
      reason: "the teacher failed",
    });
    assert.equal(await writer.flush(), 3);
    await sink.close();
    const store = await openStore(db);
    const stored = await readRun(store, "o-key");
    await store.close();
    assert.deepEqual(stored?.cells.map((c) => [c.cellId, c.status, c.finishedAt]), [
      ["a/1-10/asymmetric/1", "ok", "2026-12-02T21:00:00.000Z"],
      ["b/1-10/asymmetric/1", "failed", "2026-12-02T21:00:00.000Z"],
      ["c/1-10/asymmetric/1", "ok", "2026-12-02T21:00:00.000Z"],
      ["stored/1-10/asymmetric/1", "ok", "2026-01-01T00:00:00.000Z"],
    ]);
  });
});

Deno.test("outcomeWriter: a failed write is thrown by flush and stops later writes", async () => {
  await withDir(async (dir) => {
    const db = join(dir, "r.sqlite");
    const sink = await ResultsSink.open(db, sampleRunInfo("o-key"));
    const writer = outcomeWriter(sink, new Set());
    const foreign = sampleRecord("other-key", "x", 1, 2);
    writer.onOutcome({ kind: "ok", cell: foreign.cell, record: foreign });
    writer.onOutcome(outcome("ok", "a"));
    await assert.rejects(writer.flush(), /Cannot store cell "x\/1-10\/asymmetric\/1" in run 1/);
    assert.deepEqual([...await sink.finished()], []);
    await sink.close();
  });
});
