/**
 * Classic SMART-format loaders (Salton's SMART system) for the Cranfield 1400 collection:
 * `cran.all.1400` documents and `cran.qry` queries made of `.I <id>` records with `.T` title,
 * `.A` author, `.B` source and `.W` text fields, and `cranqrel` judgments `qid docid code`.
 *
 * @module
 */

import { join } from "node:path";
import type { Judgment } from "../eval/mod.ts";
import { readLines } from "../io/mod.ts";
import { type DatasetCounts, type Document, IdTracker, lineError, type Query } from "./records.ts";

/** One `.I` record of a SMART file: its id, its fields by letter, and where it starts. */
export interface SmartRecord {
  /** The `.I` value as written (`"001"` in cran.qry). */
  readonly id: string;
  /** Field text by letter (`T`, `A`, `B`, `W`, ...): lines joined by spaces and trimmed. */
  readonly fields: Readonly<Record<string, string>>;
  /** Line of the `.I` marker. */
  readonly line: number;
  /** 1-based position of the record in the file. */
  readonly position: number;
}

const MARKER = /^\.([A-Z])(?:\s+(.*))?$/;

/**
 * Stream the records of a SMART file (CRLF or LF). A field marker is a line `.X` (X an upper-case
 * letter) at the start of a line; its text runs to the next marker. A marker of a field the
 * record already has does not start a new field: the text goes on in the current one (Cranfield
 * doc 240 has stray `.A` and `.B` lines inside its `.W` text, docs 576 and 578 a second `.W`).
 * Text before the first `.I`, an `.I` without an id, or a repeated id is a SyntaxError.
 */
export async function* readSmartRecords(
  path: string,
): AsyncGenerator<SmartRecord, void, undefined> {
  const ids = new IdTracker("SMART", path);
  let current: { id: string; line: number; fields: Record<string, string[]> } | undefined;
  let field: string | undefined;
  let position = 0;
  const finish = (): SmartRecord => {
    const record = current!;
    const fields: Record<string, string> = {};
    for (const [letter, lines] of Object.entries(record.fields)) {
      fields[letter] = lines.join(" ").replace(/\s+/g, " ").trim();
    }
    return { id: record.id, fields, line: record.line, position: ++position };
  };
  for await (const { text, number } of readLines(path)) {
    const marker = MARKER.exec(text.trimEnd());
    if (marker !== null) {
      const letter = marker[1]!;
      const rest = marker[2]?.trim() ?? "";
      if (letter === "I") {
        if (current !== undefined) yield finish();
        if (rest === "" || /\s/.test(rest)) {
          throw lineError("SMART", path, number, `expected ".I <id>", found "${text}"`);
        }
        ids.add(rest, number);
        current = { id: rest, line: number, fields: {} };
        field = undefined;
        continue;
      }
      if (current === undefined) {
        throw lineError("SMART", path, number, `expected ".I" before ".${letter}"`);
      }
      if (current.fields[letter] !== undefined) {
        // Quirk policy: a repeated marker continues the current field (see readSmartRecords).
        if (rest !== "") current.fields[field ?? letter]!.push(rest);
        continue;
      }
      current.fields[letter] = rest === "" ? [] : [rest];
      field = letter;
      continue;
    }
    if (text.trim() === "") continue;
    if (current === undefined || field === undefined) {
      throw lineError(
        "SMART",
        path,
        number,
        `expected a field marker such as ".I" or ".W", found "${text}"`,
      );
    }
    current.fields[field]!.push(text);
  }
  if (current !== undefined) yield finish();
}

/**
 * Stream the Cranfield documents of `cran.all.1400`: id from `.I`, title from `.T`, text from `.W`
 * (empty for docs 471 and 995, as in the source).
 */
export async function* readCranfieldDocuments(
  path: string,
): AsyncGenerator<Document, void, undefined> {
  for await (const record of readSmartRecords(path)) {
    yield { id: record.id, title: record.fields["T"] ?? "", text: record.fields["W"] ?? "" };
  }
}

