/**
 * Tests of the chunked byte source: gzip detection, decoding and early exit.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { isGzip, isGzipFile, readByteChunks, readTextChunks } from "./byte_chunks.ts";

Deno.test("isGzipFile looks at the magic bytes, not the name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const gz = join(dir, "no-extension");
    const plain = join(dir, "plain.gz");
    const tiny = join(dir, "tiny");
    await Deno.writeFile(
      gz,
      new Blob(["hello"]).stream().pipeThrough(new CompressionStream("gzip")),
    );
    await Deno.writeTextFile(plain, "hello");
    await Deno.writeTextFile(tiny, "h");
    assert.equal(await isGzipFile(gz), true);
    assert.equal(await isGzipFile(plain), false);
    assert.equal(await isGzipFile(tiny), false);
    let text = "";
    for await (const chunk of readTextChunks(gz)) text += chunk;
    assert.equal(text, "hello");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTextChunks releases the file when the consumer stops early", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "big.txt");
    await Deno.writeTextFile(path, "x".repeat(1 << 20));
    for await (const chunk of readTextChunks(path)) {
      assert.ok(chunk.length > 0);
      break;
    }
    // The test sanitizer fails the test if the file handle leaked.
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTextChunks reports a corrupt gzip file with its path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "corrupt.gz");
    await Deno.writeFile(path, new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    await assert.rejects(
      async () => {
        for await (const _ of readTextChunks(path)) { /* drain */ }
      },
      (e: unknown) => {
        assert.ok(e instanceof SyntaxError);
        assert.match(e.message, /corrupt\.gz" as gzip-compressed UTF-8/);
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("byte helpers: gzip magic", () => {
  assert.equal(isGzip(new Uint8Array([0x1f, 0x8b, 8])), true);
  assert.equal(isGzip(new Uint8Array([0x1f])), false);
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

Deno.test("readByteChunks: a directory, a truncated gzip and a missing file are errors naming the path", async () => {
  const dir = await Deno.makeTempDir();
  const drain = async (path: string) => {
    for await (const _ of readByteChunks(path)) { /* drain */ }
  };
  try {
    await assert.rejects(() => drain(dir), {
      name: "IsADirectory",
      message: `Cannot read "${dir}": it is a directory, not a file`,
    });
    const text = "q1 Q0 d1 1 1.0 t\n".repeat(2000);
    const gz = new Uint8Array(
      await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")))
        .arrayBuffer(),
    );
    const cut = join(dir, "cut.gz");
    await Deno.writeFile(cut, gz.subarray(0, gz.length - 10));
    await assert.rejects(() => drain(cut), (e: unknown) => {
      assert.ok(e instanceof SyntaxError);
      assert.match(
        e.message,
        /^Cannot read ".*cut\.gz" as gzip: the compressed data is truncated or corrupt/,
      );
      return true;
    });
    await assert.rejects(() => drain(join(dir, "absent.txt")), Deno.errors.NotFound);
    // A text reader keeps the OS error class and adds its encoding only to decoding failures.
    await assert.rejects(async () => {
      for await (const _ of readTextChunks(join(dir, "absent.txt"))) { /* drain */ }
    }, Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readByteChunks reads a pipe (not seekable) from its start, plain or gzip", async () => {
  // The child reads its standard input through readByteChunks("-") and echoes the bytes.
  const script = `import { readByteChunks } from ${
    JSON.stringify(new URL("./byte_chunks.ts", import.meta.url).href)
  };
let n = 0; const parts = [];
for await (const c of readByteChunks("-")) { parts.push(c.slice()); n += c.length; }
const all = new Uint8Array(n); let o = 0; for (const p of parts) { all.set(p, o); o += p.length; }
await Deno.stdout.write(all);`;
  const text = "first line\nsecond line\n".repeat(100);
  const plain = new TextEncoder().encode(text);
  const gz = new Uint8Array(
    await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  for (const input of [plain, gz]) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(input);
    await writer.close();
    const output = await child.output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    assert.equal(new TextDecoder().decode(output.stdout), text);
  }
});
