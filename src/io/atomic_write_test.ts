/**
 * Tests of atomic writes: content, overwrite, and a failed write that leaves no trace.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic_write.ts";

Deno.test("writeFileAtomic writes strings, bytes, streams and iterables", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "out.txt");
    await writeFileAtomic(path, "one");
    assert.equal(await Deno.readTextFile(path), "one");
    await writeFileAtomic(path, new TextEncoder().encode("two"));
    assert.equal(await Deno.readTextFile(path), "two");
    await writeFileAtomic(path, ["th", new TextEncoder().encode("ree")]);
    assert.equal(await Deno.readTextFile(path), "three");
    await writeFileAtomic(path, new Blob(["four"]).stream());
    assert.equal(await Deno.readTextFile(path), "four");
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(names, ["out.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function* failing(): AsyncGenerator<string> {
  yield "new part";
  throw new Error("source broke");
}

Deno.test("writeFileAtomic leaves the old file and no temporary when the content fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "out.txt");
    await Deno.writeTextFile(path, "old");
    await assert.rejects(writeFileAtomic(path, failing()), /source broke/);
    assert.equal(await Deno.readTextFile(path), "old");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["out.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic applies the requested mode", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "secret.txt");
    await writeFileAtomic(path, "x", { mode: 0o600 });
    const info = await Deno.stat(path);
    assert.equal((info.mode ?? 0) & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
