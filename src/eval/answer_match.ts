/**
 * Answer-match evaluation for open-domain QA in the DPR setting (NQ): a passage is a hit when it
 * contains one of the question's answers as a token sequence, with DPR's normalisation; Success@k
 * is then the share of questions with a hit in the top k.
 *
 * Re-implements the behaviour of facebookresearch/DPR `dpr/data/qa_validation.py` `has_answer`
 * (match_type "string") and its `SimpleTokenizer` (`dpr/utils/tokenizers.py`): text and answer
 * are Unicode NFD-normalised, tokenised into runs of letters/digits/marks (`[\p{L}\p{N}\p{M}]+`)
 * or single other non-space, non-control characters (`[^\p{Z}\p{C}]`), lowercased, and the
 * answer's token list must occur contiguously in the passage's. Punctuation is therefore kept
 * as tokens (no article or punctuation stripping: that is DPR's reader exact-match, not the
 * retriever's has_answer). As in DPR, an answer with no tokens matches every passage.
 *
 * @module
 */

import { evaluate, type MeasureResult } from "./evaluate.ts";
import type { Measure } from "./measure.ts";
import { type Judgment, type Qrels, qrelsFromJudgments } from "./qrels.ts";
import { rankedListAt, type Run } from "./run.ts";

const TOKEN = /[\p{L}\p{N}\p{M}]+|[^\p{Z}\p{C}]/gu;

/** DPR SimpleTokenizer tokens of `text` after NFD normalisation, lowercased (uncased words). */
export function answerTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.normalize("NFD").matchAll(TOKEN)) tokens.push(match[0].toLowerCase());
  return tokens;
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** True when `passage` contains one of `answers` (DPR `has_answer`, match_type "string"). */
export function hasAnswer(passage: string, answers: readonly string[]): boolean {
  const tokens = answerTokens(passage);
  return answers.some((answer) => containsSequence(tokens, answerTokens(answer)));
}

/** Looks up a passage's text by document id (undefined when unknown). */
export type PassageText = (docId: string) => string | undefined;

/**
 * Judgments derived from answer matching: for every question, each of its top-`depth` retrieved
 * passages is labelled 1 (contains an answer) or 0. Questions that retrieved nothing are kept
 * with no judgments, so they count 0 under `missing=zero`; run queries without answers are
 * ignored.
 *
 * @throws {RangeError} when depth is not a positive integer
 * @throws {TypeError} when a retrieved passage has no text
 */
export function answerQrels(
  run: Run,
  passageText: PassageText,
  answers: ReadonlyMap<string, readonly string[]>,
  depth: number,
): Qrels {
  if (!Number.isSafeInteger(depth) || depth <= 0) {
    throw new RangeError(`Cannot match answers to depth ${depth}: expected a positive integer`);
  }
  const judgments: Judgment[] = [];
  for (let q = 0; q < run.queryIds.length; q++) {
    const queryId = run.queryIds[q]!;
    const expected = answers.get(queryId);
    if (expected === undefined) continue;
    const answerLists = expected.map(answerTokens);
    for (const { docId } of rankedListAt(run, q).slice(0, depth)) {
      const text = passageText(docId);
      if (text === undefined) {
        throw new TypeError(
          `Cannot match answers for query "${queryId}": passage "${docId}" has no text`,
        );
      }
      const tokens = answerTokens(text);
      const hit = answerLists.some((answer) => containsSequence(tokens, answer));
      judgments.push({ queryId, docId, label: hit ? 1 : 0 });
    }
  }
  return qrelsFromJudgments(judgments, answers.keys());
}

/**
 * Success@k (DPR top-k retrieval accuracy) for every measure, over all questions in `answers`.
 *
 * @throws {TypeError} when a measure is not `Success@k` with the default relevance threshold
 */
export function evaluateAnswers(
  run: Run,
  passageText: PassageText,
  answers: ReadonlyMap<string, readonly string[]>,
  measures: readonly Measure[],
): MeasureResult[] {
  let depth = 1;
  for (const m of measures) {
    if (m.kind !== "Success" || m.cutoff === undefined || m.rel !== 1) {
      throw new TypeError(`Cannot evaluate answers with measure ${m.kind}: expected Success@k`);
    }
    depth = Math.max(depth, m.cutoff);
  }
  return evaluate(answerQrels(run, passageText, answers, depth), run, measures);
}
