/**
 * MS MARCO passage ranking loaders (Nguyen et al., 2016; Bajaj et al., v2.1): `collection.tsv`
 * (`pid\ttext`, 8,841,823 passages, streamed) and `queries.{train,dev,eval}.tsv` (`qid\ttext`).
 * The qrels (`qrels.{train,dev}.tsv`, TREC form `qid 0 pid 1`) are TREC qrels: read them with the
 * evaluation layer's qrels reader.
 *
 * @module
 */

import type { Document, Query } from "./records.ts";
import { readIdTextLines, type TopicReadOptions } from "./trec_topics.ts";

/** Options of the MS MARCO readers. */
export type MsmarcoReadOptions = TopicReadOptions;

/**
 * Stream the passages of MS MARCO `collection.tsv` (gzip accepted) as documents with an empty
 * title. Duplicate pids are refused by default; pass `checkDuplicates: false` for the full
 * collection to save the ~0.5 GB id set (the published file has none).
 */
export async function* readMsmarcoCollection(
  path: string,
  options: MsmarcoReadOptions = {},
): AsyncGenerator<Document, void, undefined> {
  for await (const { id, text } of readIdTextLines(path, "collection", options)) {
    yield { id, title: "", text };
  }
}

/** Stream the queries of an MS MARCO `queries.*.tsv` file (`qid\ttext`, gzip accepted). */
export function readMsmarcoQueries(
  path: string,
  options: MsmarcoReadOptions = {},
): AsyncGenerator<Query, void, undefined> {
  return readIdTextLines(path, "queries", options);
}
