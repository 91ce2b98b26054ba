/**
 * The Run value (retrieved documents and scores per query) in a compact columnar layout, its
 * builder, and accessors that return a query's documents in ranking order.
 *
 * @module
 */

import { decodeBytes } from "../io/mod.ts";
import { compareRanked, type Scored } from "./ranking_order.ts";

/**
 * Retrieved documents per query, columnar: no string per document, so a 7M-line run fits in a
 * fraction of its file size. Entries of query `queryIds[q]` are `queryStart[q]` up to
 * `queryStart[q + 1]` (in the order they were added, not ranked); entry `i` has id bytes
 * `docIdBytes[docIdStart[i], docIdStart[i + 1])` (UTF-8) and score `scores[i]`. No document
 * appears twice for one query.
 */
export interface Run {
  readonly kind: "run";
  /** Query ids in first-seen order. */
  readonly queryIds: readonly string[];
  /** Entry range per query (length = queries + 1). */
  readonly queryStart: Uint32Array;
  /** UTF-8 bytes of every document id, concatenated. */
  readonly docIdBytes: Uint8Array;
  /** Byte offset of each entry's id (length = entries + 1). */
  readonly docIdStart: Uint32Array;
  /** Score of each entry. */
  readonly scores: Float64Array;
}

const encoder = new TextEncoder();

