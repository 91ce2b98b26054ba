/**
 * TREC topic readers: Anserini-style `qid\ttext` TSV files (MS MARCO queries, BEIR topics; gzip
 * accepted) and classic TREC SGML topics (`<top> <num> <title> <desc> <narr> </top>`, as in the
 * TREC ad hoc topics 51-450).
 *
 * @module
 */

import { readLines } from "../io/mod.ts";
import { IdTracker, lineError, type Query } from "./records.ts";

/** Options of the topic readers. */
export interface TopicReadOptions {
  /** Refuse a file that repeats a query id (default true); see {@linkcode IdTracker}. */
  readonly checkDuplicates?: boolean;
}

/**
 * Stream the queries of a `<id>\t<text>` file (no header; gzip accepted). The id is everything
 * before the first tab and must be non-empty; the text is everything after it, kept verbatim
 * (MS MARCO's dev queries include one with a leading space). Blank lines are skipped.
 */
export async function* readTsvTopics(
  path: string,
  options: TopicReadOptions = {},
): AsyncGenerator<Query, void, undefined> {
  yield* readIdTextLines(path, "topics", options);
}

/**
 * The shared reader of `<id>\t<text>` lines, naming records `what` in errors (MS MARCO's
 * `collection.tsv` and `queries.*.tsv` use it too).
 */
export async function* readIdTextLines(
  path: string,
  what: string,
  options: TopicReadOptions = {},
): AsyncGenerator<Query, void, undefined> {
  const ids = options.checkDuplicates === false ? undefined : new IdTracker(what, path);
  for await (const { text, number } of readLines(path)) {
    if (text.trim() === "") continue;
    const tab = text.indexOf("\t");
    if (tab === -1) throw lineError(what, path, number, "expected an id, a tab and a text");
    const id = text.slice(0, tab);
    if (id.trim() === "" || id !== id.trim()) {
      throw lineError(what, path, number, `expected a non-empty id without spaces, found "${id}"`);
    }
    ids?.add(id, number);
    yield { id, text: text.slice(tab + 1) };
  }
}

/** A classic TREC topic; fields absent from the file are `""`. */
export interface TrecTopic {
  /** Topic number from `<num> Number: 301`, as a string (`"301"`). */
  readonly id: string;
  /** `<title>` text (a `Topic:` prefix, used in TREC-1/2, removed). */
  readonly title: string;
  /** `<desc>` text without its `Description:` label. */
  readonly description: string;
  /** `<narr>` text without its `Narrative:` label. */
  readonly narrative: string;
}

type Field = "num" | "title" | "desc" | "narr";

const TAG = /<(\/?)(top|num|title|desc|narr)>/gi;
const LABELS: Readonly<Record<Field, RegExp>> = {
  num: /^number:\s*/i,
  title: /^topic:\s*/i,
  desc: /^description:\s*/i,
  narr: /^narrative:\s*/i,
};

function clean(parts: readonly string[], field: Field): string {
  return parts.join(" ").replace(/\s+/g, " ").trim().replace(LABELS[field], "").trim();
}

/**
 * Stream the topics of a classic TREC SGML topic file (gzip accepted). Tags are matched case
 * insensitively; closing tags other than `</top>` are optional. Field text has its whitespace
 * collapsed to single spaces. A topic without a number, a `<top>` inside a topic, text outside
 * the tags of a topic or an unclosed topic is a SyntaxError with the line.
 */
export async function* readSgmlTopics(
  path: string,
  options: TopicReadOptions = {},
): AsyncGenerator<TrecTopic, void, undefined> {
  const ids = options.checkDuplicates === false ? undefined : new IdTracker("topics", path);
  let open: { line: number; fields: Record<Field, string[]> } | undefined;
  let field: Field | undefined;
  let lastLine = 0;
  for await (const { text, number } of readLines(path)) {
    lastLine = number;
    let at = 0;
    const put = (piece: string) => {
      if (piece.trim() === "") return;
      if (open === undefined || field === undefined) {
        throw lineError("topics", path, number, `expected a tag, found text "${piece.trim()}"`);
      }
      open.fields[field].push(piece);
    };
    for (const match of text.matchAll(TAG)) {
      put(text.slice(at, match.index));
      at = match.index + match[0].length;
      const closing = match[1] === "/";
      const tag = match[2]!.toLowerCase() as Field | "top";
      if (tag === "top") {
        if (!closing) {
          if (open !== undefined) {
            throw lineError(
              "topics",
              path,
              number,
              `expected "</top>" before "<top>" (topic opened at line ${open.line})`,
            );
          }
          open = { line: number, fields: { num: [], title: [], desc: [], narr: [] } };
          field = undefined;
          continue;
        }
        if (open === undefined) {
          throw lineError("topics", path, number, `found "</top>" without "<top>"`);
        }
        const id = clean(open.fields.num, "num");
        if (id === "" || /\s/.test(id)) {
          throw lineError(
            "topics",
            path,
            open.line,
            `expected "<num>" with a topic number, found "${id}"`,
          );
        }
        ids?.add(id, open.line);
        yield {
          id,
          title: clean(open.fields.title, "title"),
          description: clean(open.fields.desc, "desc"),
          narrative: clean(open.fields.narr, "narr"),
        };
        open = undefined;
        field = undefined;
        continue;
      }
      if (open === undefined) {
        throw lineError("topics", path, number, `found "<${match[1]}${tag}>" outside "<top>"`);
      }
      field = closing ? undefined : tag;
    }
    put(text.slice(at));
  }
  if (open !== undefined) {
    throw new SyntaxError(
      `Cannot parse topics of "${path}": topic opened at line ${open.line} is not closed by "</top>" at the end (line ${lastLine})`,
    );
  }
}

/** Which fields of a {@linkcode TrecTopic} make the query text. */
export type TopicField = "title" | "description" | "title+description";

/** The query of a TREC topic from its title, description, or both joined by a space. */
export function topicQuery(topic: TrecTopic, field: TopicField): Query {
  switch (field) {
    case "title":
      return { id: topic.id, text: topic.title };
    case "description":
      return { id: topic.id, text: topic.description };
    case "title+description":
      return { id: topic.id, text: `${topic.title} ${topic.description}`.trim() };
    default: {
      const unknown: never = field;
      throw new TypeError(`Cannot build a query from topic field "${unknown}"`);
    }
  }
}
