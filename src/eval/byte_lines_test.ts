import assert from "node:assert/strict";
import {
  decodeBytes,
  isGzip,
  isSpace,
  type LineSink,
  LineSplitter,
  readByteChunks,
} from "./byte_lines.ts";

function collect(chunks: Uint8Array[]): [string, number][] {
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
    assert.deepEqual(collect(chunks), expected, `chunk size ${size}`);
  }
  assert.deepEqual(collect([new TextEncoder().encode("a\n")]), [["a", 1]]);
});

Deno.test("byte helpers: gzip magic, C isspace, UTF-8 decoding", () => {
  assert.equal(isGzip(new Uint8Array([0x1f, 0x8b, 8])), true);
  assert.equal(isGzip(new Uint8Array([0x1f])), false);
  assert.deepEqual([9, 10, 11, 12, 13, 32, 0, 65].map(isSpace), [
    true,
    true,
    true,
    true,
    true,
    true,
    false,
    false,
  ]);
  const bytes = new TextEncoder().encode("xdoc-é-" + "z".repeat(40));
  assert.equal(decodeBytes(bytes, 1, 4), "doc");
  assert.equal(decodeBytes(bytes, 1, bytes.length), "doc-é-" + "z".repeat(40));
  assert.throws(() => decodeBytes(new Uint8Array([0xff, 0xfe]), 0, 2), TypeError);
});

Deno.test("readByteChunks decompresses gzip detected by content", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = "line\n".repeat(1000);
    const gz = new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")));
    await Deno.writeFile(`${dir}/data.bin`, new Uint8Array(await gz.arrayBuffer())); // no .gz name
    let out = "";
    for await (const chunk of readByteChunks(`${dir}/data.bin`)) {
      out += new TextDecoder().decode(chunk);
    }
    assert.equal(out, text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