function grow<T extends Uint8Array | Uint32Array | Float64Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const ctor = array.constructor as new (n: number) => T;
  const next = new ctor(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

/** How a duplicate entry is reported: line numbers when the run came from a file. */
export type DuplicateReporter = (
  queryId: string,
  docId: string,
  first: number,
  second: number,
) => Error;

/**
 * Incrementally builds a {@linkcode Run}; used by the file reader and for in-memory runs.
 * Entries of one query need not be contiguous.
 */
export class RunBuilder {
  #queryIds: string[] = [];
  #queryIndex = new Map<string, number>();
  #entryQuery: Uint32Array;
  #docIdBytes: Uint8Array;
  #docIdStart: Uint32Array;
  #scores: Float64Array;
  #entries = 0;
  #bytes = 0;
  #grouped = true;
  #lastQuery = -1;

  /**
   * Start an empty run; capacity hints avoid regrowing (over-estimates cost little: untouched
   * pages of a typed array are never made resident).
   */
  constructor(hint: { readonly entries?: number; readonly idBytes?: number } = {}) {
    const entries = Math.max(1024, Math.ceil(hint.entries ?? 0));
    this.#entryQuery = new Uint32Array(entries);
    this.#scores = new Float64Array(entries);
    this.#docIdStart = new Uint32Array(entries + 1);
    this.#docIdBytes = new Uint8Array(Math.max(8192, Math.ceil(hint.idBytes ?? 0)));
  }

  /** Number of entries added. */
  get size(): number {
    return this.#entries;
  }

  /** Index of a query id, registering it on first sight. */
  queryIndex(queryId: string): number {
    let q = this.#queryIndex.get(queryId);
    if (q === undefined) {
      q = this.#queryIds.length;
      this.#queryIds.push(queryId);
      this.#queryIndex.set(queryId, q);
    }
    return q;
  }

  /** Add one entry whose id is `bytes[start, end)` (UTF-8) for query index `q`. */
  addBytes(q: number, bytes: Uint8Array, start: number, end: number, score: number): void {
    const i = this.#entries;
    if (i === this.#scores.length) {
      this.#scores = grow(this.#scores, i + 1);
      this.#entryQuery = grow(this.#entryQuery, this.#scores.length);
      this.#docIdStart = grow(this.#docIdStart, this.#scores.length + 1);
    }
    const length = end - start;
    const b = this.#bytes;
    if (b + length > this.#docIdBytes.length) this.#docIdBytes = grow(this.#docIdBytes, b + length);
    const arena = this.#docIdBytes;
    if (length <= 16) {
      for (let k = 0; k < length; k++) arena[b + k] = bytes[start + k]!;
    } else {
      arena.set(bytes.subarray(start, end), b);
    }
    this.#bytes = b + length;
    this.#docIdStart[i + 1] = this.#bytes;
    this.#scores[i] = score;
    this.#entryQuery[i] = q;
    if (q < this.#lastQuery) this.#grouped = false;
    else if (q > this.#lastQuery) {
      if (q !== this.#lastQuery + 1) this.#grouped = false;
      this.#lastQuery = q;
    }
    this.#entries = i + 1;
  }

  /**
   * Add one entry.
   *
   * @throws {RangeError} when the score is NaN
   */
  add(queryId: string, docId: string, score: number): void {
    if (Number.isNaN(score)) {
      throw new RangeError(`Cannot add "${docId}" for query "${queryId}" to a run: score is NaN`);
    }
    const bytes = encoder.encode(docId);
    this.addBytes(this.queryIndex(queryId), bytes, 0, bytes.length, score);
  }

  /**
   * Finish: group entries by query and check that no document appears twice for a query.
   *
   * @param duplicate builds the error for a duplicate (arguments: query, document, entry
   *   indices in insertion order); the default names query and document
   */
  build(duplicate?: DuplicateReporter): Run {
    const n = this.#entries;
    const queries = this.#queryIds.length;
    const queryStart = new Uint32Array(queries + 1);
    let docIdBytes = this.#docIdBytes.subarray(0, this.#bytes);
    let docIdStart = this.#docIdStart.subarray(0, n + 1);
    let scores = this.#scores.subarray(0, n);
    let original: Uint32Array | undefined; // new position -> insertion index, when regrouped
    const entryQuery = this.#entryQuery;
    for (let i = 0; i < n; i++) queryStart[entryQuery[i]! + 1]!++;
    for (let q = 0; q < queries; q++) queryStart[q + 1]! += queryStart[q]!;
    if (!this.#grouped) {
      const next = queryStart.slice(0, queries);
      original = new Uint32Array(n);
      for (let i = 0; i < n; i++) original[next[entryQuery[i]!]!++] = i;
      const bytes = new Uint8Array(docIdBytes.length);
      const starts = new Uint32Array(n + 1);
      const sc = new Float64Array(n);
      let b = 0;
      for (let j = 0; j < n; j++) {
        const i = original[j]!;
        const s = docIdStart[i]!;
        const e = docIdStart[i + 1]!;
        bytes.set(docIdBytes.subarray(s, e), b);
        b += e - s;
        starts[j + 1] = b;
        sc[j] = scores[i]!;
      }
      docIdBytes = bytes;
      docIdStart = starts;
      scores = sc;
    }
    const run: Run = {
      kind: "run",
      queryIds: this.#queryIds,
      queryStart,
      docIdBytes,
      docIdStart,
      scores,
    };
    const found = findDuplicate(run);
    if (found !== undefined) {
      const [q, a, b] = found;
      const queryId = run.queryIds[q]!;
      const docId = entryDocId(run, a);
      const first = original === undefined ? a : original[a]!;
      const second = original === undefined ? b : original[b]!;
      throw duplicate?.(queryId, docId, Math.min(first, second), Math.max(first, second)) ??
        new SyntaxError(
          `Cannot build run: document "${docId}" is listed twice for query "${queryId}"`,
        );
    }
    return run;
  }
}

/** FNV-1a hash of `bytes[start, end)`, the hash the evaluator and duplicate check share. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** True when entries `a` and `b` have the same id bytes. */
function sameDocId(run: Run, a: number, b: number): boolean {
  const s = run.docIdStart;
  const as = s[a]!;
  const bs = s[b]!;
  const length = s[a + 1]! - as;
  if (s[b + 1]! - bs !== length) return false;
  const bytes = run.docIdBytes;
  for (let k = 0; k < length; k++) if (bytes[as + k] !== bytes[bs + k]) return false;
  return true;
}

let table = new Int32Array(2048);

/** First duplicate as [query index, entry, entry], or undefined. */
function findDuplicate(run: Run): [number, number, number] | undefined {
  const { queryStart, docIdBytes, docIdStart } = run;
  for (let q = 0; q + 1 < queryStart.length; q++) {
    const start = queryStart[q]!;
    const end = queryStart[q + 1]!;
    let size = 16;
    while (size < 2 * (end - start)) size *= 2;
    if (table.length < size) table = new Int32Array(size);
    table.fill(0, 0, size);
    const mask = size - 1;
    for (let i = start; i < end; i++) {
      let slot = hashBytes(docIdBytes, docIdStart[i]!, docIdStart[i + 1]!) & mask;
      while (true) {
        const other = table[slot]!;
        if (other === 0) {
          table[slot] = i + 1;
          break;
        }
        if (sameDocId(run, other - 1, i)) return [q, other - 1, i];
        slot = (slot + 1) & mask;
      }
    }
  }
  return undefined;
}

/** The document id of entry `i`. */
export function entryDocId(run: Run, i: number): string {
  return decodeBytes(run.docIdBytes, run.docIdStart[i]!, run.docIdStart[i + 1]!);
}

/** Number of entries (lines) in the run. */
export function runSize(run: Run): number {
  return run.scores.length;
}

/**
 * Build a run from rankings per query (entries need not be sorted).
 *
 * @throws {SyntaxError} when a document appears twice for a query
 */
export function runFromRankings(rankings: Iterable<readonly [string, Iterable<Scored>]>): Run {
  const builder = new RunBuilder();
  for (const [queryId, docs] of rankings) {
    builder.queryIndex(queryId);
    for (const doc of docs) builder.add(queryId, doc.docId, doc.score);
  }
  return builder.build();
}

/** The documents retrieved for one query in ranking order (score desc, id desc); [] if absent. */
export function rankedList(run: Run, queryId: string): Scored[] {
  const q = run.queryIds.indexOf(queryId);
  if (q < 0) return [];
  return rankedListAt(run, q);
}

/** The documents of query index `q` in ranking order. */
export function rankedListAt(run: Run, q: number): Scored[] {
  const list: Scored[] = [];
  for (let i = run.queryStart[q]!; i < run.queryStart[q + 1]!; i++) {
    list.push({ docId: entryDocId(run, i), score: run.scores[i]! });
  }
  return list.sort(compareRanked);
}

/** Every query with its ranked list, in the run's query order. */
export function* rankings(run: Run): Generator<[string, Scored[]]> {
  for (let q = 0; q < run.queryIds.length; q++) yield [run.queryIds[q]!, rankedListAt(run, q)];
}
