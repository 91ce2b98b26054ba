/**
 * Tests of the content-addressed cache against real directories: hits, two racing publishers,
 * a process stopped before the rename, and unusable entries.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { cachedContent, type ContentCodec, contentEntryDir } from "./content_cache.ts";

const CODEC: ContentCodec<string> = {
  read: (dir) => Deno.readTextFile(join(dir, "value.txt")),
  write: (dir, value) => Deno.writeTextFile(join(dir, "value.txt"), value),
};

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "content-cache-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function names(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir), (e) => e.name)).sort();
}

Deno.test("cachedContent computes once, publishes, then reads the entry back", async () => {
  await withTemp(async (root) => {
    let calls = 0;
    const compute = () => Promise.resolve(`value ${++calls}`);
    const first = await cachedContent(join(root, "artifacts"), "abc", compute, CODEC);
    assert.deepEqual(first, {
      kind: "published",
      dir: join(root, "artifacts", "abc"),
      value: "value 1",
    });
    const second = await cachedContent(join(root, "artifacts"), "abc", compute, CODEC);
    assert.deepEqual(second, { ...first, kind: "hit" });
    assert.equal(calls, 1);
    assert.deepEqual(await names(join(root, "artifacts")), ["abc"], "no temporary directory left");
    assert.deepEqual(await names(first.dir), ["value.txt"]);
  });
});

Deno.test("two concurrent publishers of one key: the loser keeps the winner's entry", async () => {
  await withTemp(async (root) => {
    let release!: () => void;
    const bothComputed = new Promise<void>((resolve) => release = resolve);
    let started = 0;
    const compute = (value: string) => async () => {
      if (++started === 2) release();
      await bothComputed;
      return value;
    };
    const [a, b] = await Promise.all([
      cachedContent(root, "k", compute("from a"), CODEC),
      cachedContent(root, "k", compute("from b"), CODEC),
    ]);
    assert.deepEqual([a.kind, b.kind].sort(), ["published", "raced"]);
    assert.equal(a.value, b.value, "both see the winner's value");
    assert.equal(await Deno.readTextFile(join(root, "k", "value.txt")), a.value);
    assert.deepEqual(await names(root), ["k"]);
  });
});

Deno.test("two processes publishing one key agree on one entry", async () => {
  await withTemp(async (root) => {
    const module = new URL("./content_cache.ts", import.meta.url).href;
    const script = (value: string) => `
      import { cachedContent } from ${JSON.stringify(module)};
      const codec = {
        read: (dir) => Deno.readTextFile(dir + "/value.txt"),
        write: (dir, v) => Deno.writeTextFile(dir + "/value.txt", v),
      };
      const e = await cachedContent(${JSON.stringify(root)}, "k", async () => ${
      JSON.stringify(value)
    }, codec);
      console.log(JSON.stringify(e.value));`;
    const run = (value: string) =>
      new Deno.Command(Deno.execPath(), { args: ["eval", script(value)], stderr: "inherit" })
        .output();
    const outputs = await Promise.all([run("one"), run("two")]);
    const values = outputs.map((o) => {
      assert.equal(o.code, 0);
      return JSON.parse(new TextDecoder().decode(o.stdout));
    });
    const stored = await Deno.readTextFile(join(root, "k", "value.txt"));
    assert.deepEqual(values, [stored, stored]);
    assert.deepEqual(await names(root), ["k"]);
  });
});

Deno.test("a process stopped before the rename leaves no visible entry", async () => {
  await withTemp(async (root) => {
    const module = new URL("./content_cache.ts", import.meta.url).href;
    const script = `
      import { cachedContent } from ${JSON.stringify(module)};
      await cachedContent(${JSON.stringify(root)}, "k", async () => "half", {
        read: (dir) => Deno.readTextFile(dir + "/value.txt"),
        write: (dir, v) => Deno.writeTextFile(dir + "/value.txt", v),
      }, { beforePublish: () => Deno.exit(3) });`;
    const out = await new Deno.Command(Deno.execPath(), { args: ["eval", script] }).output();
    assert.equal(out.code, 3);
    const left = await names(root);
    assert.equal(left.length, 1);
    assert.match(left[0]!, /^\.k\.tmp-/, "only a hidden temporary directory");
    const after = await cachedContent(root, "k", () => Promise.resolve("whole"), CODEC);
    assert.deepEqual([after.kind, after.value], ["published", "whole"]);
  });
});

Deno.test("an entry the codec cannot use is computed again and replaced", async () => {
  await withTemp(async (root) => {
    await Deno.mkdir(join(root, "k"));
    await Deno.writeTextFile(join(root, "k", "other.txt"), "not the value");
    const e = await cachedContent(root, "k", () => Promise.resolve("fresh"), CODEC);
    assert.deepEqual([e.kind, e.value], ["published", "fresh"]);
    assert.deepEqual(await names(join(root, "k")), ["value.txt"]);
    assert.deepEqual(await names(root), ["k"]);
  });
});

Deno.test("a failed write leaves neither an entry nor a temporary directory", async () => {
  await withTemp(async (root) => {
    await assert.rejects(
      cachedContent(root, "k", () => Promise.resolve("v"), {
        read: CODEC.read,
        write: () => Promise.reject(new Error("disk full")),
      }),
      /disk full/,
    );
    assert.deepEqual(await names(root), []);
  });
});

Deno.test("cache keys are one path component not starting with a dot", () => {
  assert.equal(contentEntryDir("/c", "ab12"), "/c/ab12");
  for (const key of ["", ".x", "a/b", "..", "a\\b"]) {
    assert.throws(() => contentEntryDir("/c", key), RangeError, key);
  }
});
