/**
 * The BM25 inverted index: per term, the ids (as dense numbers) and frequencies of the documents
 * containing it, plus document lengths; built in one streaming pass over a corpus.
 *
 * @module
 */

import type { Document } from "../../data/mod.ts";
import { tokenizeForBm25, type TokenizerOptions } from "./tokenizer.ts";

/** The postings of one term: parallel arrays sorted by document number. */
export interface Postings {
  /** Document numbers (indexes into {@linkcode Bm25Index.docIds}), ascending. */
  readonly docs: Uint32Array;
  /** Term frequency in each of those documents. */
  readonly freqs: Uint32Array;
}

/** An immutable BM25 inverted index. */
export interface Bm25Index {
  /** Document ids by document number. */
  readonly docIds: readonly string[];
  /** Length in tokens (after stop-word removal) of each document. */
  readonly docLengths: Uint32Array;
  /** Mean of `docLengths` (0 for an empty index). */
  readonly averageLength: number;
  /** Postings by term. */
  readonly postings: ReadonlyMap<string, Postings>;
  /** The tokeniser options used for documents; queries must use the same. */
  readonly tokenizer: TokenizerOptions;
}

/** What text of a document is indexed. */
export type IndexedText = "title+text" | "text";

/** Options of {@linkcode Bm25IndexBuilder}. */
export interface Bm25IndexOptions {
  /** Tokeniser options (default: no stop words). */
  readonly tokenizer?: TokenizerOptions;
  /** `title + " " + text` (default, as BEIR/Pyserini index BEIR corpora) or `text` only. */
  readonly fields?: IndexedText;
}

/**
 * Builds a {@linkcode Bm25Index} one document at a time (the corpus is never held as text).
 * Repeated document ids are refused with a TypeError.
 */
export class Bm25IndexBuilder {
  readonly #tokenizer: TokenizerOptions;
  readonly #fields: IndexedText;
  readonly #docIds: string[] = [];
  readonly #seen = new Set<string>();
  readonly #lengths: number[] = [];
  /** Term -> term number; postings are kept per term number. */
  readonly #terms = new Map<string, number>();
  readonly #docs: number[][] = [];
  readonly #freqs: number[][] = [];
  /** Per-document term counts by term number, reset after each document. */
  #scratch = new Uint32Array(1024);
  readonly #touched: number[] = [];

  /** A builder with the given options. */
  constructor(options: Bm25IndexOptions = {}) {
    this.#tokenizer = options.tokenizer ?? {};
    this.#fields = options.fields ?? "title+text";
  }

  /** Number of documents added so far. */
  get size(): number {
    return this.#docIds.length;
  }

  /** Add one document. */
  add(doc: Document): void {
    if (this.#seen.has(doc.id)) {
      throw new TypeError(`Cannot index document "${doc.id}" twice: ids must be unique`);
    }
    this.#seen.add(doc.id);
    const number = this.#docIds.length;
    this.#docIds.push(doc.id);
    const text = this.#fields === "title+text" ? `${doc.title} ${doc.text}` : doc.text;
    const tokens = tokenizeForBm25(text, this.#tokenizer);
    this.#lengths.push(tokens.length);
    const touched = this.#touched;
    for (const token of tokens) {
      let term = this.#terms.get(token);
      if (term === undefined) {
        term = this.#terms.size;
        this.#terms.set(token, term);
        this.#docs.push([]);
        this.#freqs.push([]);
        if (term >= this.#scratch.length) {
          const grown = new Uint32Array(this.#scratch.length * 2);
          grown.set(this.#scratch);
          this.#scratch = grown;
        }
      }
      if (this.#scratch[term]! === 0) touched.push(term);
      this.#scratch[term]!++;
    }
    for (const term of touched) {
      this.#docs[term]!.push(number);
      this.#freqs[term]!.push(this.#scratch[term]!);
      this.#scratch[term] = 0;
    }
    touched.length = 0;
  }

  /** Freeze the index (the builder should not be used afterwards). */
  build(): Bm25Index {
    const postings = new Map<string, Postings>();
    for (const [token, term] of this.#terms) {
      postings.set(token, {
        docs: Uint32Array.from(this.#docs[term]!),
        freqs: Uint32Array.from(this.#freqs[term]!),
      });
    }
    const docLengths = Uint32Array.from(this.#lengths);
    let total = 0;
    for (const l of docLengths) total += l;
    return {
      docIds: [...this.#docIds],
      docLengths,
      averageLength: docLengths.length === 0 ? 0 : total / docLengths.length,
      postings,
      tokenizer: this.#tokenizer,
    };
  }
}

/**
 * Index a corpus given as an iterable or async iterable of documents (e.g. a loader's stream).
 *
 * @example
 * ```ts
 * const index = await buildBm25Index(readBeirCorpus("scifact/corpus.jsonl"));
 * ```
 */
export async function buildBm25Index(
  documents: Iterable<Document> | AsyncIterable<Document>,
  options: Bm25IndexOptions = {},
): Promise<Bm25Index> {
  const builder = new Bm25IndexBuilder(options);
  for await (const doc of documents) builder.add(doc);
  return builder.build();
}
