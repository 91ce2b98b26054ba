/**
 * Fast streaming reader of TREC run files (`qid Q0 docid rank score tag`, whitespace-separated,
 * gzip accepted): parses bytes directly into the columnar {@linkcode Run}, with no string per
 * line.
 *
 * @module
 */

import {
  byteOrderMarkError,
  decodeBytes,
  isStdinPath,
  type LineBlockSink,
  LineSplitter,
  readFileLines,
  splitLines,
  startsWithByteOrderMark,
} from "../io/mod.ts";
import { isSpace } from "./trec_space.ts";
import { type Run, RunBuilder } from "./run.ts";

/** Options of {@linkcode readRun} and {@linkcode parseRun}. */
export interface RunReadOptions {
  /** Name used in error messages (default: the path, or "<run>"). */
  readonly source?: string;
}

const POW10 = [
  1,
  1e1,
  1e2,
  1e3,
  1e4,
  1e5,
  1e6,
  1e7,
  1e8,
  1e9,
  1e10,
  1e11,
  1e12,
  1e13,
  1e14,
  1e15,
  1e16,
  1e17,
  1e18,
  1e19,
  1e20,
  1e21,
  1e22,
];

/**
 * Parse a decimal score from `bytes[start, end)` to the same double as C's `strtod` (what
 * trec_eval's `atof` returns). Fast path (Clinger): at most 15 significant digits and a
 * power-of-ten scale within 10^22, where one correctly rounded division or multiplication is
 * exact; anything else (exponents, long mantissas) goes through `Number`. NaN when invalid.
 */
export function parseScore(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = bytes[i];
  if (first === 45 /* - */) {
    negative = true;
    i++;
  } else if (first === 43 /* + */) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let sawDot = false;
  let sawDigit = false;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 48 && c <= 57) {
      sawDigit = true;
      if (mantissa === 0 && c === 48) {
        if (sawDot) fraction++;
        continue; // leading zeros are not significant
      }
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (sawDot) fraction++;
    } else if (c === 46 /* . */ && !sawDot) {
      sawDot = true;
    } else {
      break;
    }
  }
  if (i === end && sawDigit && digits <= 15 && fraction <= 22) {
    const value = mantissa / POW10[fraction]!;
    return negative ? -value : value;
  }
  const text = decodeBytes(bytes, start, end);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && !/^[+-]?Infinity$/.test(text)) {
    return NaN;
  }
  return Number(text);
}

/**
 * Parses run lines; it takes whole blocks of lines from io's LineSplitter and finds each line's
 * end while it scans the fields, so the per-line call stays monomorphic and inlined on the hot
 * path.
 */
class RunParser implements LineBlockSink {
  readonly builder: RunBuilder;
  #lineNumbers: Uint32Array; // line of each entry, for duplicate errors
  #source: string;
  #lastQid = new Uint8Array(64);
  #lastQidLength = -1;
  #lastQuery = -1;

  constructor(source: string, sizeHint = 0) {
    this.#source = source;
    // A TREC run line is rarely under 24 bytes; ids take well under a quarter of a line.
    this.builder = new RunBuilder({ entries: sizeHint / 24, idBytes: sizeHint / 4 });
    this.#lineNumbers = new Uint32Array(Math.max(1024, Math.ceil(sizeHint / 24)));
  }

