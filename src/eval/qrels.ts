/**
 * Relevance judgments (qrels): the Qrels value and the one BEIR/TREC qrels reader — TREC
 * (`qid iter docid label`) and BEIR (`query-id corpus-id score`, header optional) files, fields
 * split on runs of whitespace, format auto-detected, gzip accepted.
 *
 * @module
 */

import {
  byteOrderMarkError,
  decodeBytes,
  type LineSink,
  LineSplitter,
  readByteChunks,
  readFileLines,
  splitLines,
  startsWithByteOrderMark,
} from "../io/mod.ts";
import { isSpace } from "./trec_space.ts";

/** Judgments per query: query id -> document id -> integer label (<= 0: non-relevant). */
export interface Qrels {
  readonly kind: "qrels";
  /** Every judged query (a query may have no relevant document), in file order. */
  readonly queries: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Qrels file layouts: TREC 4 columns, BEIR 3 columns (header optional), or detect from content. */
export type QrelsFormat = "trec" | "beir" | "auto";

/** Options of {@linkcode parseQrels} and {@linkcode readQrels}. */
export interface QrelsOptions {
  /** File layout (default "auto": a `query-id` header or 3 fields mean BEIR, 4 fields TREC). */
  readonly format?: QrelsFormat;
  /** Name used in error messages (default: the path, or "<qrels>"). */
  readonly source?: string;
}

/** One judgment, for {@linkcode qrelsFromJudgments}. */
export interface Judgment {
  readonly queryId: string;
  readonly docId: string;
  readonly label: number;
}

/**
 * Build qrels from judgments (a query listed with no documents is kept as judged with none).
 *
 * @throws {SyntaxError} when a document is judged twice for a query
 * @throws {RangeError} when a label is not an integer
 */
export function qrelsFromJudgments(
  judgments: Iterable<Judgment>,
  queries: Iterable<string> = [],
): Qrels {
  const map = new Map<string, Map<string, number>>();
  for (const q of queries) if (!map.has(q)) map.set(q, new Map());
  for (const { queryId, docId, label } of judgments) {
    if (!Number.isSafeInteger(label)) {
      throw new RangeError(
        `Cannot add judgment of "${docId}" for query "${queryId}": label must be an integer, found ${label}`,
      );
    }
    let docs = map.get(queryId);
    if (docs === undefined) map.set(queryId, docs = new Map());
    if (docs.has(docId)) {
      throw new SyntaxError(
        `Cannot add judgment: document "${docId}" is judged twice for query "${queryId}"`,
      );
    }
    docs.set(docId, label);
  }
  return { kind: "qrels", queries: map };
}

/** A label: optional sign and ASCII digits. */
const INTEGER = /^[+-]?\d+$/;

/**
 * The one BEIR/TREC qrels line parser: fields split on runs of ASCII whitespace, TREC
 * `qid iter docid label` or BEIR `query-id corpus-id score` with its header line optional,
 * label = optional sign + digits, `#` comment lines in TREC files (as trec_eval).
 */
class QrelsParser implements LineSink {
  readonly queries = new Map<string, Map<string, number>>();
  /** Judgments parsed since the last {@linkcode take}, when streaming. */
  readonly pending: Judgment[] = [];
  #format: QrelsFormat;
  readonly #source: string;
  readonly #stream: boolean;
  #sawContent = false;

  constructor(format: QrelsFormat, source: string, stream = false) {
    this.#format = format;
    this.#source = source;
    this.#stream = stream;
  }

