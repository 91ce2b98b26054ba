/**
 * The per-query reduction every measure is computed from: how many documents were retrieved and
 * at which ranks the judged ones stand (trec_eval order: score desc, ties by id desc, byte-wise
 * like strcmp). Found without sorting the whole ranking: judged documents are sorted among
 * themselves and every other document is binary-searched into that order.
 *
 * @module
 */

import { hashBytes, type Run } from "./run.ts";

/** The retrieved judged documents of one query, by rank. */
export interface JudgedRanks {
  /** Documents retrieved (after the identical-id filter); trec_eval num_ret. */
  readonly retrieved: number;
  /** 1-based ranks of the retrieved judged documents, ascending. */
  readonly ranks: readonly number[];
  /** Label of the document at each of those ranks (may be 0 or negative). */
  readonly labels: readonly number[];
}

const encoder = new TextEncoder();

/**
 * Compare entries `a` and `b` of a run in ranking order (negative: `a` ranks higher): score
 * descending, then id bytes descending (strcmp order; equals compareRanked for ASCII ids).
 */
export function compareEntries(run: Run, a: number, b: number): number {
  const sa = run.scores[a]!;
  const sb = run.scores[b]!;
  if (sa !== sb) return sa > sb ? -1 : 1;
  const bytes = run.docIdBytes;
  const starts = run.docIdStart;
  const as = starts[a]!;
  const bs = starts[b]!;
  const al = starts[a + 1]! - as;
  const bl = starts[b + 1]! - bs;
  const n = al < bl ? al : bl;
  for (let k = 0; k < n; k++) {
    const d = bytes[as + k]! - bytes[bs + k]!;
    if (d !== 0) return d > 0 ? -1 : 1;
  }
  return al === bl ? 0 : al > bl ? -1 : 1;
}

/** The judged documents of one query prepared for byte-level lookup. */
export class JudgedLookup {
  readonly #ids: Uint8Array[] = [];
  readonly #labels: number[] = [];
  readonly #table: Int32Array;
  readonly #mask: number;

  /** Prepare lookups of `docs` (document id -> label). */
  constructor(docs: ReadonlyMap<string, number>) {
    for (const [docId, label] of docs) {
      this.#ids.push(encoder.encode(docId));
      this.#labels.push(label);
    }
    let size = 0;
    if (this.#ids.length > 4) {
      size = 16;
      while (size < 2 * this.#ids.length) size *= 2;
    }
    this.#table = new Int32Array(size);
    this.#mask = size - 1;
    for (let j = 0; size > 0 && j < this.#ids.length; j++) {
      const id = this.#ids[j]!;
      let slot = hashBytes(id, 0, id.length) & this.#mask;
      while (this.#table[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#table[slot] = j + 1;
    }
  }

  /** Number of judged documents. */
  get size(): number {
    return this.#ids.length;
  }

  /** Index of the judged document with id `bytes[start, end)`, or -1. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const ids = this.#ids;
    if (this.#table.length === 0) {
      for (let j = 0; j < ids.length; j++) if (equalBytes(ids[j]!, bytes, start, end)) return j;
      return -1;
    }
    let slot = hashBytes(bytes, start, end) & this.#mask;
    while (true) {
      const j = this.#table[slot]!;
      if (j === 0) return -1;
      if (equalBytes(ids[j - 1]!, bytes, start, end)) return j - 1;
      slot = (slot + 1) & this.#mask;
    }
  }

  /** Label of judged document `j`. */
  label(j: number): number {
    return this.#labels[j]!;
  }
}

function equalBytes(id: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  const length = id.length;
  if (end - start !== length) return false;
  for (let k = 0; k < length; k++) if (id[k] !== bytes[start + k]) return false;
  return true;
}

const JUDGED = 1;
const DROPPED = 2;
let marks = new Uint8Array(4096);

/**
 * Ranks of the judged documents retrieved for query index `q` of `run`.
 *
 * @param dropIdenticalIds drop documents whose id equals the query id first (BEIR)
 */
export function judgedRanks(
  run: Run,
  q: number,
  judged: JudgedLookup,
  dropIdenticalIds: boolean,
): JudgedRanks {
  const start = run.queryStart[q]!;
  const end = run.queryStart[q + 1]!;
  const count = end - start;
  if (marks.length < count) marks = new Uint8Array(count * 2);
  marks.fill(0, 0, count);
  const bytes = run.docIdBytes;
  const starts = run.docIdStart;
  const entries: number[] = [];
  let dropped = 0;
  let queryBytes: Uint8Array | undefined;
  if (dropIdenticalIds) queryBytes = encoder.encode(run.queryIds[q]!);
  for (let i = start; i < end; i++) {
    const s = starts[i]!;
    const e = starts[i + 1]!;
    if (queryBytes !== undefined && equalBytes(queryBytes, bytes, s, e)) {
      marks[i - start] = DROPPED;
      dropped++;
      continue;
    }
    if (judged.find(bytes, s, e) >= 0) {
      marks[i - start] = JUDGED;
      entries.push(i);
    }
  }
  const retrieved = count - dropped;
  const m = entries.length;
  if (m === 0) return { retrieved, ranks: [], labels: [] };
  entries.sort((a, b) => compareEntries(run, a, b));
  // above[p]: documents ranked above judged entry p but below entry p - 1.
  const above = new Int32Array(m + 1);
  for (let i = start; i < end; i++) {
    if (marks[i - start] !== 0) continue;
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEntries(run, entries[mid]!, i) < 0) lo = mid + 1;
      else hi = mid;
    }
    above[lo]!++;
  }
  const ranks: number[] = new Array(m);
  const labels: number[] = new Array(m);
  let before = 0;
  for (let t = 0; t < m; t++) {
    before += above[t]!;
    ranks[t] = t + 1 + before;
    const i = entries[t]!;
    labels[t] = judged.label(judged.find(bytes, starts[i]!, starts[i + 1]!));
  }
  return { retrieved, ranks, labels };
}
