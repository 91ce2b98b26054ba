/**
 * Tests of the streaming JSON array parser against `JSON.parse` of the whole text, its errors, and
 * its memory bound on a generated array file of about 256 MB.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parseJsonArray, readJsonArray } from "./json_array_stream.ts";

async function* chunksOf(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function values(chunks: AsyncIterable<string>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const element of parseJsonArray(chunks)) out.push(element.value);
  return out;
}

const SAMPLE = `[
  {"question": "who \\"wrote\\" it?", "answers": ["a]", "b}"], "n": [1, [2, {"x": null}]]},
  "plain string with , and ] inside",
  -12.5e3, true, false, null,
  [], {}, [[]],
  "\\\\"
]`;

Deno.test("parseJsonArray equals JSON.parse for every two-way split of the text", async () => {
  const reference = JSON.parse(SAMPLE) as unknown[];
  for (let cut = 0; cut <= SAMPLE.length; cut++) {
    const got = await values(chunksOf(SAMPLE.slice(0, cut), SAMPLE.slice(cut)));
    assert.deepEqual(got, reference, `cut at ${cut}`);
  }
});

Deno.test("parseJsonArray equals JSON.parse on one-character chunks", async () => {
  const reference = JSON.parse(SAMPLE) as unknown[];
  assert.deepEqual(await values(chunksOf(...SAMPLE.split(""))), reference);
});

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random JSON value rich in quotes, backslashes and brackets inside strings. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 3 : 5));
  const alphabet = '\\"[]{},ab\n';
  const str = () =>
    Array.from(
      { length: Math.floor(next() * 8) },
      () => alphabet[Math.floor(next() * alphabet.length)],
    )
      .join("");
  switch (pick) {
    case 0:
      return str();
    case 1:
      return Math.round((next() - 0.5) * 1e6) / 100;
    case 2:
      return [true, false, null][Math.floor(next() * 3)];
    case 3:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, () => [str(), randomValue(next, depth + 1)]),
      );
  }
}

Deno.test("parseJsonArray equals JSON.parse on random values cut at random places", async () => {
  const next = prng(7);
  for (let trial = 0; trial < 200; trial++) {
    const array = Array.from({ length: Math.floor(next() * 6) }, () => randomValue(next, 0));
    const text = JSON.stringify(array, null, trial % 2 === 0 ? 0 : 2);
    const pieces: string[] = [];
    for (let at = 0; at < text.length;) {
      const size = 1 + Math.floor(next() * 7);
      pieces.push(text.slice(at, at + size));
      at += size;
    }
    assert.deepEqual(await values(chunksOf(...pieces)), array, text);
  }
});

Deno.test("parseJsonArray gives indexes and start lines", async () => {
  const elements = [];
  for await (const e of parseJsonArray(chunksOf('[\n{"a": 1},\n\n{"b":\n2}, 3\n]\n'))) {
    elements.push(e);
  }
  assert.deepEqual(elements, [
    { value: { a: 1 }, index: 0, line: 2 },
    { value: { b: 2 }, index: 1, line: 4 },
    { value: 3, index: 2, line: 5 },
  ]);
  assert.deepEqual(await values(chunksOf("  [ ]  ")), []);
});

Deno.test("parseJsonArray rejects malformed input with file and line", async () => {
  const cases: [string, RegExp][] = [
    ['{"a": 1}', /line 1 of "bad\.json": expected "\[" opening the top-level array, found "\{"/],
    ["[1,\n2,\n]", /line 3 of "bad\.json": expected an element after ","/],
    ["[1 2]", /line 1 of "bad\.json": expected "," or "\]" after element 0, found "2"/],
    ['[\n{"a": 1},\n{"a" 2}\n]', /element 1 of the JSON array starting at line 3 of "bad\.json"/],
    ["[1, 2", /unexpected end of input at line 1, expected "\]"/],
    ['[{"a": [1, 2}', /unexpected end of input/],
    ["[1] x", /expected nothing after the closing "\]"/],
    ["[tru]", /element 0 of the JSON array starting at line 1/],
    ["", /unexpected end of input at line 1, expected "\["/],
  ];
  for (const [text, pattern] of cases) {
    let message = "";
    try {
      for await (const _ of parseJsonArray(chunksOf(text), { source: "bad.json" })) { /* drain */ }
    } catch (e) {
      assert.ok(e instanceof SyntaxError, `${JSON.stringify(text)}: ${e}`);
      message = e.message;
    }
    assert.match(message, pattern, JSON.stringify(text));
  }
});

Deno.test("parseJsonArray refuses an element over the size limit", async () => {
  const big = `[{"t": "${"x".repeat(1000)}"}]`;
  const chunks = chunksOf(...big.match(/.{1,100}/g) ?? []);
  await assert.rejects(
    async () => {
      for await (const _ of parseJsonArray(chunks, { maxElementLength: 500 })) { /* drain */ }
    },
    RangeError,
  );
});

/** One DPR-like training example of about 4 KB; `i` makes each one distinct. */
function example(i: number): string {
  const filler = 'lorem ipsum dolor sit amet \\"quoted\\" '.repeat(20);
  const ctx = (kind: string, j: number) =>
    `{"title": "T${i}-${kind}${j}", "text": "${filler}", "score": ${j + 0.5}, "passage_id": "${
      i * 10 + j
    }"}`;
  return `{"question": "q${i}", "answers": ["a${i}"], "positive_ctxs": [${ctx("p", 0)}], ` +
    `"negative_ctxs": [${ctx("n", 1)}, ${ctx("n", 2)}], "hard_negative_ctxs": [${ctx("h", 3)}]}`;
}

Deno.test({
  name: "readJsonArray streams a 256 MB array file in bounded memory",
  sanitizeResources: true,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = join(dir, "big.json");
      const file = await Deno.open(path, { write: true, create: true });
      const encoder = new TextEncoder();
      const target = 256 * 1024 * 1024;
      let written = 0;
      let count = 0;
      const write = async (s: string) => {
        const bytes = encoder.encode(s);
        let off = 0;
        while (off < bytes.length) off += await file.write(bytes.subarray(off));
        written += bytes.length;
      };
      await write("[\n");
      let batch: string[] = [];
      while (written < target) {
        batch.push((count === 0 ? "" : ",\n") + example(count));
        count++;
        if (batch.length === 256) {
          await write(batch.join(""));
          batch = [];
        }
      }
      await write(batch.join("") + "\n]\n");
      file.close();

      const before = Deno.memoryUsage().rss;
      let peak = before;
      let seen = 0;
      for await (const { value, index, line } of readJsonArray(path)) {
        assert.equal(index, seen);
        if (index % 2000 === 0) {
          const v = value as { question: string; hard_negative_ctxs: { title: string }[] };
          assert.equal(v.question, `q${index}`);
          assert.equal(v.hard_negative_ctxs[0]?.title, `T${index}-h3`);
          assert.equal(line, index + 2);
          peak = Math.max(peak, Deno.memoryUsage().rss);
        }
        seen++;
      }
      assert.equal(seen, count);
      const growth = peak - before;
      // The whole file would be 256 MB as bytes and 512 MB as a JS string; streaming needs a few
      // chunks and one element.
      assert.ok(growth < 96 * 1024 * 1024, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB`);
      assert.ok(written >= target);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
