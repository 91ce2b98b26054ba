/**
 * Streaming line reader: numbered lines from a file (gzip or plain) or from any chunk stream,
 * with bounded memory (one chunk plus the longest line).
 *
 * @module
 */

import { readTextChunks, type TextChunkOptions } from "./text_chunks.ts";

/** One line of a text file, without its terminator (`\n` or `\r\n`). */
export interface Line {
  /** The line's text. */
  readonly text: string;
  /** 1-based line number in the file. */
  readonly number: number;
}

/** Options for {@linkcode splitLines} and {@linkcode readLines}. */
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
 * Split a stream of text chunks into numbered lines. A final line without a terminator is
 * yielded unless empty; a `\r` before `\n` is removed (CRLF files such as Cranfield).
 */
export async function* splitLines(
  chunks: AsyncIterable<string>,
  options: LineOptions = {},
): AsyncGenerator<Line, void, undefined> {
  const source = options.source ?? "<stream>";
  const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  let carry = "";
  let number = 0;
  for await (const chunk of chunks) {
    let start = 0;
    let newline = chunk.indexOf("\n");
    while (newline !== -1) {
      let text = carry.length > 0
        ? carry + chunk.slice(start, newline)
        : chunk.slice(start, newline);
      carry = "";
      number++;
      if (text.length > max) throw tooLong(source, number, max);
      if (text.endsWith("\r")) text = text.slice(0, -1);
      yield { text, number };
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) {
      carry += chunk.slice(start);
      if (carry.length > max) throw tooLong(source, number + 1, max);
    }
  }
  if (carry.length > 0) {
    number++;
    const text = carry.endsWith("\r") ? carry.slice(0, -1) : carry;
    yield { text, number };
  }
}

/**
 * Read the numbered lines of a file, gunzipping it when it is gzip.
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
  options: LineOptions & TextChunkOptions = {},
): AsyncGenerator<Line, void, undefined> {
  const { gzip, ...lineOptions } = options;
  const chunks = readTextChunks(path, gzip === undefined ? {} : { gzip });
  return splitLines(chunks, { source: path, ...lineOptions });
}
