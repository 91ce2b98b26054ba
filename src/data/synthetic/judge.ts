/**
 * Exhaustive relevance judgements of a synthetic corpus, computed from its hidden plan: every
 * document that is relevant to a query by the variant's rule is judged, so qrels are complete.
 *
 * @module
 */

import type { SyntheticVariant } from "./params.ts";
import { type DocPlan, pairKey, type QueryPlan } from "./plan.ts";

/** A judged (document index, grade) pair; grades are 1 or 2, zeros are not listed. */
export interface Judgement {
  readonly doc: number;
  readonly grade: number;
}

/**
 * Judge every document for every query. Rules (by variant):
 * - generic: 2 if the document is about the query's concept pair; 1 if it is about one of the two
 *   concepts and mentions the other in passing; else 0.
 * - msmarco: 1 if the document is about the query's concept pair; else 0.
 * - nq: 1 if the document states the asked fact (same pair, same roles, same relation), which
 *   carries the answer; else 0.
 */
export function judge(
  variant: SyntheticVariant,
  queries: readonly QueryPlan[],
  docs: readonly DocPlan[],
): Judgement[][] {
  const mentions = (d: DocPlan, c: number) => d.a === c || d.b === c || d.sides.includes(c);
  const mentioning = new Map<number, number[]>();
  docs.forEach((d, i) => {
    for (const c of new Set([d.a, d.b, ...d.sides])) {
      const list = mentioning.get(c) ?? [];
      list.push(i);
      mentioning.set(c, list);
    }
  });
  return queries.map((q) => {
    const out: Judgement[] = [];
    const key = pairKey(q.a, q.b);
    for (const i of mentioning.get(q.a) ?? []) {
      const d = docs[i]!;
      const about = pairKey(d.a, d.b) === key;
      const mainHasOne = d.a === q.a || d.b === q.a || d.a === q.b || d.b === q.b;
      let grade = 0;
      switch (variant.kind) {
        case "generic":
          grade = about ? 2 : mainHasOne && mentions(d, q.a) && mentions(d, q.b) ? 1 : 0;
          break;
        case "msmarco":
          grade = about ? 1 : 0;
          break;
        case "nq":
          grade = d.a === q.a && d.b === q.b && d.relation === q.relation ? 1 : 0;
          break;
        default: {
          const never: never = variant;
          throw new TypeError(`Unknown synthetic variant "${JSON.stringify(never)}"`);
        }
      }
      if (grade > 0) out.push({ doc: i, grade });
    }
    return out;
  });
}
