/**
 * Tests of the DPR loaders on fixtures in the shape of biencoder-nq-*.json and psgs_w100.tsv.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readDprBiencoder, readDprPassages, unquoteTsvField } from "./dpr.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

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

const EXAMPLES = [
  {
    dataset: "nq_train_psgs_w100",
    question: "big little lies season 2 how many episodes",
    answers: ["seven"],
    positive_ctxs: [{
      title: "Big Little Lies (TV series)",
      text: "series garnered several accolades...",
      score: 1000,
      title_score: 1,
      passage_id: "18768923",
    }],
    negative_ctxs: [{
      title: "Cormac McCarthy",
      text: "chores of the house",
      score: 0,
      title_score: 0,
      passage_id: "2145653",
    }],
    hard_negative_ctxs: [{
      title: "Little People, Big World",
      text: "final minutes of the season",
      score: "13.39",
      psg_id: 7,
    }],
  },
  { question: "who sings does he love me with reba", answers: ["Linda Davis"], positive_ctxs: [] },
];

Deno.test("readDprBiencoder streams examples from a pretty-printed array", async () => {
  await inTemp("nq.json", JSON.stringify(EXAMPLES, null, 4), async (path) => {
    const examples = await collect(readDprBiencoder(path));
    assert.equal(examples.length, 2);
    assert.deepEqual(examples[0], {
      index: 0,
      question: "big little lies season 2 how many episodes",
      answers: ["seven"],
      positives: [{
        title: "Big Little Lies (TV series)",
        text: "series garnered several accolades...",
        passageId: "18768923",
        score: 1000,
      }],
      negatives: [{
        title: "Cormac McCarthy",
        text: "chores of the house",
        passageId: "2145653",
        score: 0,
      }],
      hardNegatives: [{
        title: "Little People, Big World",
        text: "final minutes of the season",
        passageId: "7",
        score: 13.39,
      }],
    });
    assert.deepEqual(examples[1], {
      index: 1,
      question: "who sings does he love me with reba",
      answers: ["Linda Davis"],
      positives: [],
      negatives: [],
      hardNegatives: [],
    });
  });
});

Deno.test("readDprBiencoder names the example and line of a malformed element", async () => {
  const cases: [unknown[], RegExp][] = [
    [
      [{ question: 1, positive_ctxs: [] }],
      /DPR example 0 at line 2 of ".*": expected a string "question"/,
    ],
    [
      [EXAMPLES[1], { question: "q" }],
      /DPR example 1 at line 9 of ".*": expected "positive_ctxs" to be an array/,
    ],
    [
      [{ question: "q", positive_ctxs: [{ title: "t" }] }],
      /expected "positive_ctxs"\[0\] to have string "title" and "text"/,
    ],
    [
      [{ question: "q", answers: [1], positive_ctxs: [] }],
      /expected "answers" to be an array of strings/,
    ],
  ];
  for (const [value, pattern] of cases) {
    await inTemp("bad.json", JSON.stringify(value, null, 4), async (path) => {
      await assert.rejects(collect(readDprBiencoder(path)), (e: unknown) => {
        assert.ok(e instanceof SyntaxError, String(e));
        assert.match(e.message, pattern);
        return true;
      });
    });
  }
  await inTemp("trunc.json", JSON.stringify(EXAMPLES, null, 4).slice(0, -20), async (path) => {
    await assert.rejects(collect(readDprBiencoder(path)), /unexpected end of input/);
  });
});

Deno.test("unquoteTsvField undoes Python csv quoting", () => {
  assert.equal(unquoteTsvField('"Aaron ( or ; ""Ahärôn"") is"'), 'Aaron ( or ; "Ahärôn") is');
  assert.equal(unquoteTsvField("plain"), "plain");
  assert.equal(unquoteTsvField('"'), '"');
});

Deno.test("readDprPassages reads psgs_w100.tsv lines after the header", async () => {
  const text = 'id\ttext\ttitle\n1\t"Aaron Aaron ( or ; ""Ahärôn"") is a prophet"\tAaron\n' +
    '2\tGod at Sinai granted Aaron\t"Aaron, brother"\n';
  await inTemp("psgs_w100.tsv", text, async (path) => {
    assert.deepEqual(await collect(readDprPassages(path)), [
      { id: "1", title: "Aaron", text: 'Aaron Aaron ( or ; "Ahärôn") is a prophet' },
      { id: "2", title: "Aaron, brother", text: "God at Sinai granted Aaron" },
    ]);
  });
  await inTemp("psgs.tsv", "1\tx\ty\n", async (path) => {
    await assert.rejects(collect(readDprPassages(path)), /line 1 of ".*": expected the header/);
  });
  await inTemp("psgs.tsv", "id\ttext\ttitle\n1\tx\ty\n2\tx\n", async (path) => {
    await assert.rejects(
      collect(readDprPassages(path)),
      /line 3 of ".*": expected 3 tab-separated fields, found 2/,
    );
  });
  await inTemp("psgs.tsv", "id\ttext\ttitle\n1\tx\ty\n1\tz\ty\n", async (path) => {
    await assert.rejects(collect(readDprPassages(path)), /duplicate id "1" \(first at line 2\)/);
  });
});
