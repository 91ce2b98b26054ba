import assert from "node:assert/strict";
import { UsageError } from "../../src/cli/mod.ts";
import { BASELINE_PATH, parseBenchCheckArgs, QUICK_REPEATS } from "./options.ts";

Deno.test("parseBenchCheckArgs: defaults, --quick, --only lists", async () => {
  const plain = await parseBenchCheckArgs([]);
  assert.equal(plain.kind, "check");
  if (plain.kind !== "check") return;
  assert.equal(plain.repeats, 9);
  assert.equal(plain.threads, 1);
  assert.equal(plain.baseline, BASELINE_PATH);
  const quick = await parseBenchCheckArgs(["--quick", "--only", "a,b", "--only", "c"]);
  assert.ok(quick.kind === "check");
  assert.equal(quick.repeats, QUICK_REPEATS);
  assert.deepEqual(quick.only, ["a", "b", "c"]);
});

Deno.test("parseBenchCheckArgs: bad numbers and unknown flags are usage errors", async () => {
  await assert.rejects(parseBenchCheckArgs(["--threshold", "0"]), UsageError);
  await assert.rejects(
    parseBenchCheckArgs(["--repeats", "2.5"]),
    /--repeats must be a positive integer/,
  );
  await assert.rejects(parseBenchCheckArgs(["--nope"]), UsageError);
});
