import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { join } from "node:path";
import { unpackFile } from "./unpack.ts";
import { memberPath } from "./bytes.ts";

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** A source tree with a nested folder, a > 100-byte path (GNU long name) and a multi-block file. */
async function makeTree(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const long = `scifact/${"very-long-folder-name-".repeat(6)}/corpus.jsonl`;
  const big = new Uint8Array(700_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 9)) & 0xff;
  files.set("scifact/corpus.jsonl", new TextEncoder().encode('{"_id":"d1"}\n{"_id":"d2"}\n'));
  files.set(
    "scifact/qrels/test.tsv",
    new TextEncoder().encode("query-id\tcorpus-id\tscore\nq\td1\t1\n"),
  );
  files.set(long, new TextEncoder().encode("long name\n"));
  files.set("scifact/big.bin", big);
  files.set("scifact/empty.txt", new Uint8Array());
  for (const [name, bytes] of files) {
    await Deno.mkdir(join(dir, name, ".."), { recursive: true });
    await Deno.writeFile(join(dir, name), bytes);
  }
  return files;
}

async function assertTree(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  for (const [name, bytes] of files) {
    assert.deepEqual(await Deno.readFile(join(dir, name)), bytes, name);
  }
}

Deno.test("unpackFile extracts a GNU tar.gz made by the system tar (long names, 512-byte padding)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = join(dir, "src");
    const files = await makeTree(src);
    await run("tar", ["--format=gnu", "-czf", join(dir, "a.tar.gz"), "scifact"], src);
    const out = join(dir, "out");
    const entries: string[] = [];
    await unpackFile(join(dir, "a.tar.gz"), out, {
      kind: "tar.gz",
      name: "a.tar.gz",
      consume: false,
      onEntry: (e) => entries.push(e),
    });
    await assertTree(out, files);
    assert.equal(entries.length, files.size);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unpackFile extracts a pax tar.gz made by the system tar", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = join(dir, "src");
    const files = await makeTree(src);
    await run("tar", ["--format=pax", "-czf", join(dir, "a.tar.gz"), "scifact"], src);
    await unpackFile(join(dir, "a.tar.gz"), join(dir, "out"), {
      kind: "tar.gz",
      name: "a.tar.gz",
      consume: false,
    });
    await assertTree(join(dir, "out"), files);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unpackFile extracts zips made by the system zip and by fflate", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = join(dir, "src");
    const files = await makeTree(src);
    await run("zip", ["-r", "-q", join(dir, "a.zip"), "scifact"], src);
    await unpackFile(join(dir, "a.zip"), join(dir, "out1"), {
      kind: "zip",
      name: "a.zip",
      consume: false,
    });
    await assertTree(join(dir, "out1"), files);

    const stored: Record<string, Uint8Array> = {};
    for (const [name, bytes] of files) stored[name] = bytes;
    await Deno.writeFile(join(dir, "b.zip"), zipSync(stored, { level: 6 }));
    await unpackFile(join(dir, "b.zip"), join(dir, "out2"), {
      kind: "zip",
      name: "b.zip",
      consume: false,
    });
    await assertTree(join(dir, "out2"), files);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unpackFile gunzips a gz file to its name without .gz, and copies or moves a plain file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = "1\tfirst query\n2\tsecond query\n".repeat(5000);
    await Deno.writeTextFile(join(dir, "queries.tsv"), text);
    await run("gzip", ["-k", "queries.tsv"], dir);
    await unpackFile(join(dir, "queries.tsv.gz"), join(dir, "out"), {
      kind: "gz",
      name: "queries.tsv.gz",
      consume: false,
    });
    assert.equal(await Deno.readTextFile(join(dir, "out", "queries.tsv")), text);

    await unpackFile(join(dir, "queries.tsv"), join(dir, "copy"), {
      kind: "none",
      name: "qrels.txt",
      consume: false,
    });
    assert.equal(await Deno.readTextFile(join(dir, "copy", "qrels.txt")), text);
    assert.equal(await Deno.readTextFile(join(dir, "queries.tsv")), text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unpackFile refuses a zip member that escapes the destination (zip slip)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(
      join(dir, "evil.zip"),
      zipSync({ "../evil.txt": new TextEncoder().encode("x") }),
    );
    await assert.rejects(
      () =>
        unpackFile(join(dir, "evil.zip"), join(dir, "out"), {
          kind: "zip",
          name: "evil.zip",
          consume: false,
        }),
      (e: unknown) =>
        e instanceof SyntaxError && e.message.includes('unsafe member path "../evil.txt"'),
    );
    await assert.rejects(Deno.stat(join(dir, "evil.txt")), Deno.errors.NotFound);
    assert.throws(() => memberPath("/d", "/etc/passwd", "a.tar"), SyntaxError);
    assert.throws(() => memberPath("/d", "a\\..\\b", "a.tar"), SyntaxError);
    assert.equal(memberPath("/d", "./a//b/", "a.tar"), "/d/a/b");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupted tar header is a SyntaxError naming the offset", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = join(dir, "src");
    await makeTree(src);
    await run("tar", ["--format=gnu", "-cf", join(dir, "a.tar"), "scifact"], src);
    const bytes = await Deno.readFile(join(dir, "a.tar"));
    bytes[10] = bytes[10]! ^ 0x20; // inside the first header's name field
    await Deno.writeFile(join(dir, "a.tar"), bytes);
    await run("gzip", ["a.tar"], dir);
    await assert.rejects(
      () =>
        unpackFile(join(dir, "a.tar.gz"), join(dir, "out"), {
          kind: "tar.gz",
          name: "a.tar.gz",
          consume: false,
        }),
      (e: unknown) => e instanceof SyntaxError && /checksum mismatch at offset 0/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
