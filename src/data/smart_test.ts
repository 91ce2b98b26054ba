/**
 * Tests of the SMART / Cranfield loaders on the real collection and on malformed fixtures.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { sharedPath } from "../testing/mod.ts";
import {
  countCranfield,
  cranfieldPaths,
  readCranfieldDocuments,
  readCranfieldQrels,
  readCranfieldQueries,
  readSmartRecords,
} from "./smart.ts";

const cranfield = sharedPath("cranfield");

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

Deno.test({
  name: "countCranfield gives 1,400 docs, 225 queries and 1,837 qrels lines",
  ignore: cranfield === undefined,
  fn: async () => {
    assert.deepEqual(await countCranfield(cranfield!), {
      documents: 1400,
      queries: 225,
      qrels: { all: 1837 },
    });
  },
});

Deno.test({
  name: "Cranfield records: CRLF stripped, empty docs 471 and 995, queries numbered by position",
  ignore: cranfield === undefined,
  fn: async () => {
    const paths = cranfieldPaths(cranfield!);
    const docs = await collect(readCranfieldDocuments(paths.documents));
    assert.deepEqual(docs.map((d) => d.id), Array.from({ length: 1400 }, (_, i) => `${i + 1}`));
    assert.equal(
      docs[0]!.title,
      "experimental investigation of the aerodynamics of a wing in a slipstream .",
    );
    assert.ok(docs[0]!.text.endsWith("made for the specific configuration of the experiment ."));
    assert.ok(docs.every((d) => !d.text.includes("\r") && !d.title.includes("\r")));
    assert.equal(docs[470]!.text, "");
    assert.equal(docs[994]!.text, "");
    // Doc 240's stray ".A" / ".B" lines stay in its text instead of replacing its author.
    const doc240 = docs[239]!;
    assert.ok(doc240.text.includes("application to turbulent separations is made"));
    const queries = await collect(readCranfieldQueries(paths.queries));
    assert.deepEqual(queries[2], {
      id: "3",
      smartId: "004",
      text: "what problems of heat conduction in composite slabs have been solved so far .",
    });
    assert.equal(queries[224]!.smartId, "365");
    const graded = await collect(readCranfieldQrels(paths.qrels));
    assert.equal(graded.length, 1837 - 225); // the 225 code -1 lines are dropped
    assert.deepEqual(graded[0], { queryId: "1", docId: "184", label: 3 }); // code 2
    assert.ok(graded.every((j) => j.label >= 1 && j.label <= 4));
    const qids = new Set(queries.map((q) => q.id));
    const dids = new Set(docs.map((d) => d.id));
    assert.ok(graded.every((j) => qids.has(j.queryId) && dids.has(j.docId)));
    const raw = await collect(readCranfieldQrels(paths.qrels, "raw"));
    assert.equal(raw.filter((j) => j.label === -1).length, 225);
  },
});

async function inTemp(name: string, text: string, fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, name);
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readSmartRecords reports malformed input with line numbers", async () => {
  const cases: [string, RegExp][] = [
    ["stray text\n.I 1\n.W\nx\n", /line 1 of ".*": expected a field marker/],
    [".W\nx\n", /line 1 of ".*": expected "\.I" before "\.W"/],
    [".I 1\n.W\na\n.I\n.W\nb\n", /line 4 of ".*": expected "\.I <id>"/],
    [
      ".I 1\n.W\na\n.I 1\n.W\nb\n",
      /Cannot load SMART line 4 of ".*": duplicate id "1" \(first at line 1\)/,
    ],
  ];
  for (const [text, pattern] of cases) {
    await inTemp("bad.smart", text, async (path) => {
      await assert.rejects(collect(readSmartRecords(path)), (e: unknown) => {
        assert.ok(e instanceof SyntaxError);
        assert.match(e.message, pattern);
        return true;
      });
    });
  }
});

Deno.test("readCranfieldQrels refuses unknown codes and wrong field counts", async () => {
  await inTemp("qrels", "1 2 3\r\n1 3 5\r\n", async (path) => {
    await assert.rejects(
      collect(readCranfieldQrels(path)),
      /line 2 of ".*": expected a code in -1, 1\.\.4, found "5"/,
    );
  });
  await inTemp("qrels", "1 2 3\n\n1 3\n", async (path) => {
    await assert.rejects(collect(readCranfieldQrels(path)), /line 3 of ".*": expected 3 fields/);
  });
});
