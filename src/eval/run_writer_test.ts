import assert from "node:assert/strict";
import { evaluate } from "./evaluate.ts";
import { parseMeasure } from "./measure.ts";
import { parseQrels } from "./qrels.ts";
import { rankings, runFromRankings } from "./run.ts";
import { parseRun, readRun } from "./run_reader.ts";
import { formatRun, formatScore, writeRun } from "./run_writer.ts";

function randomRun(seed: number) {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
  const lists: [string, { docId: string; score: number }[]][] = [];
  for (let q = 0; q < 20; q++) {
    const docs = new Map<string, number>();
    while (docs.size < 60) {
      // scores near each other, some tied, some needing 17 digits
      const score = next() < 0.3 ? Math.round(next() * 4) / 4 : 1 + next() * 1e-12;
      docs.set(`d${Math.floor(next() * 200)}`, score);
    }
    lists.push([`q${q}`, [...docs].map(([docId, score]) => ({ docId, score }))]);
  }
  return runFromRankings(lists);
}

Deno.test("formatRun writes ranked lines with exact shortest scores", () => {
  const run = runFromRankings([["q1", [{ docId: "a", score: 0.1 }, { docId: "b", score: 1 / 3 }, {
    docId: "c",
    score: 0.1,
  }]]]);
  assert.equal(
    formatRun(run, { tag: "x" }),
    "q1 Q0 b 1 0.3333333333333333 x\nq1 Q0 c 2 0.1 x\nq1 Q0 a 3 0.1 x\n",
  );
  assert.throws(() => formatScore(NaN), RangeError);
  assert.throws(() => formatRun(run, { tag: "two words" }), SyntaxError);
});

Deno.test("a round trip through the run writer reproduces every ranking and every value", async () => {
  const run = randomRun(42);
  const back = parseRun(formatRun(run));
  assert.deepEqual([...rankings(back)], [...rankings(run)]);
  const qrels = parseQrels(
    [...Array(20).keys()].map((q) => `q${q} 0 d${q * 7 % 200} ${1 + (q % 3)}\nq${q} 0 e${q} 1`)
      .join("\n"),
  );
  const measures = ["nDCG@10", "RR@10", "AP", "R@50", "P@5"].map(parseMeasure);
  assert.deepEqual(evaluate(qrels, back, measures), evaluate(qrels, run, measures));
  const dir = await Deno.makeTempDir();
  try {
    await writeRun(`${dir}/run.txt`, run, { tag: "rt" });
    assert.deepEqual([...rankings(await readRun(`${dir}/run.txt`))], [...rankings(run)]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
