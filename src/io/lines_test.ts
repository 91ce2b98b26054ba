/**
 * Tests of the streaming line reader: chunk boundaries, CRLF, gzip, limits.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readLines, splitLines } from "./lines.ts";

async function* chunksOf(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

Deno.test("splitLines numbers lines across arbitrary chunk boundaries", async () => {
  const text = "alpha\r\nbeta\n\ngamma\r\ndelta";
  const expected = text.split("\n").map((t, i) => ({
    text: t.endsWith("\r") ? t.slice(0, -1) : t,
    number: i + 1,
  }));
  // Every way of cutting the text in two or three pieces gives the same lines.
  for (let a = 0; a <= text.length; a++) {
    for (let b = a; b <= text.length; b += 3) {
      const got = await collect(
        splitLines(chunksOf(text.slice(0, a), text.slice(a, b), text.slice(b))),
      );
      assert.deepEqual(got, expected, `cut at ${a}, ${b}`);
    }
  }
});

Deno.test("splitLines drops no final empty line and keeps inner empty lines", async () => {
  assert.deepEqual(await collect(splitLines(chunksOf("a\n\nb\n"))), [
    { text: "a", number: 1 },
    { text: "", number: 2 },
    { text: "b", number: 3 },
  ]);
  assert.deepEqual(await collect(splitLines(chunksOf(""))), []);
});

Deno.test("splitLines rejects a line over the limit with its number", async () => {
  const lines = splitLines(chunksOf("ok\n", "x".repeat(10), "y".repeat(10), "\n"), {
    source: "big.txt",
    maxLineLength: 15,
  });
  await assert.rejects(collect(lines), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /line 2 of "big\.txt"/);
    return true;
  });
});

Deno.test("readLines reads plain and gzip files alike", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = Array.from({ length: 5000 }, (_, i) => `${i}\tline ${i} é`).join("\n") + "\n";
    const plain = join(dir, "t.tsv");
    const gz = join(dir, "t.tsv.gz");
    await Deno.writeTextFile(plain, text);
    const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
    await Deno.writeFile(gz, compressed);
    const a = await collect(readLines(plain));
    const b = await collect(readLines(gz));
    assert.equal(a.length, 5000);
    assert.deepEqual(a[4999], { text: "4999\tline 4999 é", number: 5000 });
    assert.deepEqual(b, a);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLines reports invalid UTF-8 with the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "bad.txt");
    await Deno.writeFile(path, new Uint8Array([0x61, 0x0a, 0xff, 0xfe, 0x0a]));
    await assert.rejects(collect(readLines(path)), (e: unknown) => {
      assert.ok(e instanceof SyntaxError);
      assert.match(e.message, /bad\.txt" as UTF-8/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
