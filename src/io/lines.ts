/**
 * The one line splitter: byte chunks (split anywhere) into numbered lines with bounded memory
 * (one chunk plus the longest line), delivered as byte ranges to a sink (fast path of the TREC
 * readers) or decoded as text {@linkcode Line}s by {@linkcode readLines}.
 *
 * @module
 */

import { type ByteChunkOptions, readByteChunks, textReadError } from "./byte_chunks.ts";
import { decodeBytes } from "./utf8.ts";

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const BYTE_ORDER_MARK = 0xfeff;
/** Text lines are read in 64 KiB chunks, so the strings they are sliced from stay small. */
const TEXT_CHUNK_SIZE = 1 << 16;

/**
 * Receives whole lines in blocks: `bytes[start, end)` holds one or more complete lines, each
 * ended by `\n` except the block's last one, which may end at `end` instead. Parsers that find
 * line ends while they scan fields (the run reader) take blocks, so the splitter calls them
 * once per chunk.
 */
export interface LineBlockSink {
  /**
   * Handle the lines of the block, the first being line `firstLine` (1-based); return how many
   * lines the block held. `bytes` is only valid during the call.
   */
  block(bytes: Uint8Array, start: number, end: number, firstLine: number): number;
}

/** Receives each line as a byte range `[start, end)` of `bytes` (no terminator). */
export interface LineSink {
  /** Handle one line; `bytes` is only valid during the call. */
  line(bytes: Uint8Array, start: number, end: number, lineNumber: number): void;
}

/** Adapts a per-line {@linkcode LineSink} to blocks. */
class EachLine implements LineBlockSink {
  readonly #sink: LineSink;

  constructor(sink: LineSink) {
    this.#sink = sink;
  }

  block(bytes: Uint8Array, start: number, end: number, firstLine: number): number {
    // A plain loop: TypedArray#indexOf costs far more per call than the few bytes it scans.
    const sink = this.#sink;
    let line = firstLine;
    let from = start;
    for (let i = start; i < end; i++) {
      if (bytes[i] === NEWLINE) {
        sink.line(bytes, from, i, line++);
        from = i + 1;
      }
    }
    if (from < end) sink.line(bytes, from, end, line++);
    return line - firstLine;
  }
}

/**
 * Splits a sequence of byte chunks into lines for a sink; a line spanning chunks is joined in a
 * carry buffer. A final line without a terminator is delivered by {@linkcode finish}; a final
 * empty line is not. Memory: one chunk plus the longest line.
 */
export class LineSplitter {
  readonly #sink: LineBlockSink;
  #carry: Uint8Array = new Uint8Array(256);
  #carryLength = 0;
  #lines = 0;

  /** Split lines for `sink`: a per-line {@linkcode LineSink} or a {@linkcode LineBlockSink}. */
  constructor(sink: LineSink | LineBlockSink) {
    this.#sink = "block" in sink ? sink : new EachLine(sink);
  }

  /** Number of lines delivered so far. */
  get lines(): number {
    return this.#lines;
  }

  /** Bytes of the unfinished line waiting for its end. */
  get pending(): number {
    return this.#carryLength;
  }

  /** Feed the next chunk (the caller may reuse it after this returns). */
  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    if (this.#carryLength > 0) {
      while (i < n && chunk[i] !== NEWLINE) i++;
      this.#append(chunk, 0, i);
      if (i === n) return;
      this.#lines += this.#sink.block(this.#carry, 0, this.#carryLength, this.#lines + 1);
      this.#carryLength = 0;
      i++;
    }
    let last = n - 1;
    while (last >= i && chunk[last] !== NEWLINE) last--;
    // Every line in [i, last] ends with a newline; the tail after `last` waits for more bytes.
    if (i <= last) this.#lines += this.#sink.block(chunk, i, last + 1, this.#lines + 1);
    if (last + 1 < n) this.#append(chunk, last + 1, n);
  }

  /** Deliver a final line that had no terminator. */
  finish(): void {
    if (this.#carryLength > 0) {
      this.#lines += this.#sink.block(this.#carry, 0, this.#carryLength, this.#lines + 1);
      this.#carryLength = 0;
    }
  }

  #append(chunk: Uint8Array, start: number, end: number): void {
    const needed = this.#carryLength + (end - start);
    if (needed > this.#carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.#carry.length * 2));
      grown.set(this.#carry.subarray(0, this.#carryLength));
      this.#carry = grown;
    }
    this.#carry.set(chunk.subarray(start, end), this.#carryLength);
    this.#carryLength = needed;
  }
}

/** Feed in-memory text or bytes to a sink line by line; returns the number of lines. */
export function splitLines(input: string | Uint8Array, sink: LineSink | LineBlockSink): number {
  const splitter = new LineSplitter(sink);
  splitter.push(typeof input === "string" ? new TextEncoder().encode(input) : input);
  splitter.finish();
  return splitter.lines;
}

/**
 * Feed a whole file (gzip or plain, see {@linkcode readByteChunks}) to a sink line by line;
 * returns the number of lines.
 */
export async function readFileLines(
  path: string,
  sink: LineSink | LineBlockSink,
  options: ByteChunkOptions = {},
): Promise<number> {
  const splitter = new LineSplitter(sink);
  for await (const chunk of readByteChunks(path, options)) splitter.push(chunk);
  splitter.finish();
  return splitter.lines;
}

/** One line of a text file, without its terminator (`\n` or `\r\n`). */
export interface Line {
  /** The line's text. */
  readonly text: string;
  /** 1-based line number in the file. */
  readonly number: number;
}

