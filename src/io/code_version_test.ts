/**
 * Tests of codeVersion: a git checkout's HEAD and dirty flag, null outside one, and null (never a
 * prompt) without the permission to run git.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runUnpermitted } from "../testing/mod.ts";
import { codeVersion } from "./code_version.ts";

async function git(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", {
    args: ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

Deno.test("codeVersion: HEAD and the dirty flag of a git checkout; null outside one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-code-version-" });
  try {
    assert.equal(await codeVersion(dir), null);
    await git(dir, "init", "-q");
    assert.equal(await codeVersion(dir), null, "no commit yet: no version");
    await Deno.writeTextFile(join(dir, "a.txt"), "a\n");
    await git(dir, "add", "a.txt");
    await git(dir, "commit", "-q", "-m", "a");
    const clean = await codeVersion(dir);
    assert.ok(clean !== null);
    assert.match(clean.commit, /^[0-9a-f]{40}$/);
    assert.equal(clean.dirty, false);
    await Deno.writeTextFile(join(dir, "a.txt"), "b\n");
    assert.deepEqual(await codeVersion(dir), { commit: clean.commit, dirty: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("codeVersion without --allow-run: unknown (null), not an error or a prompt", async () => {
  const module = new URL("./code_version.ts", import.meta.url).href;
  const printed = await runUnpermitted(
    `import { codeVersion } from ${JSON.stringify(module)};\n` +
      `console.log(JSON.stringify(await codeVersion()));\n`,
  );
  assert.equal(printed, "null");
});
