/**
 * Tests of the machine description: this machine's cores and OS, and "unknown" / 0 (never a
 * prompt) without --allow-sys.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describeHost, formatMachine } from "./machine.ts";

Deno.test("describeHost: this machine's cores, OS and memory; formatMachine names model and cores", () => {
  const host = describeHost();
  assert.ok(host.cores >= 1);
  assert.equal(host.os, Deno.build.os);
  assert.equal(host.arch, Deno.build.arch);
  assert.ok(host.cpuModel.length > 0);
  assert.ok(host.memoryBytes >= 0);
  assert.equal(formatMachine(host), `${host.cpuModel}, nproc ${host.cores}`);
});

Deno.test("describeHost without --allow-sys: CPU model unknown and memory 0, not an error or a prompt", async () => {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-machine-" });
  try {
    const script = join(dir, "probe.ts");
    const module = new URL("./machine.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { describeHost } from ${JSON.stringify(module)};\n` +
        `const h = describeHost();\n` +
        `console.log(JSON.stringify([h.cpuModel, h.memoryBytes]));\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-check", "--no-config", `--allow-read=${script}`, script],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), ["unknown", 0]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
