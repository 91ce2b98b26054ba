import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkResumeSettings,
  readRunRecord,
  settingsChanges,
  writeRunRecord,
} from "./run_record.ts";
import { UsageError } from "./usage_error.ts";

Deno.test("settingsChanges names each changed leaf by its path, as JSON", () => {
  const before = { a: 1, b: { c: [1, 2], d: "x" }, e: [{ w: 1 }], gone: true };
  const after = { a: 1, b: { c: [1, 2, 3], d: "y" }, e: [{ w: 2 }], added: 0, f: undefined };
  assert.deepEqual(settingsChanges(before, after), [
    "b.c: [1,2] -> [1,2,3]",
    'b.d: "x" -> "y"',
    "e[0].w: 1 -> 2",
    "gone: true -> (absent)",
    "added: (absent) -> 0",
  ]);
  assert.deepEqual(settingsChanges(before, structuredClone(before)), []);
});

Deno.test("checkResumeSettings: same settings pass, changed ones are a UsageError, no record is reported", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x_run.json");
    assert.deepEqual(await checkResumeSettings(path, { steps: 4 }), { kind: "no-record" });
    await writeRunRecord(path, {
      command: "x",
      status: "running",
      args: [],
      settings: { steps: 4 },
    });
    assert.equal((await readRunRecord(path))!.status, "running");
    assert.equal((await checkResumeSettings(path, { steps: 4 })).kind, "same");
    await assert.rejects(() => checkResumeSettings(path, { steps: 5 }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /\(steps: 4 -> 5\)/);
      return true;
    });
    await Deno.writeTextFile(path, "{");
    await assert.rejects(() => readRunRecord(path), /Cannot parse the run record ".*x_run\.json"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
