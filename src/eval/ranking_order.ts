/**
 * The one ranking order of the suite, exactly trec_eval's: score descending, ties broken by
 * document id descending (plain string comparison of the ids); the run file's rank column is never
 * used.
 *
 * @module
 */

/** A scored document, as far as ranking is concerned. */
export interface Scored {
  readonly docId: string;
  readonly score: number;
}

/**
 * Compare two scored documents in ranking order (negative: `a` ranks above `b`). Matches
 * trec_eval's `comp_sim_docno`: higher score first; equal scores by docno in descending
 * `strcmp` order. JavaScript's `<` on strings compares UTF-16 code units, which equals `strcmp`
 * byte order for ASCII ids.
 */
export function compareRanked(a: Scored, b: Scored): number {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1;
  if (a.docId === b.docId) return 0;
  return a.docId > b.docId ? -1 : 1;
}
