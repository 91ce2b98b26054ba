/**
 * The texts a synthetic dataset's vocabulary is built from: every document (title and text
 * joined with a space, as BEIR does) and the training queries, never dev or test text.
 *
 * @module
 */

import type { SyntheticDataset } from "./synthesize.ts";

/**
 * The documents' `title text` and the training queries' text of `dataset`, in that order: the
 * input of the WordPiece vocabulary of its teachers (bench/synthetic_teacher.ts).
 */
export function syntheticTrainingTexts(dataset: SyntheticDataset): string[] {
  const byId = new Map(dataset.queries.map((q) => [q.id, q]));
  return [
    ...dataset.documents.map((d) => (d.title === "" ? d.text : `${d.title} ${d.text}`)),
    ...dataset.splits.train.map((id) => byId.get(id)!.text),
  ];
}