  line(bytes: Uint8Array, start: number, end: number, lineNumber: number): void {
    if (lineNumber === 1 && startsWithByteOrderMark(bytes, start, end)) {
      throw byteOrderMarkError("qrels", this.#source);
    }
    let i = start;
    while (i < end && isSpace(bytes[i]!)) i++;
    if (i === end) return; // blank line
    if (bytes[i] === 35 /* # */ && this.#format !== "beir") return; // trec_eval comment
    const fields = this.#fields(bytes, i, end, lineNumber);
    if (!this.#sawContent) {
      this.#sawContent = true;
      const header = fields[0] === "query-id";
      if (this.#format === "auto") {
        this.#format = header || fields.length === 3
          ? "beir"
          : fields.length === 4
          ? "trec"
          : "auto";
      }
      if (this.#format === "auto") {
        throw this.#error(
          lineNumber,
          `3 BEIR fields "query-id corpus-id score" or 4 TREC fields "qid iter docid label"`,
          `${fields.length} fields`,
        );
      }
      if (this.#format === "beir" && header) {
        if (fields.length !== 3) {
          throw this.#error(
            lineNumber,
            `the BEIR header "query-id corpus-id score"`,
            `"${fields.join(" ")}"`,
          );
        }
        return;
      }
    }
    const expected = this.#format === "beir" ? 3 : 4;
    if (fields.length !== expected) {
      const layout = expected === 3 ? `"query-id corpus-id score"` : `"qid iter docid label"`;
      throw this.#error(lineNumber, `${expected} fields ${layout}`, `${fields.length}`);
    }
    const queryId = fields[0]!;
    const docId = fields[expected - 2]!;
    const labelText = fields[expected - 1]!;
    if (!INTEGER.test(labelText)) {
      throw this.#error(lineNumber, "an integer label", `"${labelText}"`);
    }
    const label = Number(labelText);
    let docs = this.queries.get(queryId);
    if (docs === undefined) this.queries.set(queryId, docs = new Map());
    if (docs.has(docId)) {
      throw new SyntaxError(
        `Cannot parse qrels line ${lineNumber} of "${this.#source}": document "${docId}" is judged twice for query "${queryId}"`,
      );
    }
    docs.set(docId, label);
    if (this.#stream) this.pending.push({ queryId, docId, label });
  }

  finish(): Qrels {
    if (this.queries.size === 0) {
      throw new SyntaxError(`Cannot read qrels "${this.#source}": no judgments found (empty file)`);
    }
    return { kind: "qrels", queries: this.queries };
  }

  /** The fields of `bytes[start, end)`, split on runs of ASCII whitespace. */
  #fields(bytes: Uint8Array, start: number, end: number, lineNumber: number): string[] {
    const fields: string[] = [];
    let i = start;
    try {
      while (i < end) {
        while (i < end && isSpace(bytes[i]!)) i++;
        if (i === end) break;
        const from = i;
        while (i < end && !isSpace(bytes[i]!)) i++;
        fields.push(decodeBytes(bytes, from, i));
      }
    } catch {
      throw this.#error(lineNumber, "UTF-8 text", "invalid bytes");
    }
    return fields;
  }

  #error(lineNumber: number, expected: string, found: string): SyntaxError {
    return new SyntaxError(
      `Cannot parse qrels line ${lineNumber} of "${this.#source}": expected ${expected}, found ${found}`,
    );
  }
}

/**
 * Parse qrels from text or bytes (gzip not accepted here; use {@linkcode readQrels}).
 *
 * @throws {SyntaxError} on a malformed line (naming source, line, expected and found), a
 *   document judged twice for a query, or no judgments at all
 */
export function parseQrels(input: string | Uint8Array, options: QrelsOptions = {}): Qrels {
  const parser = new QrelsParser(options.format ?? "auto", options.source ?? "<qrels>");
  splitLines(input, parser);
  return parser.finish();
}

/**
 * Read a qrels file (TREC or BEIR layout, plain or gzip), streaming.
 *
 * @throws {SyntaxError} as {@linkcode parseQrels}; Deno.errors.NotFound when the file is absent
 */
export async function readQrels(path: string, options: QrelsOptions = {}): Promise<Qrels> {
  const parser = new QrelsParser(options.format ?? "auto", options.source ?? path);
  await readFileLines(path, parser);
  return parser.finish();
}

/**
 * Stream the judgments of a qrels file (rules of {@linkcode parseQrels}; plain or gzip) in file
 * order; an empty file yields nothing. Memory: the (query, document) pairs seen, to refuse a
 * repeat.
 *
 * @throws {SyntaxError} as {@linkcode parseQrels}, except that no judgments is not an error
 */
export async function* readJudgments(
  path: string,
  options: QrelsOptions = {},
): AsyncGenerator<Judgment, void, undefined> {
  const parser = new QrelsParser(options.format ?? "auto", options.source ?? path, true);
  const splitter = new LineSplitter(parser);
  const out = parser.pending;
  for await (const chunk of readByteChunks(path)) {
    splitter.push(chunk);
    // A plain loop: `yield*` over an array costs an extra promise per item in an async generator.
    for (let i = 0; i < out.length; i++) yield out[i]!;
    out.length = 0;
  }
  splitter.finish();
  for (const judgment of out) yield judgment;
}