  /**
   * Parse the line starting at `start`; it ends at the first newline or at `limit`. Returns the
   * index of that newline (or `limit`).
   */
  line(bytes: Uint8Array, start: number, limit: number, lineNumber: number): number {
    // Field boundaries: qid, iter, docid, rank, score, tag.
    let i = skipSpace(bytes, start, limit);
    if (i === limit || bytes[i] === 10) return i; // blank line
    if (bytes[i] === 35 /* # */) return lineEnd(bytes, i, limit); // comment, as trec_eval
    const qs = i;
    i = skipWord(bytes, i, limit);
    const qe = i;
    i = skipWord(bytes, skipSpace(bytes, i, limit), limit); // iter
    const ds = skipSpace(bytes, i, limit);
    i = skipWord(bytes, ds, limit);
    const de = i;
    i = skipWord(bytes, skipSpace(bytes, i, limit), limit); // rank (ignored, as trec_eval)
    const ss = skipSpace(bytes, i, limit);
    const se = skipWord(bytes, ss, limit);
    const ts = skipSpace(bytes, se, limit);
    const te = skipWord(bytes, ts, limit);
    // Fields after the 6th (the tag) are ignored, as trec_eval ignores them.
    i = lineEnd(bytes, te, limit);
    if (te === ts) {
      const end = lineEnd(bytes, start, limit);
      throw this.#error(
        lineNumber,
        '6 fields "qid Q0 docid rank score tag"',
        `${countFields(bytes, start, end)}`,
      );
    }
    const score = parseScore(bytes, ss, se);
    if (Number.isNaN(score)) {
      throw this.#error(
        lineNumber,
        "a numeric score in field 5",
        `"${decodeBytes(bytes, ss, se)}"`,
      );
    }
    let q = this.#lastQuery;
    if (!this.#sameQid(bytes, qs, qe)) {
      q = this.builder.queryIndex(decodeBytes(bytes, qs, qe));
      this.#rememberQid(bytes, qs, qe);
      this.#lastQuery = q;
    }
    const entry = this.builder.size;
    if (entry === this.#lineNumbers.length) {
      const grown = new Uint32Array(entry * 2);
      grown.set(this.#lineNumbers);
      this.#lineNumbers = grown;
    }
    this.#lineNumbers[entry] = lineNumber;
    this.builder.addBytes(q, bytes, ds, de, score);
    return i;
  }

  /** Parse the lines of a block (see io's LineBlockSink); returns how many there were. */
  block(bytes: Uint8Array, start: number, end: number, firstLine: number): number {
    if (firstLine === 1 && startsWithByteOrderMark(bytes, start, end)) {
      throw byteOrderMarkError("run", this.#source);
    }
    let lineNumber = firstLine;
    let i = start;
    while (i < end) i = this.line(bytes, i, end, lineNumber++) + 1;
    return lineNumber - firstLine;
  }

  finish(): Run {
    if (this.builder.size === 0) {
      throw new SyntaxError(
        `Cannot read run "${this.#source}": no result lines found (empty file)`,
      );
    }
    const lines = this.#lineNumbers;
    return this.builder.build((queryId, docId, first, second) =>
      new SyntaxError(
        `Cannot parse run line ${
          lines[second]
        } of "${this.#source}": document "${docId}" is listed twice for query "${queryId}" (first on line ${
          lines[first]
        })`,
      )
    );
  }

  #sameQid(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (length !== this.#lastQidLength) return false;
    const last = this.#lastQid;
    for (let k = 0; k < length; k++) if (last[k] !== bytes[start + k]) return false;
    return true;
  }

  #rememberQid(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length > this.#lastQid.length) this.#lastQid = new Uint8Array(length * 2);
    this.#lastQid.set(bytes.subarray(start, end));
    this.#lastQidLength = length;
  }

  #error(lineNumber: number, expected: string, found: string): SyntaxError {
    return new SyntaxError(
      `Cannot parse run line ${lineNumber} of "${this.#source}": expected ${expected}, found ${found}`,
    );
  }
}

function skipSpace(bytes: Uint8Array, i: number, limit: number): number {
  while (i < limit) {
    const c = bytes[i]!;
    if (c !== 32 && (c < 9 || c > 13 || c === 10)) break;
    i++;
  }
  return i;
}

function skipWord(bytes: Uint8Array, i: number, limit: number): number {
  while (i < limit) {
    const c = bytes[i]!;
    if (c === 32 || (c >= 9 && c <= 13)) break;
    i++;
  }
  return i;
}

function lineEnd(bytes: Uint8Array, i: number, limit: number): number {
  while (i < limit && bytes[i] !== 10) i++;
  return i;
}

function countFields(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  let inField = false;
  for (let i = start; i < end; i++) {
    const space = isSpace(bytes[i]!);
    if (!space && !inField) n++;
    inField = !space;
  }
  return n;
}

/**
 * Parse a TREC run from text or bytes (not gzip; use {@linkcode readRun} for files).
 *
 * @throws {SyntaxError} on a malformed line (source, line number, expected, found), a document
 *   listed twice for a query, or no result lines
 */
export function parseRun(input: string | Uint8Array, options: RunReadOptions = {}): Run {
  const parser = new RunParser(options.source ?? "<run>");
  splitLines(input, parser);
  return parser.finish();
}

/** Parse a run delivered as byte chunks split anywhere (tests chunk-boundary handling). */
export function parseRunChunks(chunks: Iterable<Uint8Array>, options: RunReadOptions = {}): Run {
  const parser = new RunParser(options.source ?? "<run>");
  const splitter = new LineSplitter(parser);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.finish();
  return parser.finish();
}

/**
 * Read a TREC run file (plain or gzip), streaming: memory is the columnar run (ids, scores,
 * offsets) plus one 4 MiB chunk, well under the file's size for typical ids.
 *
 * @throws {SyntaxError} as {@linkcode parseRun}; Deno.errors.NotFound when the file is absent
 */
export async function readRun(path: string, options: RunReadOptions = {}): Promise<Run> {
  // The size only pre-sizes buffers: a pipe (standard input) has none.
  const size = isStdinPath(path) ? 0 : (await Deno.stat(path)).size;
  const parser = new RunParser(options.source ?? path, size);
  await readFileLines(path, parser);
  return parser.finish();
}
