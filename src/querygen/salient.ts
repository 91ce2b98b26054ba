/**
 * The built-in unsupervised query generator: salient-term sampling. It reads only document text,
 * weights each word by tf-idf over the corpus it is given, samples a few of them (optionally as
 * short contiguous spans) and writes them in document order. Seeded and deterministic; needs no
 * model.
 *
 * @module
 */

import type { Document } from "../data/mod.ts";
import { deriveSeed, type RandomSource, seededRandom } from "../engine/mod.ts";
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
import { documentText, ENGLISH_STOP_WORDS, IdfTable, type WordToken, wordTokens } from "./terms.ts";

/** Configuration of {@linkcode SalientTermGenerator}; every field changes the output. */
export interface SalientTermConfig extends QueryGeneratorConfig {
  readonly kind: "salient-terms";
  /** Algorithm version; bumped whenever the same config would produce different queries. */
  readonly version: 1;
  /** Seed; each document draws from its own stream derived from this seed and its id. */
  readonly seed: number;
  /** Distinct queries to try for per document (fewer when the document is too short). */
  readonly queriesPerDocument: number;
  /**
   * Fewest salient terms per query (distinct non-stop words, those inside kept spans included;
   * fewer only when the document has fewer).
   */
  readonly minTerms: number;
  /** Most salient terms per query. */
  readonly maxTerms: number;
  /** Chance that a sampled term is kept with the words that follow it as a span, in [0, 1]. */
  readonly spanProbability: number;
  /**
   * Longest kept span, in words (>= 2). A span starts at the sampled word, stays in its sentence,
   * ends before it would exceed the query's term count and drops trailing stop words.
   */
  readonly maxSpanLength: number;
  /** Sampling weight is (tf x idf)^(1 / temperature): below 1 sharpens, above 1 flattens. */
  readonly temperature: number;
  /** Read "title. text" instead of the text alone. */
  readonly includeTitle: boolean;
  /** Shortest word sampled as a salient term, in characters. */
  readonly minWordLength: number;
  /** Words never sampled as terms. */
  readonly stopWords: "english" | "none";
}

/** Defaults of {@linkcode SalientTermConfig}: 3 queries of 2-5 terms, 30 % spans of <= 3 words. */
export const SALIENT_TERM_DEFAULTS: SalientTermConfig = {
  kind: "salient-terms",
  version: 1,
  seed: 0,
  queriesPerDocument: 3,
  minTerms: 2,
  maxTerms: 5,
  spanProbability: 0.3,
  maxSpanLength: 3,
  temperature: 1,
  includeTitle: true,
  minWordLength: 2,
  stopWords: "english",
};

/** Attempts per query slot before giving up on finding a text not yet generated for the doc. */
const ATTEMPTS = 4;

function validate(config: SalientTermConfig): SalientTermConfig {
  checkInteger(config.seed, 0, "salient-terms seed");
  checkInteger(config.queriesPerDocument, 1, "salient-terms queriesPerDocument");
  checkInteger(config.minTerms, 1, "salient-terms minTerms");
  checkInteger(config.maxTerms, config.minTerms, "salient-terms maxTerms (>= minTerms)");
  checkInteger(config.maxSpanLength, 2, "salient-terms maxSpanLength");
  checkInteger(config.minWordLength, 1, "salient-terms minWordLength");
  if (!(config.spanProbability >= 0 && config.spanProbability <= 1)) {
    throw new RangeError(
      `Cannot use salient-terms spanProbability "${config.spanProbability}": expected a number in [0, 1]`,
    );
  }
  if (!(config.temperature > 0 && Number.isFinite(config.temperature))) {
    throw new RangeError(
      `Cannot use salient-terms temperature "${config.temperature}": expected a finite number > 0`,
    );
  }
  return config;
}

/** A document's candidate terms: distinct words, their weights and where they occur. */
interface Candidates {
  readonly words: string[];
  readonly index: ReadonlyMap<string, number>;
  readonly weights: number[];
  readonly positions: number[][];
  readonly isTerm: (word: string) => boolean;
}

/** Generates queries by tf-idf weighted sampling of a document's own words. */
export class SalientTermGenerator implements QueryGenerator {
  readonly config: SalientTermConfig;
  readonly configHash: string;
  readonly #label: string;
  readonly #stop: ReadonlySet<string>;

  /** A generator with `SALIENT_TERM_DEFAULTS` overridden by `options`. */
  constructor(options: Partial<Omit<SalientTermConfig, "kind" | "version">> = {}) {
    this.config = validate({ ...SALIENT_TERM_DEFAULTS, ...options });
    this.configHash = configHash(this.config);
    this.#label = generatorLabel(this.config, this.configHash);
    this.#stop = this.config.stopWords === "english" ? ENGLISH_STOP_WORDS : new Set();
  }

