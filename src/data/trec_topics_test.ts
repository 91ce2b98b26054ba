/**
 * Tests of the TREC topic readers on the shared Anserini topic files and on SGML fixtures.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readQrels } from "../eval/mod.ts";
import { sharedPath } from "../testing/mod.ts";
import { readSgmlTopics, readTsvTopics, topicQuery } from "./trec_topics.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const beirTopics = sharedPath("beir-topics-qrels");
const msmarco = sharedPath("msmarco-passage");

Deno.test({
  name: "readTsvTopics reads the gzip BEIR topics with their counts",
  ignore: beirTopics === undefined,
  fn: async () => {
    const expected: Record<string, number> = {
      scifact: 300,
      nfcorpus: 323,
      fiqa: 648,
      arguana: 1406,
    };
    for (const [name, count] of Object.entries(expected)) {
      const path = join(beirTopics!, `topics.beir-v1.0.0-${name}.test.tsv.gz`);
      const queries = await collect(readTsvTopics(path));
      assert.equal(queries.length, count, name);
    }
    const scifact = await collect(
      readTsvTopics(join(beirTopics!, "topics.beir-v1.0.0-scifact.test.tsv.gz")),
    );
    assert.deepEqual(scifact[0], {
      id: "1",
      text: "0-dimensional biomaterials show inductive properties.",
    });
  },
});

Deno.test({
  name: "readTsvTopics reads all 28 BEIR topic files, covering every query their qrels judge",
  ignore: beirTopics === undefined,
  fn: async () => {
    const names = [...Deno.readDirSync(beirTopics!)].map((e) => e.name)
      .filter((n) => n.startsWith("topics.")).sort();
    assert.equal(names.length, 28);
    for (const name of names) {
      const ids = new Set<string>();
      for await (const q of readTsvTopics(join(beirTopics!, name))) ids.add(q.id);
      const qrelsName = name.replace("topics.", "qrels.").replace(".tsv.gz", ".txt");
      const qrels = await readQrels(join(beirTopics!, qrelsName));
      const missing = [...qrels.queries.keys()].filter((id) => !ids.has(id));
      assert.deepEqual(missing, [], name);
    }
  },
});

Deno.test({
  name: "readTsvTopics reads the MS MARCO dev and TREC DL topics with their counts",
  ignore: msmarco === undefined,
  fn: async () => {
    const dev = await collect(
      readTsvTopics(join(msmarco!, "topics.msmarco-passage.dev-subset.txt")),
    );
    assert.equal(dev.length, 6980);
    assert.deepEqual(dev[1], { id: "2", text: " Androgen receptor define" }); // kept verbatim
    assert.equal(
      (await collect(readTsvTopics(join(msmarco!, "topics.dl19-passage.txt")))).length,
      43,
    );
    assert.equal((await collect(readTsvTopics(join(msmarco!, "topics.dl20.txt")))).length, 200);
  },
});

async function inTemp(text: string, fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "topics");
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readTsvTopics reports a missing tab and a duplicate id by line", async () => {
  await inTemp("1\ta\n2 b\n", async (path) => {
    await assert.rejects(
      collect(readTsvTopics(path)),
      /Cannot parse topics line 2 of ".*": expected an id, a tab and a text/,
    );
  });
  await inTemp("1\ta\n\n1\tb\n", async (path) => {
    await assert.rejects(
      collect(readTsvTopics(path)),
      /line 3 .*duplicate id "1" \(first at line 1\)/,
    );
    assert.equal((await collect(readTsvTopics(path, { checkDuplicates: false }))).length, 2);
  });
});

const SGML = `<top>

<num> Number: 301
<title> International Organized Crime

<desc> Description:
Identify organizations that participate in international criminal
activity.

<narr> Narrative:
A relevant document must as a minimum identify the organization.

</top>

<TOP>
<NUM> Number: 302 </NUM>
<TITLE> Topic: Poliomyelitis and Post-Polio </TITLE>
<DESC> Description: Is the disease under control? </DESC>
</TOP>
`;

Deno.test("readSgmlTopics reads classic TREC topics in either case, labels removed", async () => {
  await inTemp(SGML, async (path) => {
    const topics = await collect(readSgmlTopics(path));
    assert.deepEqual(topics, [
      {
        id: "301",
        title: "International Organized Crime",
        description: "Identify organizations that participate in international criminal activity.",
        narrative: "A relevant document must as a minimum identify the organization.",
      },
      {
        id: "302",
        title: "Poliomyelitis and Post-Polio",
        description: "Is the disease under control?",
        narrative: "",
      },
    ]);
    assert.deepEqual(topicQuery(topics[1]!, "title+description"), {
      id: "302",
      text: "Poliomyelitis and Post-Polio Is the disease under control?",
    });
    assert.deepEqual(topicQuery(topics[0]!, "title"), {
      id: "301",
      text: "International Organized Crime",
    });
  });
});

Deno.test("readSgmlTopics reports structural errors with line numbers", async () => {
  const cases: [string, RegExp][] = [
    [
      "<top>\n<num> Number: 1\n<top>\n",
      /line 3 of ".*": expected "<\/top>" before "<top>" \(topic opened at line 1\)/,
    ],
    ["<top>\n<title> x\n</top>\n", /line 1 of ".*": expected "<num>" with a topic number/],
    ["<num> 5\n", /line 1 of ".*": found "<num>" outside "<top>"/],
    ["<top>\n<num> Number: 1\n", /topic opened at line 1 is not closed/],
    ["<top>\nloose\n<num> 1\n</top>\n", /line 2 of ".*": expected a tag, found text "loose"/],
    ["<top><num>1</top>\n<top><num>1</top>\n", /line 2 .*duplicate id "1"/],
  ];
  for (const [text, pattern] of cases) {
    await inTemp(text, async (path) => {
      await assert.rejects(collect(readSgmlTopics(path)), (e: unknown) => {
        assert.ok(e instanceof SyntaxError, String(e));
        assert.match(e.message, pattern);
        return true;
      });
    });
  }
});
