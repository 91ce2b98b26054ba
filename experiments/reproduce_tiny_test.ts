/**
 * `deno task reproduce table2 --preset tiny` end to end on the real library, as a user runs it (a
 * subprocess, its own cache home and results folder): the table, the calibration and the claims
 * are printed, every cell is recorded; and a run killed with SIGKILL mid-cell, rerun, gives the
 * same quality columns as the uninterrupted run.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type CellRecord, readCellRecord } from "./cell_records.ts";
import { parseCellId } from "./cell_id.ts";
import { listRuns, openStore, readRun } from "../src/store/mod.ts";
import { chromiumForTests, taskCommand } from "../src/testing/mod.ts";

/** The cells the kill test runs: the teacher (implicitly) and two students. */
const KILLED_CELLS = ["labels/1-10/asymmetric/1", "embeddistill/1-10/asymmetric/1"];

function command(args: readonly string[], home: string): Promise<Deno.Command> {
  return taskCommand("reproduce", ["table2", "--preset", "tiny", ...args], {
    home,
    env: { EMBEDDISTILL_THREADS: "2" },
  });
}

/** The run directory the records went to (printed last on stderr). */
function runDirOf(stderr: string): string {
  const m = /^records: (\S+) /m.exec(stderr);
  assert.ok(m !== null, `no "records:" line in:\n${stderr}`);
  return m[1]!;
}

/** Quality columns of a record: metrics and per-query values (timings excluded). */
function quality(record: CellRecord | null): unknown {
  assert.ok(record !== null && record.status === "ok", `cell not ok: ${record?.error}`);
  return { metrics: record.metrics, perQuery: record.perQuery, chosen: record.chosen };
}

async function waitFor(path: string, child: Deno.ChildProcess, timeoutMs: number): Promise<void> {
  const began = Date.now();
  let exited = false;
  child.status.then(() => exited = true);
  while (Date.now() - began < timeoutMs) {
    try {
      await Deno.stat(path);
      return;
    } catch {
      if (exited) throw new Error(`the run ended before "${path}" appeared`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`"${path}" did not appear within ${timeoutMs} ms`);
}

Deno.test({
  name:
    "reproduce table2 --preset tiny: the table and claims; a SIGKILLed run resumes to the same quality",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const root = await Deno.makeTempDir({ prefix: "embeddistill-reproduce-tiny-" });
    try {
      const home = join(root, "home");
      const full = await (await command(["--results", join(root, "a")], home)).output();
      const out = new TextDecoder().decode(full.stdout);
      const err = new TextDecoder().decode(full.stderr);
      const runDir = runDirOf(err);

      await t.step("every cell ran and the table, calibration and claims are printed", () => {
        assert.equal(full.code, 0, err);
        assert.match(out, /^table2 · /);
        assert.match(out, /^calibration: (holds|fails) teacher nDCG@10 >= BM25 \+ 0\.10/m);
        assert.match(out, /^teacher\/full\/-\s+\d\.\d{4}/m);
        assert.match(out, /^bm25\/full\/-\s+\d\.\d{4}/m);
        assert.match(out, /^embeddistill-qgen\/1-10\/asymmetric\s+\d\.\d{4}/m);
        assert.match(out, /^claims:\n {2}(holds|fails|inconclusive) /m);
        assert.doesNotMatch(out, /not measured/);
        assert.doesNotMatch(err, /^\[\d+\/\d+\] \S+ (failed|skipped)/m);
        assert.match(err, /\(20 cells, 0 failed or skipped\)/);
      });

      await t.step("the run is in the results store with every cell, intact", async () => {
        const store = await openStore(join(root, "a", "results.sqlite"));
        try {
          const runs = await listRuns(store);
          assert.equal(runs.length, 1);
          assert.equal(runs[0]!.status, "ok");
          const stored = await readRun(store, runs[0]!.id);
          assert.ok(stored !== null);
          assert.equal(stored.cells.length, 20);
          assert.ok(stored.cells.every((c) => c.status === "ok"));
          const teacher = stored.cells.find((c) => c.cellId === "teacher/full/-")!;
          assert.ok(teacher.metrics["RR@10"] !== undefined);
          assert.ok(stored.claims.length > 0);
        } finally {
          await store.close();
        }
      });

      await t.step(
        "deno task report renders the stored run; Chromium opens it offline, every chart drawn",
        async () => {
          const chromium = chromiumForTests();
          if (chromium.kind === "absent") return; // Ignored with a message (an error with CI=true).
          const reports = join(root, "reports");
          const png = join(root, "report.png");
          const db = join(root, "a", "results.sqlite");
          const report = await (await taskCommand(
            "report",
            ["table2", "--db", db, "--out", reports, "--screenshot", png],
            { home },
          )).output();
          const stdout = new TextDecoder().decode(report.stdout);
          const stderr = new TextDecoder().decode(report.stderr);
          assert.equal(report.code, 0, stderr);
          assert.match(stdout, /^embeddistill-qgen\/1-10\/asymmetric\s+\d\.\d{4}/m);
          assert.match(stdout, /^significance: .*paired randomisation test/m);
          assert.match(stderr, /screenshot .* \(1500x\d+ px page, 20 table rows, 4 charts\)/);
          const md = await Deno.readTextFile(join(reports, "table2.md"));
          assert.match(md, /^\| \+ score KD \| score-kd\/1-10\/asymmetric \| \d\.\d{4} \|/m);
          assert.ok((await Deno.stat(png)).size > 10_000);
        },
      );

      await t.step("a rerun reuses every cell and prints the same table", async () => {
        const again = await (await command(["--results", join(root, "a")], home)).output();
        assert.equal(again.code, 0);
        const err2 = new TextDecoder().decode(again.stderr);
        assert.doesNotMatch(err2, / ok /);
        assert.match(err2, / reused /);
        assert.equal(
          new TextDecoder().decode(again.stdout).replace(/\d+\.\d+\/\d+\.\d+/g, "t"),
          out.replace(/\d+\.\d+\/\d+\.\d+/g, "t"),
        );
      });

      await t.step("SIGKILL mid-cell, rerun: identical quality columns", async () => {
        const results = join(root, "b");
        const only = KILLED_CELLS.flatMap((c) => ["--only", c]);
        const child = (await command([...only, "--results", results], home)).spawn();
        // The second student's first checkpoint: its training is under way.
        const killedRunDir = join(results, "runs", runDirOf(err).split("/").at(-1)!);
        const student = join(killedRunDir, "embeddistill", "1-10", "asymmetric", "1", "lr-0.005");
        await waitFor(join(student, "checkpoints"), child, 120_000);
        child.kill("SIGKILL");
        await child.output();
        const rerun = await (await command([...only, "--results", results], home)).output();
        assert.equal(rerun.code, 0, new TextDecoder().decode(rerun.stderr));
        const database = new DatabaseSync(join(results, "results.sqlite"));
        try {
          const check = database.prepare("pragma integrity_check").get() as Record<string, unknown>;
          assert.equal(check["integrity_check"], "ok");
          const stored = database.prepare("select cell_id, status from cells order by cell_id")
            .all()
            .map((r) => `${r["cell_id"]} ${r["status"]}`);
          assert.deepEqual(stored, KILLED_CELLS.map((c) => `${c} ok`).sort());
        } finally {
          database.close();
        }
        for (const id of KILLED_CELLS) {
          const cell = parseCellId(id);
          assert.deepEqual(
            quality(await readCellRecord(killedRunDir, cell)),
            quality(await readCellRecord(runDir, cell)),
            id,
          );
        }
      });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
