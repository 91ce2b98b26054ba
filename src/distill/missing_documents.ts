/**
 * Qrels lines naming a document that is not in the corpus: counted and named (the first few ids)
 * so a distillation run reports them instead of silently training on fewer pairs.
 *
 * @module
 */

import type { Qrels } from "../eval/mod.ts";

/** Judgments of a qrels whose document is absent from the corpus. */
export interface MissingDocuments {
  /** Qrels lines (judgments, any label) naming an absent document. */
  readonly judgments: number;
  /** Distinct absent documents. */
  readonly documents: number;
  /** The first absent document ids, in qrels order (at most the `first` asked for). */
  readonly firstIds: readonly string[];
}

/**
 * The judgments of `qrels` whose document is not among `corpusIds`; the `first` absent ids are
 * kept (default 5).
 *
 * @example
 * ```ts
 * const missing = missingDocuments(qrels, new Set(corpus.map((d) => d.id)));
 * if (missing.judgments > 0) console.error(describeMissingDocuments(missing, "qrels/train.tsv"));
 * ```
 */
export function missingDocuments(
  qrels: Qrels,
  corpusIds: ReadonlySet<string>,
  first = 5,
): MissingDocuments {
  let judgments = 0;
  const absent = new Set<string>();
  for (const docs of qrels.queries.values()) {
    for (const docId of docs.keys()) {
      if (corpusIds.has(docId)) continue;
      judgments++;
      absent.add(docId);
    }
  }
  return { judgments, documents: absent.size, firstIds: [...absent].slice(0, first) };
}

/**
 * One sentence for a log: `12 judgments of "qrels/train.tsv" name 9 documents that are not in
 * the corpus (first: "d1", "d7", ...)`.
 */
export function describeMissingDocuments(missing: MissingDocuments, source: string): string {
  const s = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const first = missing.firstIds.map((id) => `"${id}"`).join(", ");
  const more = missing.documents > missing.firstIds.length ? ", ..." : "";
  const verb = missing.judgments === 1 ? "names" : "name";
  return `${s(missing.judgments, "judgment")} of ${source} ${verb} ${
    s(missing.documents, "document")
  } that ${missing.documents === 1 ? "is" : "are"} not in the corpus (first: ${first}${more})`;
}
