import assert from "node:assert/strict";
import { entryDocId, rankedList, runSize } from "./run.ts";
import { parseRun, parseRunChunks, parseScore, readRun } from "./run_reader.ts";

const encoder = new TextEncoder();

Deno.test("parseRun reads 6 whitespace-separated fields, ignores rank, keeps queries apart", () => {
  const run = parseRun(
    "q1 Q0 d1 1 1.5 tag\nq1\tQ0\td2\t9\t2.25\ttag\r\n\n# comment\nq2 Q0 d1 1 -3e2 tag",
  );
  assert.deepEqual(run.queryIds, ["q1", "q2"]);
  assert.equal(runSize(run), 3);
  assert.deepEqual(rankedList(run, "q1"), [{ docId: "d2", score: 2.25 }, {
    docId: "d1",
    score: 1.5,
  }]);
  assert.deepEqual(rankedList(run, "q2"), [{ docId: "d1", score: -300 }]);
  assert.deepEqual(rankedList(run, "absent"), []);
});

Deno.test("parseRun regroups interleaved queries", () => {
  const run = parseRun("a Q0 x 1 1 t\nb Q0 y 1 2 t\na Q0 z 2 3 t\nb Q0 x 2 0 t\n");
  assert.deepEqual(run.queryIds, ["a", "b"]);
  assert.deepEqual(rankedList(run, "a").map((d) => d.docId), ["z", "x"]);
  assert.deepEqual(rankedList(run, "b").map((d) => d.docId), ["y", "x"]);
});

Deno.test("chunk boundaries anywhere give the same run", () => {
  const text = "q1 Q0 doc-1 1 0.5 t\nq1 Q0 doc-22 2 0.25 t\nq2 Q0 é 1 7 t\nq2 Q0 doc-3 2 6 t";
  const bytes = encoder.encode(text);
  const whole = parseRun(bytes);
  for (let size = 1; size < 12; size++) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
    assert.deepEqual(parseRunChunks(chunks), whole, `chunk size ${size}`);
  }
  assert.equal(entryDocId(whole, 2), "é");
});

Deno.test("malformed run lines name source, line, expected and found", () => {
  assert.throws(
    () => parseRun("q1 Q0 d1 1 1.0 t\nq1 Q0 d2 2 1.0\n", { source: "r.txt" }),
    {
      name: "SyntaxError",
      message:
        `Cannot parse run line 2 of "r.txt": expected 6 fields "qid Q0 docid rank score tag", found 5`,
    },
  );
  assert.throws(
    () => parseRun("q1 Q0 d1 1 high t\n"),
    /line 1 .*expected a numeric score in field 5, found "high"/,
  );
  assert.throws(() => parseRun("q1 Q0 d1 1 NaN t\n"), /numeric score/);
  assert.throws(
    () => parseRun("q1 Q0 d1 1 1 t\nq2 Q0 d1 1 1 t\n\nq1 Q0 d1 2 0.5 t\n", { source: "r.txt" }),
    {
      name: "SyntaxError",
      message:
        `Cannot parse run line 4 of "r.txt": document "d1" is listed twice for query "q1" (first on line 1)`,
    },
  );
  assert.throws(() => parseRun("", { source: "e.txt" }), {
    name: "SyntaxError",
    message: `Cannot read run "e.txt": no result lines found (empty file)`,
  });
  assert.throws(() => parseRun("\n\n# nothing\n"), /no result lines/);
});

Deno.test("parseScore returns the same double as Number (strtod) for decimal scores", () => {
  let state = 987654321;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  const samples = [
    "0",
    "-0.0",
    "1.",
    ".5",
    "+2.5",
    "9.931469",
    "0.000001",
    "123456789012345",
    "1234567890123456789",
    "0.1234567890123456789",
    "1e5",
    "-2.5E-3",
    "1e400",
    "Infinity",
  ];
  for (let i = 0; i < 2000; i++) {
    const digits = String(next()).slice(0, 1 + (next() % 10));
    const point = next() % (digits.length + 1);
    samples.push(`${next() % 2 ? "-" : ""}${digits.slice(0, point)}.${digits.slice(point)}`);
  }
  for (const text of samples) {
    const bytes = encoder.encode(text);
    assert.ok(Object.is(parseScore(bytes, 0, bytes.length), Number(text)), text);
  }
  for (const bad of ["", "-", ".", "1.2.3", "0x10", "abc", "1e"]) {
    const bytes = encoder.encode(bad);
    assert.ok(Number.isNaN(parseScore(bytes, 0, bytes.length)), bad);
  }
});

Deno.test("readRun reads plain and gzip files identically", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines: string[] = [];
    for (let q = 0; q < 50; q++) {
      for (let d = 0; d < 200; d++) {
        lines.push(`q${q} Q0 doc${d * 7919 % 1000} ${d + 1} ${(d * 0.37) % 5} run`);
      }
    }
    const text = lines.join("\n") + "\n";
    await Deno.writeTextFile(`${dir}/r.txt`, text);
    const gz = new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")));
    await Deno.writeFile(`${dir}/r.gz`, new Uint8Array(await gz.arrayBuffer()));
    const plain = await readRun(`${dir}/r.txt`);
    assert.equal(runSize(plain), 10_000);
    assert.deepEqual(await readRun(`${dir}/r.gz`), plain);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run line's fields after the 6th are ignored, as trec_eval ignores them", () => {
  const extra = parseRun("q1 Q0 d1 1 1.0 t extra\nq1 Q0 d2 2 0.5 t a b c\n");
  assert.deepEqual(extra, parseRun("q1 Q0 d1 1 1.0 t\nq1 Q0 d2 2 0.5 t\n"));
  // Fewer than 6 is still an error.
  assert.throws(() => parseRun("q1 Q0 d1 1 1.0\n"), /line 1 .*expected 6 fields.*found 5/);
});

Deno.test("a run starting with a UTF-8 byte-order mark is refused naming file, line 1 and the fix", async () => {
  const bom = "\uFEFF";
  assert.throws(() => parseRun(`${bom}q1 Q0 d1 1 1.0 t\n`, { source: "r.txt" }), (error) => {
    assert.ok(error instanceof SyntaxError);
    assert.match(
      error.message,
      /^Cannot parse run line 1 of "r\.txt": expected an id, found a UTF-8 byte-order mark/,
    );
    assert.ok(error.message.includes(String.raw`sed -i '1s/^\xEF\xBB\xBF//' "r.txt"`));
    return true;
  });
  // Split across chunks and read from a file (plain and gzip) as well.
  const bytes = new TextEncoder().encode(`${bom}q1 Q0 d1 1 1.0 t\n`);
  assert.throws(() => parseRunChunks([bytes.subarray(0, 1), bytes.subarray(1)]), /byte-order mark/);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/r.txt`, bytes);
    await assert.rejects(() => readRun(`${dir}/r.txt`), /line 1 of ".*r\.txt": .*byte-order mark/);
    const gz = new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")));
    await Deno.writeFile(`${dir}/r.gz`, new Uint8Array(await gz.arrayBuffer()));
    await assert.rejects(() => readRun(`${dir}/r.gz`), /line 1 of ".*r\.gz": .*byte-order mark/);
    // A mark anywhere else is part of an id, as for trec_eval (not refused).
    assert.equal(runSize(parseRun(`q1 Q0 d1 1 1.0 t\n${bom}q2 Q0 d1 1 1.0 t\n`)), 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
