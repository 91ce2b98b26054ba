/**
 * Leak audit for generated queries: exact-text overlap with held-out (dev/test) queries after
 * normalisation, reported as a list or raised as an error.
 *
 * @module
 */

import type { Query } from "../data/mod.ts";
import type { GeneratedQuery } from "./generator.ts";

/**
 * Normal form used to compare query texts: Unicode NFKC, lowercase, every run of characters
 * other than letters and digits replaced by one space, trimmed. "What is BRCA1?" and
 * "what is brca1" compare equal.
 */
export function normalizeQueryText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** One generated query whose normal form equals a held-out query's. */
export interface QueryLeak {
  readonly generatedId: string;
  readonly heldOutId: string;
  /** The shared normal form. */
  readonly normalized: string;
}

/**
 * Every (generated, held-out) pair with equal normal forms ({@linkcode normalizeQueryText}), in
 * generated order; held-out queries that normalise to "" are ignored.
 */
export function findQueryLeaks(
  generated: readonly GeneratedQuery[],
  heldOut: readonly Query[],
): QueryLeak[] {
  const byText = new Map<string, string[]>();
  for (const q of heldOut) {
    const key = normalizeQueryText(q.text);
    if (key === "") continue;
    const ids = byText.get(key);
    if (ids === undefined) byText.set(key, [q.id]);
    else ids.push(q.id);
  }
  const leaks: QueryLeak[] = [];
  for (const g of generated) {
    const key = normalizeQueryText(g.text);
    for (const heldOutId of byText.get(key) ?? []) {
      leaks.push({ generatedId: g.id, heldOutId, normalized: key });
    }
  }
  return leaks;
}

/** Raised by {@linkcode assertNoLeak}; `leaks` lists every overlap. */
export class QueryLeakError extends Error {
  /** Every overlap found. */
  readonly leaks: readonly QueryLeak[];

  /** An error listing `leaks` (the first few in the message). */
  constructor(leaks: readonly QueryLeak[]) {
    const shown = leaks.slice(0, 3).map((l) =>
      `"${l.generatedId}" = "${l.heldOutId}" ("${l.normalized}")`
    );
    super(
      `Cannot use the generated queries: ${leaks.length} of them copy held-out queries after normalisation: ${
        shown.join(", ")
      }${leaks.length > 3 ? ", ..." : ""}`,
    );
    this.name = "QueryLeakError";
    this.leaks = leaks;
  }
}

/**
 * Throw a {@linkcode QueryLeakError} if any generated query copies a held-out query (exact text
 * after normalisation); return the (empty) overlap list otherwise.
 *
 * @example
 * ```ts
 * assertNoLeak(generated, [...devQueries, ...testQueries]);
 * ```
 */
export function assertNoLeak(
  generated: readonly GeneratedQuery[],
  heldOut: readonly Query[],
): readonly QueryLeak[] {
  const leaks = findQueryLeaks(generated, heldOut);
  if (leaks.length > 0) throw new QueryLeakError(leaks);
  return leaks;
}