/** A Cranfield query: its qrels id and the `.I` number written in `cran.qry`. */
export interface CranfieldQuery extends Query {
  /** The `.I` value in cran.qry (`"001"` .. `"365"`, with gaps), not used by the qrels. */
  readonly smartId: string;
}

/**
 * Stream the Cranfield queries of `cran.qry`. The id is the query's 1-based position in the file
 * (`"1"` .. `"225"`), which is what `cranqrel` uses; the `.I` numbers run 001..365 with gaps (the
 * well-known Cranfield quirk) and are kept as `smartId`.
 */
export async function* readCranfieldQueries(
  path: string,
): AsyncGenerator<CranfieldQuery, void, undefined> {
  for await (const record of readSmartRecords(path)) {
    yield { id: String(record.position), smartId: record.id, text: record.fields["W"] ?? "" };
  }
}

/**
 * How Cranfield relevance codes become labels. Codes are Cleverdon's 1 (complete answer) .. 4
 * (minimum interest), lower is better, plus `-1` (one line per query; no documented meaning).
 * - `graded`: relevance = 5 - code (4 .. 1), `-1` lines dropped (higher is better, as trec_eval
 *   expects);
 * - `raw`: the code as written, every line kept.
 */
export type CranfieldRelevance = "graded" | "raw";

/**
 * Stream the judgments of `cranqrel` (`qid docid code`, whitespace separated, CRLF tolerated).
 * Default `graded` (see {@linkcode CranfieldRelevance}); a code outside {-1, 1, 2, 3, 4} or a
 * repeated pair is a SyntaxError.
 */
export async function* readCranfieldQrels(
  path: string,
  relevance: CranfieldRelevance = "graded",
): AsyncGenerator<Judgment, void, undefined> {
  const pairs = new IdTracker("qrels", path);
  for await (const { text, number } of readLines(path)) {
    const fields = text.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === "") continue;
    if (fields.length !== 3) {
      throw lineError(
        "qrels",
        path,
        number,
        `expected 3 fields "qid docid code", found ${fields.length}`,
      );
    }
    const [queryId, docId, codeText] = fields as [string, string, string];
    const code = Number(codeText);
    if (![-1, 1, 2, 3, 4].includes(code) || !/^-?\d$/.test(codeText)) {
      throw lineError("qrels", path, number, `expected a code in -1, 1..4, found "${codeText}"`);
    }
    pairs.add(`${queryId}\t${docId}`, number);
    switch (relevance) {
      case "graded":
        if (code !== -1) yield { queryId, docId, label: 5 - code };
        break;
      case "raw":
        yield { queryId, docId, label: code };
        break;
      default: {
        const unknown: never = relevance;
        throw new TypeError(`Cannot read Cranfield qrels with relevance "${unknown}"`);
      }
    }
  }
}

/** Paths of the Cranfield files in a folder. */
export interface CranfieldPaths {
  /** `cran.all.1400`. */
  readonly documents: string;
  /** `cran.qry`. */
  readonly queries: string;
  /** `cranqrel`. */
  readonly qrels: string;
}

/** The Cranfield files in `dir` (`cran.all.1400`, `cran.qry`, `cranqrel`). */
export function cranfieldPaths(dir: string): CranfieldPaths {
  return {
    documents: join(dir, "cran.all.1400"),
    queries: join(dir, "cran.qry"),
    qrels: join(dir, "cranqrel"),
  };
}

/**
 * Count the Cranfield collection in `dir`: documents, queries, and qrels lines (split `"all"`,
 * every line including the `-1` ones, i.e. the `raw` reading).
 */
export async function countCranfield(dir: string): Promise<DatasetCounts> {
  const paths = cranfieldPaths(dir);
  let documents = 0;
  for await (const _ of readCranfieldDocuments(paths.documents)) documents++;
  let queries = 0;
  for await (const _ of readCranfieldQueries(paths.queries)) queries++;
  let qrels = 0;
  for await (const _ of readCranfieldQrels(paths.qrels, "raw")) qrels++;
  return { documents, queries, qrels: { all: qrels } };
}
