import assert from "node:assert/strict";
import { join } from "node:path";
import { pathExists } from "./path_exists.ts";

Deno.test("pathExists: true for files and folders, false for a missing path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "f"), "x");
    assert.equal(await pathExists(dir), true);
    assert.equal(await pathExists(join(dir, "f")), true);
    assert.equal(await pathExists(join(dir, "missing")), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
