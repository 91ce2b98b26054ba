/**
 * BEIR dataset layout loaders (Thakur et al., 2021; beir `GenericDataLoader`): `corpus.jsonl`
 * (`{"_id", "title", "text", "metadata"?}`), `queries.jsonl` (`{"_id", "text"}`) and
 * `qrels/<split>.tsv` (header `query-id\tcorpus-id\tscore`, read by eval's qrels parser), streamed
 * line by line.
 *
 * @module
 */

import { join } from "node:path";
import { type Judgment, readJudgments } from "../eval/mod.ts";
import { readLines } from "../io/mod.ts";
import { type DatasetCounts, type Document, IdTracker, lineError, type Query } from "./records.ts";

/** Options of the streaming BEIR readers. */
export interface BeirReadOptions {
  /**
   * Refuse a file that repeats an id (default true): a SyntaxError names both lines. Turn off to
   * save the memory of the id set on very large corpora.
   */
  readonly checkDuplicates?: boolean;
}

/** Paths of the files of a BEIR dataset folder. */
export interface BeirPaths {
  readonly corpus: string;
  readonly queries: string;
  /** `qrels/<split>.tsv`. */
  readonly qrels: string;
}

/** The files of the BEIR dataset in `dir` for `split` (`"test"`, `"train"`, `"dev"`). */
export function beirPaths(dir: string, split: string): BeirPaths {
  return {
    corpus: join(dir, "corpus.jsonl"),
    queries: join(dir, "queries.jsonl"),
    qrels: join(dir, "qrels", `${split}.tsv`),
  };
}

function parseObject(what: string, source: string, line: number, text: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const problem = cause instanceof Error ? cause.message : String(cause);
    throw lineError(what, source, line, `invalid JSON (${problem})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw lineError(what, source, line, "expected a JSON object");
  }
  return value as Record<string, unknown>;
}

/** The `_id` of a BEIR record: a string, or an integer written as a JSON number. */
function idOf(record: Record<string, unknown>, what: string, source: string, line: number): string {
  const id = record["_id"];
  if (typeof id === "string" && id !== "") return id;
  if (typeof id === "number" && Number.isInteger(id)) return String(id);
  throw lineError(
    what,
    source,
    line,
    `expected a non-empty string "_id", found ${JSON.stringify(id)}`,
  );
}

function stringField(
  record: Record<string, unknown>,
  field: string,
  optional: boolean,
  what: string,
  source: string,
  line: number,
): string {
  const value = record[field];
  if (typeof value === "string") return value;
  if (value === undefined && optional) return "";
  throw lineError(
    what,
    source,
    line,
    `expected a string "${field}", found ${JSON.stringify(value)}`,
  );
}

/**
 * Stream the documents of a BEIR `corpus.jsonl` (gzip accepted). A missing `title` reads as `""`;
 * `metadata` is not kept. Blank lines are skipped.
 */
export async function* readBeirCorpus(
  path: string,
  options: BeirReadOptions = {},
): AsyncGenerator<Document, void, undefined> {
  const ids = options.checkDuplicates === false ? undefined : new IdTracker("corpus", path);
  for await (const { text, number } of readLines(path)) {
    if (text.trim() === "") continue;
    const record = parseObject("corpus", path, number, text);
    const id = idOf(record, "corpus", path, number);
    ids?.add(id, number);
    yield {
      id,
      title: stringField(record, "title", true, "corpus", path, number),
      text: stringField(record, "text", false, "corpus", path, number),
    };
  }
}

/** Stream the queries of a BEIR `queries.jsonl` (gzip accepted); `metadata` is not kept. */
export async function* readBeirQueries(
  path: string,
  options: BeirReadOptions = {},
): AsyncGenerator<Query, void, undefined> {
  const ids = options.checkDuplicates === false ? undefined : new IdTracker("queries", path);
  for await (const { text, number } of readLines(path)) {
    if (text.trim() === "") continue;
    const record = parseObject("queries", path, number, text);
    const id = idOf(record, "queries", path, number);
    ids?.add(id, number);
    yield { id, text: stringField(record, "text", false, "queries", path, number) };
  }
}

/**
 * Stream the judgments of a BEIR `qrels/<split>.tsv` (`query-id corpus-id score`, the header
 * line BEIR writes optional) through eval's one qrels parser: fields split on runs of
 * whitespace, integer labels; a repeated (query, document) pair is a SyntaxError.
 */
export function readBeirQrels(path: string): AsyncGenerator<Judgment, void, undefined> {
  return readJudgments(path, { format: "beir" });
}

/** One split of a BEIR dataset, loaded into memory. */
export interface BeirSplit {
  readonly documents: readonly Document[];
  /** The queries that have judgments in this split, in `queries.jsonl` order. */
  readonly queries: readonly Query[];
  readonly qrels: readonly Judgment[];
}

/**
 * Load a split of the BEIR dataset in `dir` into memory, as beir's `GenericDataLoader.load`
 * does: the queries are filtered to those with qrels in the split. A judged query missing from
 * `queries.jsonl` is a SyntaxError.
 */
export async function loadBeirSplit(dir: string, split: string): Promise<BeirSplit> {
  const paths = beirPaths(dir, split);
  const qrels: Judgment[] = [];
  for await (const j of readBeirQrels(paths.qrels)) qrels.push(j);
  const judged = new Set(qrels.map((j) => j.queryId));
  const queries: Query[] = [];
  for await (const q of readBeirQueries(paths.queries)) if (judged.has(q.id)) queries.push(q);
  if (queries.length !== judged.size) {
    const present = new Set(queries.map((q) => q.id));
    const missing = [...judged].find((id) => !present.has(id));
    throw new SyntaxError(
      `Cannot load BEIR split "${split}" of "${dir}": query "${missing}" is judged in "${paths.qrels}" but absent from "${paths.queries}"`,
    );
  }
  const documents: Document[] = [];
  for await (const d of readBeirCorpus(paths.corpus)) documents.push(d);
  return { documents, queries, qrels };
}

/**
 * Count the documents, queries and judgment lines of every `qrels/*.tsv` split of the BEIR
 * dataset in `dir`, parsing (and so validating) every line.
 */
export async function countBeirDataset(dir: string): Promise<DatasetCounts> {
  let documents = 0;
  for await (const _ of readBeirCorpus(join(dir, "corpus.jsonl"))) documents++;
  let queries = 0;
  for await (const _ of readBeirQueries(join(dir, "queries.jsonl"))) queries++;
  const qrels: Record<string, number> = {};
  const splits = [];
  for await (const entry of Deno.readDir(join(dir, "qrels"))) {
    if (entry.isFile && entry.name.endsWith(".tsv")) splits.push(entry.name.slice(0, -4));
  }
  for (const split of splits.sort()) {
    let n = 0;
    for await (const _ of readBeirQrels(join(dir, "qrels", `${split}.tsv`))) n++;
    qrels[split] = n;
  }
  return { documents, queries, qrels };
}
