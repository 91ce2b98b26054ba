/**
 * `deno task reproduce all --preset tiny` end to end on the real library, as a user runs it (a
 * subprocess, its own cache home and results folder): every experiment of the registry runs in
 * order, each prints its table and claims, every cell is recorded; table4 evaluates table2's own
 * students (no student trained for it), table1 says how Success@k was judged, the ablations
 * compare each row with its reference.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readRunRecords } from "./cell_records.ts";
import { EXPERIMENTS } from "./mod.ts";
import { listRuns, openStore } from "../src/store/mod.ts";
import { taskCommand } from "../src/testing/mod.ts";

Deno.test({
  name:
    "reproduce all --preset tiny: every experiment in order, its table and claims, all recorded",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const root = await Deno.makeTempDir({ prefix: "embeddistill-reproduce-all-" });
    try {
      const results = join(root, "results");
      const run = await (await taskCommand(
        "reproduce",
        ["all", "--preset", "tiny", "--results", results],
        { home: join(root, "home"), env: { EMBEDDISTILL_THREADS: "2" } },
      )).output();
      const out = new TextDecoder().decode(run.stdout);
      const err = new TextDecoder().decode(run.stderr);
      const runDirs = [...err.matchAll(/^records: (\S+) \((\d+) cells, (\d+) failed/gm)];

      await t.step("every experiment ran in the registry's order, no cell failed", () => {
        assert.equal(run.code, 0, err.slice(-4000));
        const titles = [...out.matchAll(/^(\S+) · /gm)].map((m) => m[1]);
        assert.deepEqual(titles, EXPERIMENTS.map((e) => e.id));
        assert.equal(runDirs.length, EXPERIMENTS.length);
        for (const m of runDirs) assert.equal(m[3], "0", m[0]);
        assert.doesNotMatch(err, /^\[\d+\/\d+\] \S+ (failed|skipped)/m);
        assert.equal((out.match(/^claims:$/gm) ?? []).length, EXPERIMENTS.length);
        // Each experiment's wall time, then all of them and the total, on stderr.
        const took = EXPERIMENTS.map((e) => `${e.id} \\d+(?:s|m\\d\\ds|h\\d\\dm)`);
        for (const t of took) {
          assert.match(err, new RegExp(`^${t.replace(" ", ": ")} wall time$`, "m"));
        }
        assert.match(err, new RegExp(`^wall time: ${took.join(", ")}; total \\S+$`, "m"));
      });

      await t.step("table1: Success@k by answer matching, said under the table", () => {
        assert.match(out, /^Success@5: judged by DPR answer matching over \d+ questions/m);
        assert.match(out, /^nDCG@10: judged by the qrels$/m);
      });

      await t.step(
        "table4: table2's students evaluated per corpus, none trained for it",
        async () => {
          const index = EXPERIMENTS.findIndex((e) => e.id === "table4");
          const table2 = EXPERIMENTS.findIndex((e) => e.id === "table2");
          const records = await readRunRecords(runDirs[index]![1]!);
          const sources = await readRunRecords(runDirs[table2]![1]!);
          assert.equal(records.length, sources.length);
          const student = records.find((r) => r.cell.method === "embeddistill")!;
          assert.ok(student.metrics["nDCG@10[synthetic-ood-nq/tiny]"] !== undefined);
          assert.ok(student.metrics["nDCG@10[synthetic-ood-generic/tiny]"] !== undefined);
          const source = sources.find((r) =>
            JSON.stringify(r.cell) === JSON.stringify(student.cell)
          )!;
          assert.deepEqual(
            (student.provenance["sourceProvenance"] as Record<string, unknown>)["studentHash"],
            source.provenance["studentHash"],
          );
          const t4 = out.slice(out.indexOf("table4 · "));
          assert.match(t4, /^retention of the teacher's nDCG@10 per corpus/m);
          assert.doesNotMatch(t4.slice(0, t4.indexOf("\n\n")), /^calibration:/m);
          // Only table2 trains students: table4's stderr section has no training step line.
          const t4err = err.slice(
            err.indexOf("[1/20] teacher/full/-", err.indexOf(runDirs[index - 1]![0])),
          );
          assert.doesNotMatch(t4err.slice(0, t4err.indexOf("records:")), /^checkpoint step/m);
        },
      );

      await t.step(
        "table3: three CE teachers re-rank, CE-taught students, the claims",
        async () => {
          const t3 = out.slice(out.indexOf("table3 · "), out.indexOf("table1 · "));
          for (const row of ["ce-cls", "ce-dual", "ce-dual-reg"]) {
            assert.match(t3, new RegExp(`^${row}/full/-\\s+\\d\\.\\d{4}`, "m"), row);
          }
          for (const row of ["labels", "ce-cls-score-kd", "ce-dual-embeddistill"]) {
            assert.match(t3, new RegExp(`^${row}/1-10/symmetric\\s+\\d\\.\\d{4}`, "m"), row);
          }
          assert.match(
            t3,
            /^ {2}(holds|fails|inconclusive) +Dual pooling \(ce-dual, EmbedDistill\)/m,
          );
          assert.doesNotMatch(t3, /not measured/);
          // The DE teacher (shared with table2) and the three CEs are content-addressed teachers.
          const teachers = [...Deno.readDirSync(join(results, "teachers"))].map((e) => e.name);
          const records = await readRunRecords(
            runDirs[EXPERIMENTS.findIndex((e) => e.id === "table3")]![1]!,
          );
          const ceHashes = new Set(records.flatMap((r) => {
            const hash = r.provenance["crossEncoderHash"];
            return typeof hash === "string" ? [hash] : [];
          }));
          assert.equal(ceHashes.size, 3);
          for (const hash of ceHashes) assert.ok(teachers.includes(hash), hash);
        },
      );

      await t.step(
        "ablations: each row against its reference, the query-generation claims judged",
        () => {
          const ab = out.slice(out.indexOf("ablations · "));
          assert.match(ab, /^qgen-10\/1-10\/asymmetric\s+\d\.\d{4}/m);
          assert.match(ab, /^teacher-width-layers\/2-3\/asymmetric\s+\d\.\d{4}/m);
          assert.match(
            ab,
            /^ {2}(holds|fails|inconclusive)\s+Query generation \(1 per document\)/m,
          );
        },
      );

      await t.step("a dry run afterwards finds the trained teachers ready", async () => {
        const dry = await (await taskCommand(
          "reproduce",
          ["table3", "--preset", "tiny", "--results", results, "--dry-run"],
          { home: join(root, "home") },
        )).output();
        const text = new TextDecoder().decode(dry.stdout);
        assert.equal(dry.code, 0, new TextDecoder().decode(dry.stderr));
        const teachers = join(results, "teachers");
        for (const what of ["teacher 1L", "cross-encoder ce-cls", "cross-encoder ce-dual-reg"]) {
          const line = text.split("\n").find((l) => l.trimStart().startsWith(what)) ?? "";
          assert.ok(line.includes(`ready: ${teachers}`), `${what}: ${line}`);
        }
      });

      await t.step("the store holds one finished run per experiment", async () => {
        const store = await openStore(join(results, "results.sqlite"));
        try {
          const runs = await listRuns(store);
          assert.deepEqual(
            runs.map((r) => r.experiment).sort(),
            EXPERIMENTS.map((e) => e.id).sort(),
          );
          assert.ok(runs.every((r) => r.status === "ok"));
        } finally {
          await store.close();
        }
      });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
