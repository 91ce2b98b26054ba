/**
 * The on-disk cache of generated queries: one entry of the content-addressed cache (src/io) per
 * (generator config hash, corpus hash), holding the queries as JSONL and the generator's config.
 *
 * @module
 */

import { join } from "node:path";
import { cacheHome, type Document } from "../data/mod.ts";
import { cachedContent, canonicalJson, readLines, writeFileAtomic } from "../io/mod.ts";
import type { GeneratedQuery, GenerateOptions, QueryGenerator } from "./generator.ts";
import { corpusHash } from "./hash.ts";

/** File holding the queries, one canonical JSON object per line. */
export const GENERATED_QUERIES_FILE = "queries.jsonl";
/** File describing the generator and corpus a cache entry was made from. */
export const GENERATED_QUERIES_META_FILE = "generator.json";

/** Options of {@linkcode generateCached}. */
export interface QueryCacheOptions extends GenerateOptions {
  /** Cache root; default `$EMBEDDISTILL_HOME/artifacts` (see ARCHITECTURE.md, "Caches"). */
  readonly root?: string;
}

/** Queries from {@linkcode generateCached} and where they are stored. */
export interface CachedQueries {
  readonly queries: readonly GeneratedQuery[];
  /** True when read from the cache, false when generated now. */
  readonly hit: boolean;
  /** The cache entry's folder. */
  readonly dir: string;
  readonly configHash: string;
  readonly corpusHash: string;
}

/** What `generator.json` records. */
interface CacheMeta {
  readonly configHash: string;
  readonly corpusHash: string;
  readonly config: unknown;
  readonly documents: number;
  readonly queries: number;
}

/** Folder holding the entries under a cache root. */
const ENTRIES = "generated-queries";

/** Cache key of a generator config hash and a corpus hash (16 hex digits of each). */
function entryKey(configHash: string, corpus: string): string {
  return `${configHash.slice(0, 16)}-${corpus.slice(0, 16)}`;
}

/**
 * Folder of the cache entry for a generator config hash and a corpus hash:
 * `<root>/generated-queries/<config hash, 16 hex>-<corpus hash, 16 hex>`.
 */
export function generatedQueriesDir(root: string, configHash: string, corpus: string): string {
  return join(root, ENTRIES, entryKey(configHash, corpus));
}

function field(record: Record<string, unknown>, name: string, path: string, line: number): string {
  const value = record[name];
  if (typeof value !== "string") {
    throw new SyntaxError(
      `Cannot read generated query at line ${line} of "${path}": expected a string "${name}", found ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

/** Read a generated-queries JSONL file (`{"docId","generator","id","text"}` per line). */
export async function readGeneratedQueries(path: string): Promise<GeneratedQuery[]> {
  const out: GeneratedQuery[] = [];
  for await (const { text, number } of readLines(path)) {
    if (text.trim() === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (cause) {
      throw new SyntaxError(
        `Cannot read generated query at line ${number} of "${path}": invalid JSON (${
          cause instanceof Error ? cause.message : String(cause)
        })`,
      );
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw new SyntaxError(
        `Cannot read generated query at line ${number} of "${path}": expected a JSON object`,
      );
    }
    const r = record as Record<string, unknown>;
    out.push({
      id: field(r, "id", path, number),
      docId: field(r, "docId", path, number),
      text: field(r, "text", path, number),
      generator: field(r, "generator", path, number),
    });
  }
  return out;
}

/** Write queries as JSONL, atomically (temporary file + rename). */
export async function writeGeneratedQueries(
  path: string,
  queries: readonly GeneratedQuery[],
): Promise<void> {
  await writeFileAtomic(
    path,
    queries.map((q) =>
      canonicalJson({ id: q.id, docId: q.docId, text: q.text, generator: q.generator }) + "\n"
    ),
  );
}

async function readMeta(path: string): Promise<CacheMeta | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as CacheMeta;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * The generator's queries for `documents`, from the cache when an entry for its config hash and
 * the corpus hash exists, else generated and published as one entry (metadata and queries
 * appear together; an entry missing either is generated again). Two processes racing on one
 * entry both generate and keep the first entry published.
 */
export async function generateCached(
  generator: QueryGenerator,
  documents: readonly Document[],
  options: QueryCacheOptions = {},
): Promise<CachedQueries> {
  const root = options.root ?? join(cacheHome(), "artifacts");
  const corpus = corpusHash(documents);
  const { root: _, ...generateOptions } = options;
  const entry = await cachedContent(
    join(root, ENTRIES),
    entryKey(generator.configHash, corpus),
    () => generator.generate(documents, generateOptions),
    {
      read: async (dir) => {
        const meta = await readMeta(join(dir, GENERATED_QUERIES_META_FILE));
        if (meta?.configHash !== generator.configHash || meta.corpusHash !== corpus) {
          return undefined;
        }
        const queries = await readGeneratedQueries(join(dir, GENERATED_QUERIES_FILE));
        return queries.length === meta.queries ? queries : undefined;
      },
      write: async (dir, queries) => {
        const record: CacheMeta = {
          configHash: generator.configHash,
          corpusHash: corpus,
          config: generator.config,
          documents: documents.length,
          queries: queries.length,
        };
        await writeFileAtomic(
          join(dir, GENERATED_QUERIES_META_FILE),
          JSON.stringify(record, null, 2) + "\n",
        );
        await writeGeneratedQueries(join(dir, GENERATED_QUERIES_FILE), queries);
      },
    },
  );
  return {
    queries: entry.value,
    hit: entry.kind === "hit",
    dir: entry.dir,
    configHash: generator.configHash,
    corpusHash: corpus,
  };
}
