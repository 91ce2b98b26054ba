import assert from "node:assert/strict";
import { answerQrels, answerTokens, evaluateAnswers, hasAnswer } from "./answer_match.ts";
import { parseMeasure } from "./measure.ts";
import { runFromRankings } from "./run.ts";

Deno.test("answerTokens: NFD, lowercase, letter/digit runs and single punctuation tokens", () => {
  assert.deepEqual(answerTokens("The U.S. won 3-2!"), [
    "the",
    "u",
    ".",
    "s",
    ".",
    "won",
    "3",
    "-",
    "2",
    "!",
  ]);
  // NFD splits é into e + combining acute (a mark), which stays inside the token.
  assert.deepEqual(answerTokens("Café"), ["cafe\u0301"]);
  assert.deepEqual(answerTokens("  tab\tand\nnewline "), ["tab", "and", "newline"]);
});

Deno.test("hasAnswer matches token sequences, not substrings", () => {
  assert.equal(hasAnswer("Barack Obama was born in Honolulu.", ["barack obama"]), true);
  assert.equal(hasAnswer("Barack Obama was born in Honolulu.", ["Obama was born"]), true);
  assert.equal(hasAnswer("Honolulu, Hawaii", ["honolulu hawaii"]), false); // the comma is a token
  assert.equal(hasAnswer("The Obamas", ["obama"]), false); // not a whole token
  assert.equal(hasAnswer("café society", ["Cafe\u0301"]), true); // composed vs decomposed
  assert.equal(hasAnswer("anything", ["", "zzz"]), true); // DPR: an empty answer matches
  assert.equal(hasAnswer("anything", []), false);
});

Deno.test("Success@k counts questions with an answer in the top k over all questions", () => {
  const passages = new Map([
    ["p1", "Paris is the capital of France."],
    ["p2", "Berlin is in Germany."],
    ["p3", "The capital of Italy is Rome."],
  ]);
  const run = runFromRankings([
    ["q1", [{ docId: "p2", score: 3 }, { docId: "p1", score: 2 }]], // hit at rank 2
    ["q2", [{ docId: "p3", score: 1 }, { docId: "p1", score: 1 }]], // tie: p3 > p1, hit at rank 1
    ["q9", [{ docId: "p1", score: 1 }]], // no answers: ignored
  ]);
  const answers = new Map([["q1", ["Paris"]], ["q2", ["Rome"]], ["q3", ["Madrid"]]]); // q3 retrieved nothing
  const [at1, at2] = evaluateAnswers(
    run,
    (id) => passages.get(id),
    answers,
    ["Success@1", "Success@2"].map(parseMeasure),
  );
  assert.deepEqual([...at1!.perQuery], [["q1", 0], ["q2", 1], ["q3", 0]]);
  assert.equal(at1!.mean, 1 / 3);
  assert.equal(at2!.mean, 2 / 3);
  const qrels = answerQrels(run, (id) => passages.get(id), answers, 1);
  assert.deepEqual([...qrels.queries.get("q1")!], [["p2", 0]]);
  assert.throws(() => answerQrels(run, () => undefined, answers, 1), TypeError);
  assert.throws(() => answerQrels(run, (id) => passages.get(id), answers, 0), RangeError);
  assert.throws(
    () => evaluateAnswers(run, (id) => passages.get(id), answers, [parseMeasure("nDCG@10")]),
    TypeError,
  );
});
