/**
 * Tests of the line splitter: chunk boundaries, CRLF, gzip, limits, byte sinks.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeBytes } from "./utf8.ts";
import { decodeLines, type LineSink, LineSplitter, readLines } from "./lines.ts";

async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

Deno.test("decodeLines numbers lines across arbitrary chunk boundaries", async () => {
  const text = "alpha\r\nbeta\n\ngamma\r\ndelta";
  const expected = text.split("\n").map((t, i) => ({
    text: t.endsWith("\r") ? t.slice(0, -1) : t,
    number: i + 1,
  }));
  // Every way of cutting the text in two or three pieces gives the same lines.
  for (let a = 0; a <= text.length; a++) {
    for (let b = a; b <= text.length; b += 3) {
      const got = await collect(
        decodeLines(chunksOf(text.slice(0, a), text.slice(a, b), text.slice(b))),
      );
      assert.deepEqual(got, expected, `cut at ${a}, ${b}`);
    }
  }
});

Deno.test("decodeLines drops no final empty line and keeps inner empty lines", async () => {
  assert.deepEqual(await collect(decodeLines(chunksOf("a\n\nb\n"))), [
    { text: "a", number: 1 },
    { text: "", number: 2 },
    { text: "b", number: 3 },
  ]);
  assert.deepEqual(await collect(decodeLines(chunksOf(""))), []);
});

Deno.test("decodeLines rejects a line over the limit with its number", async () => {
  const lines = decodeLines(chunksOf("ok\n", "x".repeat(10), "y".repeat(10), "\n"), {
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

function collectBytes(chunks: Uint8Array[]): [string, number][] {
  const lines: [string, number][] = [];
  const sink: LineSink = {
    line: (bytes, start, end, n) =>
      void lines.push([new TextDecoder().decode(bytes.subarray(start, end)), n]),
  };
  const splitter = new LineSplitter(sink);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.finish();
  return lines;
}

Deno.test("LineSplitter numbers lines and joins lines split across chunks", () => {
  const bytes = new TextEncoder().encode("alpha\nbé\n\nlast without newline");
  const expected: [string, number][] = [["alpha", 1], ["bé", 2], ["", 3], [
    "last without newline",
    4,
  ]];
  for (let size = 1; size <= bytes.length; size++) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
    assert.deepEqual(collectBytes(chunks), expected, `chunk size ${size}`);
  }
  assert.deepEqual(collectBytes([new TextEncoder().encode("a\n")]), [["a", 1]]);
});

Deno.test("byte helpers: UTF-8 decoding", () => {
  const bytes = new TextEncoder().encode("xdoc-é-" + "z".repeat(40));
  assert.equal(decodeBytes(bytes, 1, 4), "doc");
  assert.equal(decodeBytes(bytes, 1, bytes.length), "doc-é-" + "z".repeat(40));
  assert.throws(() => decodeBytes(new Uint8Array([0xff, 0xfe]), 0, 2), TypeError);
});
