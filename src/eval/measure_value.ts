/**
 * One measure's value for one query, from the query's judged ranks and its judgments, with
 * trec_eval's arithmetic (same operations in the same order, so doubles agree bit for bit up to
 * the platform's log2).
 *
 * @module
 */

import type { JudgedRanks } from "./judged_ranks.ts";
import type { Measure } from "./measure.ts";

/** What a query's judgments contribute independently of the run. */
export interface QueryJudgments {
  /** Positive labels sorted descending: the ideal ranking's gains (trec_eval rel_levels). */
  readonly idealGains: readonly number[];
  /** All labels (any sign), for counting relevant documents at a threshold. */
  readonly labels: readonly number[];
}

/** Build {@linkcode QueryJudgments} from a query's document -> label map. */
export function queryJudgments(docs: ReadonlyMap<string, number>): QueryJudgments {
  const labels = [...docs.values()];
  const idealGains = labels.filter((l) => l > 0).sort((a, b) => b - a);
  return { idealGains, labels };
}

function countRelevant(labels: readonly number[], rel: number): number {
  let n = 0;
  for (const l of labels) if (l >= rel) n++;
  return n;
}

/**
 * The value of measure `m` for one query.
 *
 * Definitions (k = cutoff, or the whole ranking when absent; rel = threshold):
 * - nDCG: sum over ranks r <= k of label / log2(r + 1) for labels > 0, divided by the same sum
 *   over the ideal ordering of all judged positive labels (trec_eval m_ndcg_cut.c; 0 when the
 *   query has no positive label).
 * - RR: 1 / rank of the first relevant document within rank k (m_recip_rank.c with -M k).
 * - R: relevant in top k / relevant judged (m_recall.c; 0 when none relevant).
 * - P: relevant in top k / k (m_P.c).
 * - AP: sum of precision at each relevant rank <= k, divided by relevant judged (m_map.c,
 *   m_map_cut.c).
 * - Judged: judged (any label) in top k / min(k, retrieved) (ir_measures judged provider; it
 *   breaks score ties by id ascending, this suite by trec_eval's id descending everywhere).
 * - Success: 1 when a relevant document is within rank k (m_success.c).
 */
export function measureValue(m: Measure, ranked: JudgedRanks, judgments: QueryJudgments): number {
  const k = m.cutoff ?? Infinity;
  const { ranks, labels } = ranked;
  const rel = m.rel;
  switch (m.kind) {
    case "nDCG": {
      let dcg = 0;
      for (let t = 0; t < ranks.length && ranks[t]! <= k; t++) {
        const gain = labels[t]!;
        if (gain > 0) dcg += gain / Math.log2(ranks[t]! + 1);
      }
      let ideal = 0;
      const gains = judgments.idealGains;
      for (let i = 0; i < gains.length && i < k; i++) ideal += gains[i]! / Math.log2(i + 2);
      return ideal > 0 ? dcg / ideal : dcg;
    }
    case "RR": {
      for (let t = 0; t < ranks.length && ranks[t]! <= k; t++) {
        if (labels[t]! >= rel) return 1 / ranks[t]!;
      }
      return 0;
    }
    case "R": {
      const relevant = countRelevant(judgments.labels, rel);
      if (relevant === 0) return 0;
      let found = 0;
      for (let t = 0; t < ranks.length && ranks[t]! <= k; t++) if (labels[t]! >= rel) found++;
      return found / relevant;
    }
    case "P": {
      let found = 0;
      for (let t = 0; t < ranks.length && ranks[t]! <= k; t++) if (labels[t]! >= rel) found++;
      return found / k;
    }
    case "AP": {
      const relevant = countRelevant(judgments.labels, rel);
      if (relevant === 0) return 0;
      let found = 0;
      let sum = 0;
      for (let t = 0; t < ranks.length && ranks[t]! <= k; t++) {
        if (labels[t]! >= rel) {
          found++;
          sum += found / ranks[t]!;
        }
      }
      return found === 0 ? 0 : sum / relevant;
    }
    case "Judged": {
      const denominator = Math.min(k, ranked.retrieved);
      if (denominator === 0) return 0;
      let found = 0;
      for (let t = 0; t < ranks.length && ranks[t]! <= k; t++) found++;
      return found / denominator;
    }
    case "Success": {
      for (let t = 0; t < ranks.length && ranks[t]! <= k; t++) if (labels[t]! >= rel) return 1;
      return 0;
    }
    default: {
      const never: never = m.kind;
      throw new TypeError(`Cannot compute measure of kind "${never}"`);
    }
  }
}
