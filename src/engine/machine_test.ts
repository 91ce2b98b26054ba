/**
 * Tests of the machine description: this machine's cores and OS, and "unknown" / 0 (never a
 * prompt) without --allow-sys.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runUnpermitted } from "../testing/mod.ts";
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
  const module = new URL("./machine.ts", import.meta.url).href;
  const printed = await runUnpermitted(
    `import { describeHost } from ${JSON.stringify(module)};\n` +
      `const h = describeHost();\n` +
      `console.log(JSON.stringify([h.cpuModel, h.memoryBytes]));\n`,
  );
  assert.deepEqual(JSON.parse(printed), ["unknown", 0]);
});
