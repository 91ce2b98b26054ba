/**
 * Per-query values of two systems aligned by query id: the pairs every paired test reads.
 *
 * @module
 */

/** Two systems' values on the same queries, in query-id order. */
export interface PairedValues {
  readonly queryIds: readonly string[];
  readonly a: readonly number[];
  readonly b: readonly number[];
}

/**
 * Align two per-query maps (query id -> value) by query id. Both must hold the same queries:
 * a paired test on a silently smaller set would be a different test. Query ids are sorted in
 * code-unit order so the result does not depend on insertion order.
 */
export function pairByQuery(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): PairedValues {
  const onlyA = [...a.keys()].filter((q) => !b.has(q));
  const onlyB = [...b.keys()].filter((q) => !a.has(q));
  if (onlyA.length > 0 || onlyB.length > 0) {
    const show = (ids: string[]) =>
      ids.slice(0, 5).map((q) => `"${q}"`).join(", ") + (ids.length > 5 ? ", ..." : "");
    throw new RangeError(
      `Cannot pair per-query values: ${onlyA.length} queries only in the first system` +
        (onlyA.length > 0 ? ` (${show(onlyA)})` : "") +
        `, ${onlyB.length} only in the second` + (onlyB.length > 0 ? ` (${show(onlyB)})` : ""),
    );
  }
  const queryIds = [...a.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return { queryIds, a: queryIds.map((q) => a.get(q)!), b: queryIds.map((q) => b.get(q)!) };
}

/** Differences a[i] - b[i], checked: same length >= 2, finite values. */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) {
    throw new RangeError(
      `Cannot pair ${a.length} values with ${b.length}: expected the same queries in both`,
    );
  }
  if (a.length < 2) {
    throw new RangeError(`Cannot run a paired test on ${a.length} queries: expected at least 2`);
  }
  return a.map((x, i) => {
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new RangeError(
        `Cannot run a paired test: query ${i} has a non-finite value (${x}, ${y})`,
      );
    }
    return x - y;
  });
}
