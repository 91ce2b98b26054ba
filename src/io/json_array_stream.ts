/**
 * Streaming JSON array parser: yields the elements of a top-level JSON array (RFC 8259) one at a
 * time, so a multi-GB array file (DPR's biencoder training data) is read in memory bounded by the
 * largest element plus one chunk.
 *
 * @module
 */

import { type ByteChunkOptions, readTextChunks } from "./byte_chunks.ts";

/** One element of a streamed JSON array. */
export interface JsonArrayElement {
  /** The parsed element (`JSON.parse` of its text). */
  readonly value: unknown;
  /** 0-based position in the array. */
  readonly index: number;
  /** 1-based line of the file on which the element starts. */
  readonly line: number;
}

/** Options for {@linkcode parseJsonArray} and {@linkcode readJsonArray}. */
export interface JsonArrayOptions {
  /** Name of the source for error messages (the path, for {@linkcode readJsonArray}). */
  readonly source?: string;
  /**
   * Largest element accepted, in UTF-16 code units (default 256 Mi): a larger one is a RangeError
   * instead of unbounded memory growth.
   */
  readonly maxElementLength?: number;
}

/** Default {@linkcode JsonArrayOptions.maxElementLength}: 256 Mi code units. */
export const DEFAULT_MAX_ELEMENT_LENGTH = 256 * 1024 * 1024;

const enum Phase {
  /** Before the opening `[`. */
  Open,
  /** After `[`: an element or `]`. */
  FirstElement,
  /** Inside an element. */
  Element,
  /** After an element: `,` or `]`. */
  Separator,
  /** After `,`: an element (a trailing comma is invalid JSON). */
  NextElement,
  /** After the closing `]`: whitespace only. */
  Done,
}

const enum Mode {
  /** An object or array: ends when its brackets balance. */
  Container,
  /** A string: ends at its closing quote. */
  String,
  /** A number or literal: ends at whitespace, `,` or `]`. */
  Scalar,
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const NEWLINE = 10;

function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9; // RFC 8259 section 2: ws
}

/**
 * Index of the first unescaped `"` in `chunk` at or after `from`, given that the character at
 * `from` is not escaped; -1 when the string runs past the chunk. (A raw newline inside a string
 * is invalid JSON: `JSON.parse` of the element reports it, so line counting may skip strings.)
 */
