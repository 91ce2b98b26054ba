/**
 * Acceptance: every per-query and aggregate value equals trec_eval 10.0's printed output on the
 * shared metric oracle (SciFact BM25 run with score ties; the hand-checkable tiny case).
 */
import assert from "node:assert/strict";
import { sharedPath } from "../testing/mod.ts";
import {
  evaluate,
  formatFixed,
  type MeasureResult,
  parseMeasure,
  readQrels,
  readRun,
} from "./mod.ts";

const oracle = sharedPath("metric-oracle");
const scifactQrels = sharedPath("scifact/qrels.beir-v1.0.0-scifact.test.txt");
const beirQrels = sharedPath("scifact/beir/qrels/test.tsv");

/** trec_eval measure name -> the suite's canonical measure. */
const NAMES: Readonly<Record<string, string>> = {
  ndcg_cut_10: "nDCG@10",
  recall_100: "R@100",
  recall_1000: "R@1000",
  map: "AP",
};

/** Parse `trec_eval -q` output into "measure qid" -> printed value. */
async function readTrecEval(
  path: string,
  names: Readonly<Record<string, string>>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const line of (await Deno.readTextFile(path)).split("\n")) {
    if (line.trim() === "") continue;
    const [name = "", qid = "", value = ""] = line.split("\t").map((f) => f.trim());
    const ours = names[name];
    assert.ok(ours !== undefined, `unexpected trec_eval measure ${name}`);
    out.set(`${ours} ${qid}`, value);
  }
  return out;
}

function printed(results: readonly MeasureResult[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of results) {
    for (const [qid, value] of r.perQuery) out.set(`${r.name} ${qid}`, formatFixed(value, 4));
    out.set(`${r.name} all`, formatFixed(r.mean, 4));
  }
  return out;
}

function assertSameLines(actual: Map<string, string>, expected: Map<string, string>): void {
  const mismatches: string[] = [];
  for (const [key, value] of expected) {
    if (actual.get(key) !== value) {
      mismatches.push(`${key}: trec_eval ${value}, ours ${actual.get(key)}`);
    }
  }
  assert.deepEqual(mismatches, []);
  assert.equal(actual.size, expected.size);
}

Deno.test({
  name: "SciFact BM25: nDCG@10, R@100, R@1000, AP equal trec_eval -q -c on all 300 queries",
  ignore: oracle === undefined || scifactQrels === undefined,
  fn: async () => {
    const qrels = await readQrels(scifactQrels!);
    const run = await readRun(`${oracle}/run.scifact-bm25.top1000.txt.gz`);
    const expected = await readTrecEval(
      `${oracle}/trec_eval.scifact-bm25.ndcg10-recall-map.txt`,
      NAMES,
    );
    const results = evaluate(qrels, run, ["nDCG@10", "R@100", "R@1000", "AP"].map(parseMeasure));
    assert.equal(results[0]!.perQuery.size, 300);
    assertSameLines(printed(results), expected);
    // Query 1395: AP is exactly 1/32, a binary tie that %.4f rounds to even.
    assert.equal(results[3]!.perQuery.get("1395"), 0.03125);
    assert.equal(expected.get("AP 1395"), "0.0312");
  },
});

Deno.test({
  name: "SciFact BM25: RR@10 equals trec_eval -q -c -M 10 -m recip_rank",
  ignore: oracle === undefined || scifactQrels === undefined,
  fn: async () => {
    const qrels = await readQrels(scifactQrels!);
    const run = await readRun(`${oracle}/run.scifact-bm25.top1000.txt.gz`);
    const expected = await readTrecEval(`${oracle}/trec_eval.scifact-bm25.mrr10.txt`, {
      recip_rank: "RR@10",
    });
    assertSameLines(printed(evaluate(qrels, run, [parseMeasure("RR@10")])), expected);
  },
});

Deno.test({
  name: "SciFact qrels read through the BEIR reader give identical results",
  ignore: oracle === undefined || scifactQrels === undefined || beirQrels === undefined,
  fn: async () => {
    const trec = await readQrels(scifactQrels!);
    const beir = await readQrels(beirQrels!, { format: "beir" });
    const auto = await readQrels(beirQrels!);
    assert.deepEqual(beir, trec);
    assert.deepEqual(auto, trec);
    const run = await readRun(`${oracle}/run.scifact-bm25.top1000.txt.gz`);
    const measures = ["nDCG@10", "R@100", "R@1000", "AP", "RR@10", "P@5", "Judged@10"].map(
      parseMeasure,
    );
    assert.deepEqual(evaluate(beir, run, measures), evaluate(trec, run, measures));
  },
});

Deno.test({
  name: "tiny oracle: every value equals trec_eval, with and without -M 10",
  ignore: oracle === undefined,
  fn: async () => {
    const qrels = await readQrels(`${oracle}/tiny.qrels.txt`);
    const run = await readRun(`${oracle}/tiny.run.txt`);
    const full = await readTrecEval(`${oracle}/trec_eval.tiny.full.txt`, {
      ...NAMES,
      recip_rank: "RR",
    });
    assertSameLines(
      printed(evaluate(qrels, run, ["AP", "RR", "R@100", "R@1000", "nDCG@10"].map(parseMeasure))),
      full,
    );
    const mrr = await readTrecEval(`${oracle}/trec_eval.tiny.mrr10.txt`, { recip_rank: "RR@10" });
    assertSameLines(printed(evaluate(qrels, run, [parseMeasure("RR@10")])), mrr);
  },
});