  /** Generate for `documents`; idf is computed over exactly these documents. */
  generate(
    documents: readonly Document[],
    options: GenerateOptions = {},
  ): Promise<readonly GeneratedQuery[]> {
    const batchSize = checkInteger(options.batchSize ?? 1024, 1, "batchSize");
    const { includeTitle } = this.config;
    const idf = IdfTable.fromTexts(documents.map((d) => documentText(d, includeTitle)));
    const out: GeneratedQuery[] = [];
    for (let start = 0; start < documents.length; start += batchSize) {
      const end = Math.min(documents.length, start + batchSize);
      for (let i = start; i < end; i++) this.#generateFor(documents[i]!, idf, out);
      options.onProgress?.({ done: end, total: documents.length });
    }
    return Promise.resolve(out);
  }

  #candidates(tokens: readonly WordToken[], idf: IdfTable): Candidates {
    const { minWordLength, temperature } = this.config;
    const isTerm = (w: string) => w.length >= minWordLength && !this.#stop.has(w);
    const index = new Map<string, number>();
    const words: string[] = [];
    const tf: number[] = [];
    const positions: number[][] = [];
    for (const { word, position } of tokens) {
      if (!isTerm(word)) continue;
      let k = index.get(word);
      if (k === undefined) {
        k = words.length;
        index.set(word, k);
        words.push(word);
        tf.push(0);
        positions.push([]);
      }
      tf[k]!++;
      positions[k]!.push(position);
    }
    const weights = words.map((w, k) => Math.pow(tf[k]! * idf.idf(w), 1 / temperature));
    return { words, index, weights, positions, isTerm };
  }

  #generateFor(document: Document, idf: IdfTable, out: GeneratedQuery[]): void {
    const tokens = wordTokens(documentText(document, this.config.includeTitle));
    const candidates = this.#candidates(tokens, idf);
    if (candidates.words.length === 0) return;
    const random = seededRandom(deriveSeed(this.config.seed, `salient-terms/${document.id}`));
    const seen = new Set<string>();
    for (let q = 0; q < this.config.queriesPerDocument; q++) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const text = this.#sampleQuery(tokens, candidates, random);
        if (seen.has(text)) continue;
        seen.add(text);
        out.push({
          id: generatedQueryId(document.id, seen.size - 1),
          docId: document.id,
          text,
          generator: this.#label,
        });
        break;
      }
    }
  }

  /** One query: sample terms without replacement by weight, widen some into spans. */
  #sampleQuery(tokens: readonly WordToken[], c: Candidates, random: RandomSource): string {
    const { minTerms, maxTerms, spanProbability, maxSpanLength } = this.config;
    const target = Math.min(
      c.words.length,
      minTerms + Math.floor(random() * (maxTerms - minTerms + 1)),
    );
    const chosen = new Set<string>();
    const pieces: [number, number][] = [];
    const weights = c.weights.slice();
    while (chosen.size < target) {
      const k = sampleIndex(weights, random);
      if (k < 0) break;
      const word = c.words[k]!;
      const occurrences = c.positions[k]!;
      const start = occurrences[Math.floor(random() * occurrences.length)]!;
      let end = start + 1;
      if (random() < spanProbability) {
        const limit = Math.min(
          tokens.length,
          start + 2 + Math.floor(random() * (maxSpanLength - 1)),
        );
        const sentence = tokens[start]!.sentence;
        const added = new Set([word]);
        while (end < limit && tokens[end]!.sentence === sentence) {
          const w = tokens[end]!.word;
          if (c.isTerm(w) && !chosen.has(w) && !added.has(w)) {
            if (chosen.size + added.size === target) break; // the span may not exceed the target
            added.add(w);
          }
          end++;
        }
        while (end > start + 1 && !c.isTerm(tokens[end - 1]!.word)) end--;
      }
      pieces.push([start, end]);
      for (let p = start; p < end; p++) {
        const w = tokens[p]!.word;
        if (!c.isTerm(w) || chosen.has(w)) continue;
        chosen.add(w);
        weights[w === word ? k : c.index.get(w)!] = 0;
      }
    }
    pieces.sort((a, b) => a[0] - b[0]);
    const emitted = new Set<string>();
    const words: string[] = [];
    for (const [start, end] of pieces) {
      for (let p = start; p < end; p++) {
        const w = tokens[p]!.word;
        if (emitted.has(w)) continue;
        emitted.add(w);
        words.push(w);
      }
    }
    return words.join(" ");
  }
}

/**
 * Index drawn with probability weights[i] / sum(weights) (inverse CDF over a linear scan), or -1
 * when every weight is 0.
 */
function sampleIndex(weights: readonly number[], random: RandomSource): number {
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) return -1;
  let u = random() * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    last = i;
    if (u < w) return i;
    u -= w;
  }
  return last;
}
