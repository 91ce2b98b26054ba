/**
 * The naive query-generation baseline: the first k words of each document as its one query.
 *
 * @module
 */

import type { Document } from "../data/mod.ts";
import {
  checkInteger,
  type GeneratedQuery,
  generatedQueryId,
  type GenerateOptions,
  generatorLabel,
  type QueryGenerator,
  type QueryGeneratorConfig,
} from "./generator.ts";
import { configHash } from "./hash.ts";
import { documentText, wordTokens } from "./terms.ts";

/** Configuration of {@linkcode FirstWordsGenerator}. */
export interface FirstWordsConfig extends QueryGeneratorConfig {
  readonly kind: "first-words";
  /** Words per query. */
  readonly words: number;
  /** Read "title. text" instead of the text alone. */
  readonly includeTitle: boolean;
}

/**
 * One query per document: its first `words` lowercased words. A baseline for throughput and
 * quality comparisons, not a recommended generator (it always restates the lead).
 */
export class FirstWordsGenerator implements QueryGenerator {
  readonly config: FirstWordsConfig;
  readonly configHash: string;
  readonly #label: string;

  /** A generator taking the first `words` words (default 8), title included by default. */
  constructor(options: { readonly words?: number; readonly includeTitle?: boolean } = {}) {
    this.config = {
      kind: "first-words",
      words: checkInteger(options.words ?? 8, 1, "first-words words"),
      includeTitle: options.includeTitle ?? true,
    };
    this.configHash = configHash(this.config);
    this.#label = generatorLabel(this.config, this.configHash);
  }

  /** One query per non-empty document, in document order. */
  generate(
    documents: readonly Document[],
    options: GenerateOptions = {},
  ): Promise<readonly GeneratedQuery[]> {
    const out: GeneratedQuery[] = [];
    for (const document of documents) {
      const words = wordTokens(documentText(document, this.config.includeTitle))
        .slice(0, this.config.words);
      if (words.length === 0) continue;
      out.push({
        id: generatedQueryId(document.id, 0),
        docId: document.id,
        text: words.map((w) => w.word).join(" "),
        generator: this.#label,
      });
    }
    options.onProgress?.({ done: documents.length, total: documents.length });
    return Promise.resolve(out);
  }
}
