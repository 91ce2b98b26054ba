import assert from "node:assert/strict";
import { UsageError } from "../src/cli/mod.ts";
import { parseReproduceArgs } from "./reproduce_options.ts";

Deno.test("reproduce options: defaults, all, and flags", async () => {
  const o = await parseReproduceArgs(["table2"]);
  assert.ok(o !== "help");
  assert.deepEqual(o.experiments, ["table2"]);
  assert.equal(o.preset, "mini");
  assert.equal(o.seeds, undefined);
  assert.equal(o.dryRun, false);
  const all = await parseReproduceArgs([
    "all",
    "--preset",
    "tiny",
    "--seeds",
    "3",
    "--only",
    "labels/1-10/symmetric",
    "--dry-run",
  ]);
  assert.ok(all !== "help");
  assert.equal(all.preset, "tiny");
  assert.equal(all.seeds, 3);
  assert.deepEqual(all.only, ["labels/1-10/symmetric"]);
  assert.equal(all.dryRun, true);
  assert.equal(await parseReproduceArgs(["--help"]), "help");
});

Deno.test("reproduce options: unknown table, preset or flag lists the valid ones", async () => {
  const usage = async (args: string[], pattern: RegExp) =>
    await assert.rejects(
      () => parseReproduceArgs(args),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
    );
  await usage(
    ["table9"],
    /Unknown experiment "table9": expected one of table2, table3, table1, table4, ablations, all/,
  );
  await usage(
    ["table2", "--preset", "huge"],
    /Unknown preset "huge": expected one of tiny, mini, full/,
  );
  await usage(
    ["table2", "--sedes", "2"],
    /unknown option "--sedes"; valid options: .*--seeds VALUE/,
  );
  await usage(["table2", "--seeds", "0"], /--seeds must be an integer >= 1, found "0"/);
  await usage(
    [],
    /Expected one experiment \(table2, table3, table1, table4, ablations, all\), found 0/,
  );
});

Deno.test("reproduce options: --beir adds real sets to the zero-shot table only", async () => {
  const t4 = await parseReproduceArgs(["table4", "--beir", "beir/scifact", "--beir", "beir/fiqa"]);
  assert.ok(t4 !== "help");
  assert.deepEqual(t4.beir, ["beir/scifact", "beir/fiqa"]);
  const all = await parseReproduceArgs(["all", "--beir", "beir/scifact"]);
  assert.ok(all !== "help");
  assert.deepEqual(all.beir, ["beir/scifact"]);
  const none = await parseReproduceArgs(["table2"]);
  assert.ok(none !== "help");
  assert.deepEqual(none.beir, []);
  await assert.rejects(
    () => parseReproduceArgs(["table2", "--beir", "beir/scifact"]),
    (e: unknown) =>
      e instanceof UsageError && /--beir applies to the zero-shot table \(table4/.test(e.message),
  );
});
