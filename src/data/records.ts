/**
 * The one Document/Query text-record type every dataset loader and the synthetic corpus yield
 * (relevance judgments are eval's `Judgment`), the duplicate-id policy, and the counts used to
 * verify an unpacked dataset.
 *
 * @module
 */

/** A corpus document (BEIR `corpus.jsonl` line, MS MARCO passage, DPR passage, SMART record). */
export interface Document {
  /** Document id, unique within its corpus (a string even when numeric: `"4983"`). */
  readonly id: string;
  /** Title; `""` when the source has none (MS MARCO passages). */
  readonly title: string;
  /** Body text. */
  readonly text: string;
}

/** A query (topic) to retrieve for. */
export interface Query {
  /** Query id, unique within its file; the id the qrels use. */
  readonly id: string;
  /** Query text. */
  readonly text: string;
}

/**
 * Numbers of records in a dataset, as the loaders count them, for verifying an unpacked dataset
 * against the counts in `datasets.lock`.
 */
export interface DatasetCounts {
  /** Documents in the corpus. */
  readonly documents: number;
  /** Queries in the query file(s). */
  readonly queries: number;
  /** Judgment lines per qrels split (header lines excluded), e.g. `{ test: 339, train: 919 }`. */
  readonly qrels: Readonly<Record<string, number>>;
}

/**
 * The error for an id seen twice in one file: the loaders' duplicate policy is to refuse the file
 * (a SyntaxError naming both lines), since silently keeping either copy would change results.
 */
export function duplicateIdError(
  what: string,
  id: string,
  source: string,
  line: number,
  firstLine: number,
): SyntaxError {
  return new SyntaxError(
    `Cannot load ${what} line ${line} of "${source}": duplicate id "${id}" (first at line ${firstLine})`,
  );
}

/**
 * Tracks the ids seen in one file and throws {@linkcode duplicateIdError} on a repeat. Memory is
 * one map entry per id (about 60 bytes for short ids: ~0.5 GB for the 8.8M MS MARCO passages;
 * loaders take `checkDuplicates: false` to skip it).
 */
export class IdTracker {
  readonly #what: string;
  readonly #source: string;
  readonly #firstLines = new Map<string, number>();

  /** A tracker for `what` records (e.g. `"corpus"`) of the file `source`. */
  constructor(what: string, source: string) {
    this.#what = what;
    this.#source = source;
  }

  /** Record `id` seen on `line`; throws a SyntaxError if it was seen before. */
  add(id: string, line: number): void {
    const first = this.#firstLines.get(id);
    if (first !== undefined) throw duplicateIdError(this.#what, id, this.#source, line, first);
    this.#firstLines.set(id, line);
  }

  /** Number of distinct ids seen. */
  get size(): number {
    return this.#firstLines.size;
  }
}

/** The usual parse error: `Cannot parse <what> line <n> of "<source>": <problem>`. */
export function lineError(
  what: string,
  source: string,
  line: number,
  problem: string,
): SyntaxError {
  return new SyntaxError(`Cannot parse ${what} line ${line} of "${source}": ${problem}`);
}
