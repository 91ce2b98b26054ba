/**
 * Run a few lines of TypeScript in a Deno subprocess granted nothing but reading its own script
 * (no config, no type check): how the tests show that a function which asks for a permission
 * degrades to "unknown" instead of failing or prompting.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";

/**
 * Write `source` to a temporary script, run it with no permission but reading that script, and
 * return its stdout (trimmed). A non-zero exit fails the test with the subprocess's stderr.
 */
export async function runUnpermitted(source: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-unpermitted-" });
  try {
    const script = join(dir, "probe.ts");
    await Deno.writeTextFile(script, source);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-check", "--no-config", `--allow-read=${script}`, script],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    return new TextDecoder().decode(out.stdout).trim();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
