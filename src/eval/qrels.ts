/**
 * Relevance judgments (qrels): the Qrels value and its readers for TREC (`qid iter docid label`)
 * and BEIR (`query-id corpus-id score` with header, tab-separated) files, format auto-detected,
 * gzip accepted.
 *
 * @module
 */

import { decodeBytes, isSpace, type LineSink, readFileLines, splitLines } from "./byte_lines.ts";

/** Judgments per query: query id -> document id -> integer label (<= 0: non-relevant). */
export interface Qrels {
  readonly kind: "qrels";
  /** Every judged query (a query may have no relevant document), in file order. */
  readonly queries: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Qrels file layouts: TREC 4 columns, BEIR 3 columns with header, or detect from content. */
export type QrelsFormat = "trec" | "beir" | "auto";

/** Options of {@linkcode parseQrels} and {@linkcode readQrels}. */
export interface QrelsOptions {
  /** File layout (default "auto": a `query-id` header means BEIR, 4 fields mean TREC). */
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

const INTEGER = /^[+-]?\d+$/;

class QrelsParser implements LineSink {
  readonly queries = new Map<string, Map<string, number>>();
  #format: QrelsFormat;
  #source: string;
  #sawContent = false;

  constructor(format: QrelsFormat, source: string) {
    this.#format = format;
    this.#source = source;
  }

  line(bytes: Uint8Array, start: number, end: number, lineNumber: number): void {
    let i = start;
    while (i < end && isSpace(bytes[i]!)) i++;
    if (i === end) return; // blank line
    if (bytes[i] === 35 /* # */ && this.#format !== "beir") return; // trec_eval comment
    const fields = this.#fields(bytes, i, end, lineNumber);
    if (!this.#sawContent) {
      this.#sawContent = true;
      const header = fields[0] === "query-id";
      if (this.#format === "auto") {
        this.#format = header ? "beir" : fields.length === 4 ? "trec" : "auto";
      }
      if (this.#format === "beir") {
        if (!header || fields.length !== 3) {
          throw this.#error(
            lineNumber,
            `expected the BEIR header "query-id corpus-id score"`,
            `"${fields.join(" ")}"`,
          );
        }
        return;
      }
      if (this.#format === "auto") {
        throw this.#error(
          lineNumber,
          `a BEIR header "query-id corpus-id score" or 4 TREC fields "qid iter docid label"`,
          `${fields.length} fields`,
        );
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
  }

  finish(): Qrels {
    if (this.queries.size === 0) {
      throw new SyntaxError(`Cannot read qrels "${this.#source}": no judgments found (empty file)`);
    }
    return { kind: "qrels", queries: this.queries };
  }

  #fields(bytes: Uint8Array, start: number, end: number, lineNumber: number): string[] {
    let text: string;
    try {
      text = decodeBytes(bytes, start, end);
    } catch {
      throw this.#error(lineNumber, "UTF-8 text", "invalid bytes");
    }
    return text.trim().split(/\s+/);
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
