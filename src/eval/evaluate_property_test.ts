/** Property tests of the engine, and its agreement with the plain reference evaluator. */
import assert from "node:assert/strict";
import { evaluate } from "./evaluate.ts";
import { compareEntries } from "./judged_ranks.ts";
import { parseMeasure } from "./measure.ts";
import { parseQrels, type Qrels } from "./qrels.ts";
import { compareRanked } from "./ranking_order.ts";
import { parseRunText, referenceEvaluate } from "../testing/mod.ts";
import { entryDocId, runFromRankings } from "./run.ts";
import { parseRun } from "./run_reader.ts";

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** A random qrels + run pair with heavy score ties, graded/negative labels and id-equal docs. */
function randomCase(seed: number): { qrels: Qrels; lines: string[] } {
  const random = lcg(seed);
  const judgments: string[] = [];
  const lines: string[] = [];
  for (let q = 0; q < 25; q++) {
    const docs = new Set<string>();
    for (let j = 0; j < 1 + Math.floor(random() * 12); j++) {
      docs.add(`d${Math.floor(random() * 80)}`);
    }
    for (const d of docs) judgments.push(`q${q} 0 ${d} ${Math.floor(random() * 5) - 1}`);
    if (q % 7 === 3) continue; // judged but missing from the run
    const retrieved = new Set<string>();
    const depth = Math.floor(random() * 60);
    while (retrieved.size < depth) {
      retrieved.add(random() < 0.02 ? `q${q}` : `d${Math.floor(random() * 80)}`);
    }
    let rank = 0;
    for (const d of retrieved) {
      lines.push(`q${q} Q0 ${d} ${++rank} ${Math.floor(random() * 8) / 4} run`);
    }
  }
  for (let j = 0; j < 10; j++) lines.push(`u${j} Q0 d${j} 1 1 run`); // run queries without judgments
  return { qrels: parseQrels(judgments.join("\n")), lines };
}

const MEASURES = [
  "nDCG@10",
  "nDCG",
  "nDCG@3",
  "RR",
  "RR@10",
  "R@5",
  "R@100",
  "P@1",
  "P@10",
  "AP",
  "AP@5",
  "Judged@5",
  "Success@3",
  "R(rel=2)@20",
  "AP(rel=3)",
  "RR(missing=skip)",
  "nDCG(drop_identical_ids=true)@10",
  "P(rel=2,missing=skip,drop_identical_ids=true)@5",
].map(parseMeasure);

Deno.test("the engine agrees exactly with the plain reference evaluator on random runs", () => {
  for (let seed = 1; seed <= 30; seed++) {
    const { qrels, lines } = randomCase(seed);
    const text = lines.join("\n");
    const fast = evaluate(qrels, parseRun(text), MEASURES);
    const reference = referenceEvaluate(qrels, parseRunText(text), MEASURES);
    fast.forEach((result, i) => {
      const ref = reference[i]!;
      assert.equal(result.mean, ref.mean, `${result.name} seed ${seed}`);
      assert.equal(result.perQuery.size, ref.perQuery.size);
      for (const [id, value] of result.perQuery) {
        assert.equal(value, ref.perQuery.get(id), `${result.name} ${id}`);
      }
    });
  }
});

Deno.test("shuffling run lines changes no value", () => {
  for (let seed = 1; seed <= 10; seed++) {
    const { qrels, lines } = randomCase(seed);
    const random = lcg(seed * 7);
    const shuffled = [...lines];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    assert.deepEqual(
      evaluate(qrels, parseRun(shuffled.join("\n")), MEASURES),
      evaluate(qrels, parseRun(lines.join("\n")), MEASURES),
    );
  }
});

Deno.test("values stay in [0, 1]", () => {
  for (let seed = 1; seed <= 10; seed++) {
    const { qrels, lines } = randomCase(seed);
    for (const result of evaluate(qrels, parseRun(lines.join("\n")), MEASURES)) {
      for (const value of [...result.perQuery.values(), result.mean]) {
        assert.ok(value >= 0 && value <= 1, `${result.name} = ${value}`);
      }
    }
  }
});

Deno.test("a run listing every relevant document first, in label order, is perfect", () => {
  for (let seed = 1; seed <= 10; seed++) {
    const { qrels } = randomCase(seed);
    const rankings: [string, { docId: string; score: number }[]][] = [];
    for (const [q, docs] of qrels.queries) {
      const relevant = [...docs].filter(([, l]) => l >= 1).sort((a, b) => b[1] - a[1]);
      if (relevant.length === 0) continue;
      const list = relevant.map(([docId], i) => ({ docId, score: 100 - i }));
      for (let j = 0; j < 20; j++) list.push({ docId: `filler${j}`, score: 50 - j });
      rankings.push([q, list]);
    }
    const perfect = evaluate(
      qrels,
      runFromRankings(rankings),
      ["nDCG@10", "nDCG", "RR", "AP", "R@20", "R@5"].map(parseMeasure),
    );
    for (const result of perfect) {
      for (const [q, value] of result.perQuery) {
        if (result.missing.includes(q) || !rankings.some(([id]) => id === q)) continue;
        const relevant = [...qrels.queries.get(q)!.values()].filter((l) => l >= 1).length;
        if (result.name === "R@5" && relevant > 5) continue;
        assert.equal(value, 1, `${result.name} ${q}`);
      }
    }
  }
});

Deno.test("the byte-level entry order equals compareRanked on ASCII ids", () => {
  const random = lcg(99);
  const docs = [...Array(300).keys()].map((i) => ({
    docId: `d${Math.floor(random() * 1000)}x${i}`.slice(0, 2 + (i % 5)),
    score: Math.floor(random() * 4),
  }));
  const unique = [...new Map(docs.map((d) => [d.docId, d])).values()];
  const run = runFromRankings([["q", unique]]);
  const entries = [...unique.keys()];
  entries.sort((a, b) => compareEntries(run, a, b));
  assert.deepEqual(
    entries.map((i) => entryDocId(run, i)),
    [...unique].sort(compareRanked).map((d) => d.docId),
  );
});
