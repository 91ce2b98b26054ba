import assert from "node:assert/strict";
import { parseQrels, qrelsFromJudgments, readJudgments, readQrels } from "./qrels.ts";

Deno.test("TREC qrels: 4 whitespace-separated columns, 0 or Q0 iter, graded and negative labels", () => {
  const qrels = parseQrels("q1 0 d1 1\nq1\tQ0\td2\t2\n\n# comment\nq2 0 d3 -1\r\nq3 0 d4 0\n");
  assert.deepEqual([...qrels.queries.keys()], ["q1", "q2", "q3"]);
  assert.deepEqual([...qrels.queries.get("q1")!], [["d1", 1], ["d2", 2]]);
  assert.equal(qrels.queries.get("q2")!.get("d3"), -1);
});

Deno.test("BEIR qrels: header and 3 tab-separated columns, detected automatically", () => {
  const text = "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\n";
  const auto = parseQrels(text);
  assert.deepEqual(auto, parseQrels(text, { format: "beir" }));
  assert.deepEqual(
    auto,
    qrelsFromJudgments([
      { queryId: "q1", docId: "d1", label: 1 },
      { queryId: "q1", docId: "d2", label: 0 },
    ]),
  );
});

Deno.test("malformed qrels lines name file, line, expected and found", () => {
  assert.throws(
    () => parseQrels("q1 0 d1 1\nq1 0 d2\n", { source: "x.txt" }),
    {
      name: "SyntaxError",
      message:
        `Cannot parse qrels line 2 of "x.txt": expected 4 fields "qid iter docid label", found 3`,
    },
  );
  assert.throws(
    () => parseQrels("q1 0 d1 high\n"),
    /line 1 .*expected an integer label, found "high"/,
  );
  assert.throws(() => parseQrels("q1 d1\n"), /expected 3 BEIR fields .* or 4 TREC fields/);
  assert.throws(
    () => parseQrels("query-id corpus-id\n", { format: "beir" }),
    /expected the BEIR header/,
  );
  assert.throws(
    () => parseQrels("query-id\tcorpus-id\tscore\nq1\td1\n"),
    /line 2 .*expected 3 fields/,
  );
  assert.throws(
    () => parseQrels("q1 0 d1 1\nq1 0 d1 2\n"),
    /line 2 .*"d1" is judged twice for query "q1"/,
  );
  assert.throws(() => parseQrels("", { source: "e.txt" }), {
    name: "SyntaxError",
    message: `Cannot read qrels "e.txt": no judgments found (empty file)`,
  });
  assert.throws(() => parseQrels("\n# only a comment\n"), /no judgments found/);
});

Deno.test("readQrels reads plain and gzip files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = "q1 0 d1 1\nq2 0 d2 3\n";
    await Deno.writeTextFile(`${dir}/q.txt`, text);
    const gz = new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")));
    await Deno.writeFile(`${dir}/q.txt.gz`, new Uint8Array(await gz.arrayBuffer()));
    assert.deepEqual(await readQrels(`${dir}/q.txt.gz`), await readQrels(`${dir}/q.txt`));
    await assert.rejects(() => readQrels(`${dir}/absent.txt`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("BEIR qrels without header, split on any whitespace, signed labels", () => {
  const expected = qrelsFromJudgments([
    { queryId: "q1", docId: "d1", label: 1 },
    { queryId: "q1", docId: "d2", label: -1 },
    { queryId: "q2", docId: "d3", label: 2 },
  ]);
  assert.deepEqual(parseQrels("q1\td1\t1\nq1 d2  -1\n\nq2\t d3 +2\r\n"), expected);
  assert.deepEqual(parseQrels("q1 d1 1\nq1 d2 -1\nq2 d3 2\n", { format: "beir" }), expected);
});

Deno.test("readJudgments streams judgments in file order, gzip or plain", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/q.tsv`, "query-id\tcorpus-id\tscore\nq1\td1\t1\nq0\td2\t0\n");
    const got = [];
    for await (const j of readJudgments(`${dir}/q.tsv`)) got.push(j);
    assert.deepEqual(got, [
      { queryId: "q1", docId: "d1", label: 1 },
      { queryId: "q0", docId: "d2", label: 0 },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("qrels starting with a UTF-8 byte-order mark are refused naming file, line 1 and the fix", async () => {
  for (const text of ["\uFEFFq1 0 d1 1\n", "\uFEFFquery-id\tcorpus-id\tscore\nq1\td1\t1\n"]) {
    assert.throws(() => parseQrels(text, { source: "q.txt" }), {
      name: "SyntaxError",
      message:
        /^Cannot parse qrels line 1 of "q\.txt": expected an id, found a UTF-8 byte-order mark .*sed -i/,
    });
  }
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/q.txt`, "\uFEFFq1 0 d1 1\n");
    await assert.rejects(
      () => readQrels(`${dir}/q.txt`),
      /line 1 of ".*q\.txt": .*byte-order mark/,
    );
    await assert.rejects(async () => {
      for await (const _ of readJudgments(`${dir}/q.txt`)) { /* drain */ }
    }, /byte-order mark/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
