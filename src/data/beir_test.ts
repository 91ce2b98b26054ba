/**
 * Tests of the BEIR loaders on the real SciFact rebuild and on malformed fixtures.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { sharedPath } from "../testing/mod.ts";
import {
  countBeirDataset,
  loadBeirSplit,
  readBeirCorpus,
  readBeirQrels,
  readBeirQueries,
} from "./beir.ts";

const scifact = sharedPath("scifact/beir");

async function drain(it: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

Deno.test({
  name: "countBeirDataset gives SciFact's published counts",
  ignore: scifact === undefined,
  fn: async () => {
    const counts = await countBeirDataset(scifact!);
    assert.deepEqual(counts, { documents: 5183, queries: 1109, qrels: { test: 339, train: 919 } });
  },
});

Deno.test({
  name: "loadBeirSplit keeps the judged queries of SciFact test and train",
  ignore: scifact === undefined,
  fn: async () => {
    const test = await loadBeirSplit(scifact!, "test");
    assert.equal(test.documents.length, 5183);
    assert.equal(test.queries.length, 300);
    assert.equal(test.qrels.length, 339);
    assert.deepEqual(test.queries[0], {
      id: "1",
      text: "0-dimensional biomaterials show inductive properties.",
    });
    assert.deepEqual(test.qrels[0], { queryId: "1", docId: "31715818", label: 1 });
    const first = test.documents[0]!;
    assert.equal(first.id, "4983");
    assert.ok(first.title.startsWith("Microstructural development of human newborn"));
    assert.ok(first.text.startsWith("Alterations of the architecture of cerebral white matter"));
    const ids = new Set(test.documents.map((d) => d.id));
    assert.ok(test.qrels.every((j) => ids.has(j.docId)), "every judged doc is in the corpus");
    const train = await loadBeirSplit(scifact!, "train");
    assert.equal(train.queries.length, 809);
    assert.equal(train.qrels.length, 919);
  },
});

async function withFiles(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "qrels"));
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, name), text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function rejectsWith(it: AsyncIterable<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(drain(it), (e: unknown) => {
    assert.ok(e instanceof SyntaxError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("BEIR readers name the file and line of malformed input", async () => {
  await withFiles({
    "corpus.jsonl": '{"_id": "a", "text": "x"}\n{"_id": "b", "text": "y"\n',
    "queries.jsonl": '{"_id": "1", "text": "q"}\n\n{"_id": 2}\n',
    "qrels/test.tsv": "query-id\tcorpus-id\tscore\n1\ta\t1\n1\tb\n",
    "qrels/dev.tsv": "1\ta\tone\n",
  }, async (dir) => {
    await rejectsWith(
      readBeirCorpus(join(dir, "corpus.jsonl")),
      /^Cannot parse corpus line 2 of ".*corpus\.jsonl": invalid JSON/,
    );
    await rejectsWith(
      readBeirQueries(join(dir, "queries.jsonl")),
      /^Cannot parse queries line 3 of ".*queries\.jsonl": expected a string "text", found undefined/,
    );
    await rejectsWith(
      readBeirQrels(join(dir, "qrels/test.tsv")),
      /^Cannot parse qrels line 3 of ".*test\.tsv": expected 3 fields "query-id corpus-id score", found 2/,
    );
    await rejectsWith(
      readBeirQrels(join(dir, "qrels/dev.tsv")),
      /^Cannot parse qrels line 1 of ".*dev\.tsv": expected an integer label, found "one"/,
    );
  });
});

Deno.test("BEIR readers refuse duplicate ids unless told not to check", async () => {
  await withFiles({
    "corpus.jsonl": '{"_id": "a", "title": "t", "text": "x"}\n{"_id": 7, "text": "y"}\n' +
      '{"_id": "a", "text": "z"}\n',
    "qrels/test.tsv": "1\ta\t1\n1\ta\t2\n",
  }, async (dir) => {
    const corpus = join(dir, "corpus.jsonl");
    await rejectsWith(
      readBeirCorpus(corpus),
      /^Cannot load corpus line 3 of ".*corpus\.jsonl": duplicate id "a" \(first at line 1\)$/,
    );
    const docs = [];
    for await (const d of readBeirCorpus(corpus, { checkDuplicates: false })) docs.push(d);
    assert.deepEqual(docs[1], { id: "7", title: "", text: "y" });
    assert.equal(docs.length, 3);
    await rejectsWith(
      readBeirQrels(join(dir, "qrels/test.tsv")),
      /line 2 .*document "a" is judged twice for query "1"/,
    );
  });
});

Deno.test("loadBeirSplit refuses a judged query that has no text", async () => {
  await withFiles({
    "corpus.jsonl": '{"_id": "a", "text": "x"}\n',
    "queries.jsonl": '{"_id": "1", "text": "q"}\n',
    "qrels/test.tsv": "query-id\tcorpus-id\tscore\n1\ta\t1\n9\ta\t1\n",
  }, async (dir) => {
    await assert.rejects(loadBeirSplit(dir, "test"), /query "9" is judged in .* but absent/);
  });
});
