/**
 * `deno task reproduce table3 --preset tiny` end to end on the real library (a subprocess with its
 * own cache home and results folder): the DE teacher, BM25, three cross-encoder teachers trained
 * through the one loop (warm-started from the DE teacher, BM25 + DE negatives), each re-ranking
 * both first stages, and the CE-taught students; every cell recorded, the table and claims printed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { taskCommand } from "../src/testing/mod.ts";

Deno.test({
  name: "reproduce table3 --preset tiny: CE teachers re-rank, CE-taught students, the claims",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "embeddistill-table3-tiny-" });
    try {
      const run = await taskCommand(
        "reproduce",
        ["table3", "--preset", "tiny", "--results", join(root, "results")],
        { home: join(root, "home"), env: { EMBEDDISTILL_THREADS: "2" } },
      );
      const { code, stdout, stderr } = await run.output();
      const out = new TextDecoder().decode(stdout);
      const err = new TextDecoder().decode(stderr);
      assert.equal(code, 0, err);
      assert.match(out, /^table3 · MS MARCO: CE -> DE distillation/);
      for (const row of ["ce-cls", "ce-dual", "ce-dual-reg"]) {
        assert.match(out, new RegExp(`^${row}/full/-\\s+\\d\\.\\d{4}`, "m"), row);
      }
      for (const row of ["labels", "ce-cls-score-kd", "ce-dual-embeddistill"]) {
        assert.match(out, new RegExp(`^${row}/1-10/symmetric\\s+\\d\\.\\d{4}`, "m"), row);
      }
      assert.match(out, /^ {2}(holds|fails|inconclusive) +Dual pooling \(ce-dual, EmbedDistill\)/m);
      assert.doesNotMatch(out, /not measured/);
      assert.match(err, /records: \S+ \(11 cells, 0 failed or skipped\)/);
      // The three CEs and the DE teacher are content-addressed teachers of the results folder.
      const teachers = [...Deno.readDirSync(join(root, "results", "teachers"))];
      assert.equal(teachers.length, 4);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
