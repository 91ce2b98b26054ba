/**
 * Tokenisation: the suite's WordPiece tokenizer (bert-base-uncased vocabulary) over 600 texts of
 * the bench corpus (300 documents' titles and texts) with a cold word cache, as a first pass over
 * a corpus sees it.
 *
 * @module
 */

import { loadBertBaseUncased, WordPieceTokenizer } from "../../src/text/mod.ts";
import type { BenchCase, PreparedCase } from "./case.ts";
import { benchCorpus } from "./corpus.ts";

const DOCS = 300;

/** `text/tokenize`. */
export const TEXT_CASE: BenchCase = {
  kind: "bench-case",
  name: "text/tokenize",
  reference: "scalar",
  threshold: 0.5,
  quick: true,
  async prepare(): Promise<PreparedCase> {
    const corpus = await benchCorpus();
    const texts = corpus.docs.slice(0, DOCS).flatMap((d) => [d.title, d.text]);
    const config = (await loadBertBaseUncased()).config;
    return {
      kind: "prepared-case",
      backend: "ts",
      blas: null,
      workload: `${corpus.source}, ${DOCS} docs (title + text), cold word cache`,
      run() {
        const fresh = new WordPieceTokenizer(config);
        for (const t of texts) fresh.tokenIds(t);
      },
    };
  },
};