/** Options for {@linkcode readLines} and {@linkcode decodeLines}. */
export interface LineOptions {
  /** Name of the source for error messages (the path, for {@linkcode readLines}). */
  readonly source?: string;
  /**
   * Longest line accepted, in UTF-16 code units (default 256 Mi): a longer line is a RangeError
   * instead of unbounded memory growth.
   */
  readonly maxLineLength?: number;
}

/** Default {@linkcode LineOptions.maxLineLength}: 256 Mi code units. */
export const DEFAULT_MAX_LINE_LENGTH = 256 * 1024 * 1024;

function tooLong(source: string, number: number, max: number): RangeError {
  return new RangeError(
    `Cannot read line ${number} of "${source}": longer than the limit of ${max} characters`,
  );
}

/**
 * Decodes blocks of lines to {@linkcode Line}s (strict UTF-8, CR of CRLF dropped, length bound):
 * one decoder call per block, then a string split, so short lines cost no decoder call each.
 */
class TextLines implements LineBlockSink {
  readonly out: Line[] = [];
  readonly #source: string;
  readonly #max: number;
  readonly #encoding: { readonly encoding: string };

  constructor(source: string, max: number, encoding: { readonly encoding: string }) {
    this.#source = source;
    this.#max = max;
    this.#encoding = encoding;
  }

  block(bytes: Uint8Array, start: number, end: number, firstLine: number): number {
    let text: string;
    try {
      text = decodeBytes(bytes, start, end, true);
    } catch (cause) {
      throw this.#invalid(bytes, start, end, firstLine, cause);
    }
    let number = firstLine;
    let from = 0;
    const n = text.length;
    while (from < n) {
      let newline = text.indexOf("\n", from);
      if (newline === -1) newline = n;
      let line = text.slice(
        from,
        text.charCodeAt(newline - 1) === CARRIAGE_RETURN && newline > from ? newline - 1 : newline,
      );
      if (number === 1 && line.charCodeAt(0) === BYTE_ORDER_MARK) line = line.slice(1);
      if (line.length > this.#max) throw tooLong(this.#source, number, this.#max);
      this.out.push({ text: line, number });
      number++;
      from = newline + 1;
    }
    return number - firstLine;
  }

  /** The error for invalid UTF-8 in a block, naming the first bad line. */
  #invalid(
    bytes: Uint8Array,
    start: number,
    end: number,
    firstLine: number,
    cause: unknown,
  ): SyntaxError {
    let number = firstLine;
    let from = start;
    for (let i = start; i <= end; i++) {
      if (i === end || bytes[i] === NEWLINE) {
        try {
          decodeBytes(bytes, from, i, true);
        } catch {
          break;
        }
        number++;
        from = i + 1;
      }
    }
    return new SyntaxError(
      `Cannot read "${this.#source}" as ${this.#encoding.encoding} text: invalid bytes on line ${number}`,
      { cause },
    );
  }
}

/**
 * Split byte chunks (cut anywhere) into decoded numbered {@linkcode Line}s: strict UTF-8, a
 * leading byte-order mark and the `\r` of `\r\n` dropped, a final line without terminator
 * yielded unless empty. `encoding.encoding` names the input in error messages (read when an
 * error occurs, so a source may fill it in late).
 */
export async function* decodeLines(
  chunks: AsyncIterable<Uint8Array>,
  options: LineOptions & { readonly encoding?: { readonly encoding: string } } = {},
): AsyncGenerator<Line, void, undefined> {
  const source = options.source ?? "<stream>";
  const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const lines = new TextLines(source, max, options.encoding ?? { encoding: "UTF-8" });
  const splitter = new LineSplitter(lines);
  // A code unit takes at most 3 UTF-8 bytes: a longer carry is certainly over the limit.
  const maxPending = 3 * max;
  for await (const chunk of chunks) {
    splitter.push(chunk);
    // A plain loop: `yield*` over an array costs an extra promise per line in an async generator.
    const out = lines.out;
    for (let i = 0; i < out.length; i++) yield out[i]!;
    out.length = 0;
    if (splitter.pending > maxPending) throw tooLong(source, splitter.lines + 1, max);
  }
  splitter.finish();
  for (const line of lines.out) yield line;
}

/**
 * Read the numbered lines of a file, gunzipping it when it is gzip (see {@linkcode decodeLines}).
 *
 * @example
 * ```ts
 * for await (const { text, number } of readLines("queries.tsv.gz")) {
 *   if (text === "") throw new SyntaxError(`Empty line ${number}`);
 * }
 * ```
 */
export function readLines(
  path: string,
  options: LineOptions & ByteChunkOptions = {},
): AsyncGenerator<Line, void, undefined> {
  const { gzip: gzipOption, ...lineOptions } = options;
  // Mutable: the chunk source learns whether the file is gzip before the first line is decoded.
  const described = { encoding: "UTF-8" };
  async function* checked(): AsyncGenerator<Uint8Array, void, undefined> {
    const chunks = readByteChunks(path, {
      gzip: gzipOption ?? "auto",
      chunkSize: TEXT_CHUNK_SIZE,
      onFormat: (gzip) => {
        if (gzip) described.encoding = "gzip-compressed UTF-8";
      },
    });
    try {
      while (true) {
        let step: IteratorResult<Uint8Array, void>;
        try {
          step = await chunks.next();
        } catch (cause) {
          throw textReadError(path, described.encoding, cause);
        }
        if (step.done) return;
        yield step.value;
      }
    } finally {
      await chunks.return();
    }
  }
  return decodeLines(checked(), { source: path, encoding: described, ...lineOptions });
}
