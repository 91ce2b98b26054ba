import assert from "node:assert/strict";
import { evaluate, type MeasureResult } from "./evaluate.ts";
import { parseMeasure } from "./measure.ts";
import { parseQrels, type Qrels } from "./qrels.ts";
import { parseRun } from "./run_reader.ts";

// q1 ranks (score desc, ties by id desc): f c b e a d  ->  labels: - 0 1 - 2 -1; z (1) unretrieved.
// q2 has only a non-relevant judgment; q3 is judged but missing from the run; q4 has no judgments.
const QRELS = parseQrels("q1 0 a 2\nq1 0 b 1\nq1 0 c 0\nq1 0 d -1\nq1 0 z 1\nq2 0 x 0\nq3 0 m 1\n");
const RUN = parseRun(
  [
    "q1 a 0.5",
    "q1 b 0.9",
    "q1 c 0.9",
    "q1 e 0.7",
    "q1 d 0.1",
    "q1 f 0.9",
    "q2 x 1",
    "q2 y 0.5",
    "q4 a 1",
  ]
    .map((l, i) => {
      const [q, d, s] = l.split(" ");
      return `${q} Q0 ${d} ${i} ${s} t`;
    }).join("\n"),
);

function values(qrels: Qrels, text: string, run = RUN): MeasureResult {
  return evaluate(qrels, run, [parseMeasure(text)])[0]!;
}

function q1(text: string): number {
  return values(QRELS, text).perQuery.get("q1")!;
}

Deno.test("hand-computed values for one query with ties, graded and negative labels", () => {
  const log2 = Math.log2;
  assert.equal(q1("RR"), 1 / 3);
  assert.equal(q1("RR@2"), 0);
  assert.equal(q1("P@5"), 2 / 5);
  assert.equal(q1("P@10"), 2 / 10);
  assert.equal(q1("R@3"), 1 / 3);
  assert.equal(q1("R@5"), 2 / 3);
  assert.equal(q1("AP"), (1 / 3 + 2 / 5) / 3);
  assert.equal(q1("AP@4"), 1 / 3 / 3);
  assert.equal(q1("nDCG@2"), 0);
  assert.equal(q1("nDCG@5"), (1 / log2(4) + 2 / log2(6)) / (2 + 1 / log2(3) + 1 / log2(4)));
  assert.equal(q1("nDCG"), q1("nDCG@5"));
  assert.equal(q1("Judged@4"), 2 / 4);
  assert.equal(q1("Judged@10"), 4 / 6); // denominator min(k, retrieved)
  assert.equal(q1("Success@3"), 1);
  assert.equal(q1("Success@2"), 0);
  assert.equal(q1("RR(rel=2)"), 1 / 5);
  assert.equal(q1("AP(rel=2)"), 1 / 5);
  assert.equal(q1("R(rel=2)@10"), 1);
  assert.equal(q1("P(rel=3)@5"), 0);
});

Deno.test("a query without relevant judgments scores 0 everywhere except Judged", () => {
  for (const m of ["RR", "AP", "AP@10", "R@10", "P@1", "nDCG@10", "Success@5"]) {
    assert.equal(values(QRELS, m).perQuery.get("q2"), 0, m);
  }
  assert.equal(values(QRELS, "Judged@10").perQuery.get("q2"), 1 / 2);
});

Deno.test("missing queries count 0 by default (trec_eval -c) or are skipped; unjudged run queries are ignored", () => {
  const zero = values(QRELS, "RR");
  assert.deepEqual([...zero.perQuery.keys()], ["q1", "q2", "q3"]);
  assert.deepEqual(zero.missing, ["q3"]);
  assert.equal(zero.perQuery.get("q3"), 0);
  assert.equal(zero.mean, 1 / 3 / 3);
  const skip = values(QRELS, "RR(missing=skip)");
  assert.deepEqual([...skip.perQuery.keys()], ["q1", "q2"]);
  assert.equal(skip.mean, 1 / 3 / 2);
});

Deno.test("drop_identical_ids removes a document whose id equals the query id before ranking", () => {
  const run = parseRun("q1 Q0 q1 1 5 t\nq1 Q0 a 2 1 t\nq1 Q0 b 3 0.5 t\n");
  const qrels = parseQrels("q1 0 a 1\nq1 0 q1 1\n");
  assert.equal(values(qrels, "RR", run).mean, 1);
  assert.equal(values(qrels, "RR(drop_identical_ids=true)", run).mean, 1);
  const qrels2 = parseQrels("q1 0 a 1\n");
  assert.equal(values(qrels2, "RR", run).mean, 1 / 2);
  assert.equal(values(qrels2, "RR(drop_identical_ids=true)", run).mean, 1);
  assert.equal(values(qrels2, "Judged(drop_identical_ids=true)@10", run).mean, 1 / 2);
});

Deno.test("ties are broken by document id descending, byte-wise (d3 > d2 > d10)", () => {
  const run = parseRun("q Q0 d10 1 1 t\nq Q0 d2 2 1 t\nq Q0 d3 3 1 t\n");
  assert.equal(values(parseQrels("q 0 d10 1\n"), "RR", run).mean, 1 / 3);
  assert.equal(values(parseQrels("q 0 d3 1\n"), "RR", run).mean, 1);
});

Deno.test("evaluate refuses a run sharing no query with the qrels", () => {
  assert.throws(() => evaluate(parseQrels("z 0 a 1\n"), RUN, [parseMeasure("AP")]), RangeError);
});
