/**
 * How a concept or relation is verbalised: documents prefer a concept's first surface forms,
 * queries usually its last ones, so a query often names a concept differently from its documents.
 *
 * @module
 */

import type { Random } from "./random.ts";

/** Probability weight of form j in documents: halves with each later form. */
const DOCUMENT_DECAY = 0.5;

/**
 * Probability that a query draws its form from the reversed (query-side) preference instead of
 * the documents' preference. Tuned so that BM25 is clearly imperfect (see README).
 */
const QUERY_MISMATCH = 0.75;

function decayWeights(n: number): number[] {
  return Array.from({ length: n }, (_, j) => DOCUMENT_DECAY ** j);
}

/** A surface form as a document writes it (earlier forms more likely). */
export function documentForm(forms: readonly string[], rng: Random): string {
  return forms[rng.weighted(decayWeights(forms.length))] as string;
}

/** A second, different form for a later mention in the same document (if the concept has one). */
export function otherDocumentForm(forms: readonly string[], first: string, rng: Random): string {
  const rest = forms.filter((f) => f !== first);
  return rest.length === 0 ? first : documentForm(rest, rng);
}

/** A surface form as a query writes it (usually the later, colloquial forms). */
export function queryForm(forms: readonly string[], rng: Random): string {
  const w = decayWeights(forms.length);
  if (rng.chance(QUERY_MISMATCH)) w.reverse();
  return forms[rng.weighted(w)] as string;
}
