/**
 * Sharded search: a deterministic row-range partition of a corpus (`--shard i/n`, so users can
 * run shards on their own scheduler) and the merge of per-shard top-k results into the global
 * top-k in the suite's ranking order.
 *
 * @module
 */

import { compareRanked } from "../eval/mod.ts";
import type { Hit, QueryHits } from "./hits.ts";

/** Shard `index` (0-based) of `total`. */
export interface Shard {
  readonly index: number;
  readonly total: number;
}

/** Rows [start, end) of a corpus. */
export interface RowRange {
  readonly start: number;
  readonly end: number;
}

/** Parse `"i/n"` (0-based index i < n), e.g. from `--shard 0/4` or a job array index. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (match === null || total < 1 || index >= total) {
    throw new RangeError(
      `Cannot parse shard "${text}": expected "i/n" with 0 <= i < n, e.g. "0/4"`,
    );
  }
  return { index, total };
}

/**
 * The rows of shard `shard` of a corpus of `count` rows: contiguous, in order, sizes differing by
 * at most one, together covering every row exactly once.
 */
export function shardRange(count: number, shard: Shard): RowRange {
  const { index, total } = shard;
  if (
    !Number.isInteger(total) || total < 1 || !Number.isInteger(index) || index < 0 || index >= total
  ) {
    throw new RangeError(`Cannot take shard ${index}/${total}: expected 0 <= index < total`);
  }
  return {
    start: Math.floor((count * index) / total),
    end: Math.floor((count * (index + 1)) / total),
  };
}

/**
 * Merge per-shard results (each a list of per-query top hits over disjoint document sets) into
 * the top `k` per query; queries appear in order of first appearance.
 */
export function mergeShardHits(
  shards: readonly (readonly QueryHits[])[],
  k: number,
): readonly QueryHits[] {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`Cannot merge the top ${k} hits: expected an integer k >= 1`);
  }
  const byQuery = new Map<string, Hit[]>();
  for (const shard of shards) {
    for (const { queryId, hits } of shard) {
      const list = byQuery.get(queryId) ?? [];
      list.push(...hits);
      byQuery.set(queryId, list);
    }
  }
  return [...byQuery].map(([queryId, hits]) => ({
    queryId,
    hits: hits.sort(compareRanked).slice(0, k),
  }));
}