function closingQuote(chunk: string, from: number): number {
  let q = chunk.indexOf('"', from);
  while (q !== -1) {
    let backslashes = 0;
    for (let k = q - 1; k >= from && chunk.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = chunk.indexOf('"', q + 1);
  }
  return -1;
}

/** Whether `chunk` ends (after `from`) in an odd run of backslashes, escaping what follows. */
function endsInOddBackslashes(chunk: string, from: number): boolean {
  let backslashes = 0;
  for (let k = chunk.length - 1; k >= from && chunk.charCodeAt(k) === BACKSLASH; k--) backslashes++;
  return backslashes % 2 === 1;
}

function describe(c: number): string {
  return JSON.stringify(String.fromCharCode(c));
}

/**
 * Parse a top-level JSON array from a stream of text chunks, yielding each element as soon as it
 * is complete. Structure errors and malformed elements are SyntaxErrors naming the source and the
 * line.
 *
 * @example
 * ```ts
 * for await (const { value, index } of parseJsonArray(readTextChunks("train.json"))) {
 *   if (index === 0) console.log(value);
 * }
 * ```
 */
export async function* parseJsonArray(
  chunks: AsyncIterable<string>,
  options: JsonArrayOptions = {},
): AsyncGenerator<JsonArrayElement, void, undefined> {
  const source = options.source ?? "<stream>";
  const maxLength = options.maxElementLength ?? DEFAULT_MAX_ELEMENT_LENGTH;
  const where = (line: number): string => `line ${line} of "${source}"`;
  const unexpected = (line: number, expected: string, c: number): SyntaxError =>
    new SyntaxError(
      `Cannot parse JSON array at ${where(line)}: expected ${expected}, found ${describe(c)}`,
    );

  // Widened: the phase changes inside the loop in ways control-flow narrowing does not follow.
  let phase = Phase.Open as Phase;
  let mode = Mode.Container as Mode;
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let partsLength = 0;
  let elementLine = 1;
  let index = 0;

  const finish = (text: string): JsonArrayElement => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      const what = cause instanceof Error ? cause.message : String(cause);
      throw new SyntaxError(
        `Cannot parse element ${index} of the JSON array starting at ${
          where(elementLine)
        }: ${what}`,
        { cause },
      );
    }
    return { value, index: index++, line: elementLine };
  };

  for await (const chunk of chunks) {
    let start = 0;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (phase === Phase.Element) {
        if (inString) {
          if (escaped) {
            escaped = false;
            i++;
            continue;
          }
          if (c !== QUOTE && c !== BACKSLASH) {
            // Fast path: jump to the closing quote, or to the end of the chunk.
            const close = closingQuote(chunk, i);
            if (close === -1) {
              escaped = endsInOddBackslashes(chunk, i);
              i = n;
              continue;
            }
            i = close;
            continue;
          }
          if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            if (mode === Mode.String) {
              parts.push(chunk.slice(start, i + 1));
              yield finish(parts.join(""));
              parts = [];
              partsLength = 0;
              phase = Phase.Separator;
            }
          } else if (c === NEWLINE) line++;
          i++;
          continue;
        }
        if (mode === Mode.Scalar) {
          if (c === COMMA || c === CLOSE_BRACKET || isWhitespace(c)) {
            parts.push(chunk.slice(start, i));
            yield finish(parts.join(""));
            parts = [];
            partsLength = 0;
            phase = Phase.Separator;
            continue; // the delimiter is handled by the separator phase
          }
        } else if (c === QUOTE) inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) {
            parts.push(chunk.slice(start, i + 1));
            yield finish(parts.join(""));
            parts = [];
            partsLength = 0;
            phase = Phase.Separator;
          }
        } else if (c === NEWLINE) line++;
        i++;
        continue;
      }
      if (isWhitespace(c)) {
        if (c === NEWLINE) line++;
        i++;
        continue;
      }
      switch (phase) {
        case Phase.Open:
          if (c !== OPEN_BRACKET) throw unexpected(line, `"[" opening the top-level array`, c);
          phase = Phase.FirstElement;
          i++;
          continue;
        case Phase.Separator:
          if (c === COMMA) phase = Phase.NextElement;
          else if (c === CLOSE_BRACKET) phase = Phase.Done;
          else throw unexpected(line, `"," or "]" after element ${index - 1}`, c);
          i++;
          continue;
        case Phase.Done:
          throw unexpected(line, 'nothing after the closing "]"', c);
        case Phase.FirstElement:
        case Phase.NextElement:
          if (c === CLOSE_BRACKET) {
            if (phase === Phase.NextElement) throw unexpected(line, 'an element after ","', c);
            phase = Phase.Done;
            i++;
            continue;
          }
          if (c === COMMA) throw unexpected(line, "an element", c);
          phase = Phase.Element;
          elementLine = line;
          start = i;
          depth = 0;
          escaped = false;
          inString = false;
          if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            mode = Mode.Container;
            depth = 1;
          } else if (c === QUOTE) {
            mode = Mode.String;
            inString = true;
          } else mode = Mode.Scalar;
          i++;
          continue;
      }
    }
    if (phase === Phase.Element) {
      const rest = chunk.slice(start);
      parts.push(rest);
      partsLength += rest.length;
      if (partsLength > maxLength) {
        throw new RangeError(
          `Cannot parse element ${index} of the JSON array starting at ${where(elementLine)}: ` +
            `longer than the limit of ${maxLength} characters`,
        );
      }
    }
  }
  if (phase === Phase.Element && mode === Mode.Scalar) {
    yield finish(parts.join(""));
    phase = Phase.Separator;
  }
  if (phase !== Phase.Done) {
    const expected = phase === Phase.Open
      ? `"["`
      : phase === Phase.Element
      ? `the end of element ${index}`
      : `"]"`;
    throw new SyntaxError(
      `Cannot parse JSON array "${source}": unexpected end of input at line ${line}, expected ${expected}`,
    );
  }
}

/**
 * Stream the elements of the top-level JSON array in a file (gzip or plain).
 *
 * @example
 * ```ts
 * let n = 0;
 * for await (const _ of readJsonArray("biencoder-nq-dev.json")) n++;
 * ```
 */
export function readJsonArray(
  path: string,
  options: JsonArrayOptions & ByteChunkOptions = {},
): AsyncGenerator<JsonArrayElement, void, undefined> {
  const { gzip, ...arrayOptions } = options;
  const chunks = readTextChunks(path, gzip === undefined ? {} : { gzip });
  return parseJsonArray(chunks, { source: path, ...arrayOptions });
}
