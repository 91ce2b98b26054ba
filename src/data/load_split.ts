/**
 * `loadSplit(source, split)`: the one way to get `{ corpus, queries, qrels }` of a split, from a
 * dataset id of datasets.lock (synthetic ids generated on demand, downloaded ids from the cache) or
 * from a BEIR-layout folder, with a checksum naming exactly what was read.
 *
 * @module
 */

import { join } from "node:path";
import { canonicalJson, pathExists, sha256Text } from "../io/mod.ts";
import { type Judgment, type Qrels, qrelsFromJudgments, readJudgments } from "../eval/mod.ts";
import { beirPaths, readBeirCorpus, readBeirQueries } from "./beir.ts";
import { cacheHome, datasetStatus } from "./cache.ts";
import { hashFile } from "./checksum.ts";
import { fetchDataset } from "./fetch/mod.ts";
import { readMsmarcoCollection, readMsmarcoQueries } from "./msmarco.ts";
import type { Document, Query } from "./records.ts";
import { findDataset, loadRegistry } from "./registry.ts";
import type { DatasetEntry, Registry } from "./registry_types.ts";

/** Where a split comes from: a datasets.lock id or a BEIR-layout folder. */
export type SplitSource =
  | { readonly kind: "dataset"; readonly id: string }
  | { readonly kind: "dir"; readonly path: string };

/** One split, loaded. */
export interface LoadedSplit {
  readonly source: SplitSource;
  readonly split: string;
  /** The whole corpus (every split retrieves from it). */
  readonly corpus: readonly Document[];
  /** The split's judged queries, in file order. */
  readonly queries: readonly Query[];
  /** The split's judgments, as eval reads them (every judged query). */
  readonly qrels: Qrels;
  /** The same judgments as records (labels of every line, 0 included). */
  readonly judgments: readonly Judgment[];
  /**
   * SHA-256 (hex) naming what was read: the files' own SHA-256 for a folder, the pinned file
   * digests (sha256 for synthetic data, md5 for downloads) for a dataset id.
   */
  readonly checksum: string;
  /** The folder the files were read from. */
  readonly dir: string;
}

/** Options of {@link loadSplit}. */
export interface LoadSplitOptions {
  /** Cache root (default `$EMBEDDISTILL_HOME`, else `~/.cache/embeddistill`). */
  readonly home?: string;
  /** Registry (default: the repository's datasets.lock). */
  readonly registry?: Registry;
}

/** Thrown when a downloaded dataset is not in the cache: it names the command that fetches it. */
export class DatasetNotCachedError extends Error {
  /** The dataset id. */
  readonly id: string;

  /** See the fields. */
  constructor(id: string, dir: string, detail: string) {
    super(
      `Cannot load "${id}": it is not in the cache at "${dir}" (${detail}); ` +
        `run \`deno task fetch ${id}\` (or \`deno task fetch ${id} --from FILE\` for a local copy)`,
    );
    this.name = "DatasetNotCachedError";
    this.id = id;
  }
}

/**
 * Resolve a command-line `--data` value: a datasets.lock id, else an existing folder; anything else
 * is a RangeError that lists the known ids.
 */
export async function resolveSplitSource(
  text: string,
  options: LoadSplitOptions = {},
): Promise<SplitSource> {
  const registry = options.registry ?? await loadRegistry();
  if (registry.datasets.some((d) => d.id === text)) {
    return { kind: "dataset", id: text };
  }
  if (await isDirectory(text)) return { kind: "dir", path: text };
  const ids = registry.datasets.map((d) => d.id);
  throw new RangeError(
    `Cannot use "${text}" as data: it is neither a dataset id of datasets.lock (${
      ids.join(", ")
    }) nor an existing folder`,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Load `split` (`"train"`, `"dev"`, `"test"`) of `source`. Synthetic ids are generated into the
 * cache on first use (checked against their pinned sha256); downloaded ids must have been fetched
 * (a {@link DatasetNotCachedError} names the command otherwise); a folder must hold the BEIR
 * layout (`corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv`). MS MARCO passage
 * (`msmarco-passage`) reads `collection.tsv`, `queries.<split>.tsv` and `qrels/qrels.<split>.tsv`,
 * its `dev` split being the usual 6,980-query dev.small.
 *
 * @example
 * ```ts
 * const { corpus, queries, qrels } = await loadSplit({ kind: "dataset", id: "synthetic/tiny" }, "test");
 * ```
 */
export async function loadSplit(
  source: SplitSource,
  split: string,
  options: LoadSplitOptions = {},
): Promise<LoadedSplit> {
  if (source.kind === "dir") return await loadBeirFolder(source, source.path, split, null);
  const registry = options.registry ?? await loadRegistry();
  const entry = findDataset(registry, source.id);
  const home = cacheHome(options.home);
  const dir = await cachedDir(entry, home, registry);
  const pinned = sha256Text(canonicalJson(pinnedDigests(entry)));
  if (entry.id === "msmarco-passage") return await loadMsmarco(source, dir, split, pinned);
  if (entry.id.startsWith("dpr/")) {
    throw new RangeError(
      `Cannot load "${entry.id}" as a split: DPR's biencoder JSON has no corpus/qrels layout; ` +
        `read it with readDprBiencoder and readDprPassages`,
    );
  }
  return await loadBeirFolder(source, await beirRoot(dir, entry.id), split, pinned);
}

async function cachedDir(entry: DatasetEntry, home: string, registry: Registry): Promise<string> {
  if (entry.kind === "synthetic") {
    return (await fetchDataset(entry.id, { home, registry })).dir;
  }
  const status = await datasetStatus(home, entry);
  if (status.kind === "present") return status.dir;
  throw new DatasetNotCachedError(
    entry.id,
    status.dir,
    status.kind === "stale" ? `stale: ${status.reason}` : "absent",
  );
}

/** What the lock pins for an entry: the generated bytes' sha256, or each file's md5. */
function pinnedDigests(entry: DatasetEntry): unknown {
  return entry.kind === "synthetic"
    ? { id: entry.id, sha256: entry.sha256 }
    : { id: entry.id, files: entry.files.map((f) => ({ name: f.name, md5: f.md5 })) };
}

/** The folder holding `corpus.jsonl`: the dataset directory or one sub-folder of it (BEIR zips). */
async function beirRoot(dir: string, id: string): Promise<string> {
  if (await pathExists(join(dir, "corpus.jsonl"))) return dir;
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory && await pathExists(join(dir, entry.name, "corpus.jsonl"))) {
      return join(dir, entry.name);
    }
  }
  throw new Deno.errors.NotFound(
    `Cannot load "${id}": no corpus.jsonl in "${dir}" or in a folder directly inside it`,
  );
}

async function loadBeirFolder(
  source: SplitSource,
  dir: string,
  split: string,
  pinned: string | null,
): Promise<LoadedSplit> {
  const paths = beirPaths(dir, split);
  for (const [what, path] of Object.entries(paths)) {
    if (!(await pathExists(path))) {
      const splits = await availableSplits(join(dir, "qrels"), ".tsv", "");
      throw new Deno.errors.NotFound(
        `Cannot load split "${split}" of "${dir}": its ${what} file "${path}" does not exist` +
          (what === "qrels" ? ` (splits found: ${splits.join(", ") || "none"})` : ""),
      );
    }
  }
  const judgments: Judgment[] = [];
  for await (const j of readJudgments(paths.qrels, { format: "beir" })) judgments.push(j);
  const corpus: Document[] = [];
  for await (const d of readBeirCorpus(paths.corpus)) corpus.push(d);
  const queries = await judgedQueries(readBeirQueries(paths.queries), judgments, paths);
  const checksum = pinned ?? await filesChecksum([paths.corpus, paths.queries, paths.qrels]);
  return finish(source, split, dir, corpus, queries, judgments, checksum);
}

async function loadMsmarco(
  source: SplitSource,
  dir: string,
  split: string,
  pinned: string,
): Promise<LoadedSplit> {
  const names: Record<string, [string, string]> = {
    train: ["queries.train.tsv", join("qrels", "qrels.train.tsv")],
    dev: ["queries.dev.small.tsv", "qrels.dev.small.tsv"],
  };
  const files = names[split];
  if (files === undefined) {
    throw new RangeError(
      `Cannot load split "${split}" of "msmarco-passage": expected one of ${
        Object.keys(names).join(", ")
      }`,
    );
  }
  const paths = {
    corpus: join(dir, "collection.tsv"),
    queries: join(dir, files[0]),
    qrels: join(dir, files[1]),
  };
  const judgments: Judgment[] = [];
  for await (const j of readJudgments(paths.qrels, { format: "trec" })) judgments.push(j);
  const corpus: Document[] = [];
  for await (const d of readMsmarcoCollection(paths.corpus, { checkDuplicates: false })) {
    corpus.push(d);
  }
  const queries = await judgedQueries(readMsmarcoQueries(paths.queries), judgments, paths);
  return finish(source, split, dir, corpus, queries, judgments, pinned);
}

async function judgedQueries(
  all: AsyncIterable<Query>,
  judgments: readonly Judgment[],
  paths: { readonly queries: string; readonly qrels: string },
): Promise<Query[]> {
  const judged = new Set(judgments.map((j) => j.queryId));
  const queries: Query[] = [];
  for await (const q of all) if (judged.has(q.id)) queries.push(q);
  if (queries.length !== judged.size) {
    const present = new Set(queries.map((q) => q.id));
    const missing = [...judged].filter((id) => !present.has(id));
    throw new SyntaxError(
      `Cannot load "${paths.qrels}": ${missing.length} judged queries are absent from "${paths.queries}" (first: "${
        missing[0]
      }")`,
    );
  }
  return queries;
}

function finish(
  source: SplitSource,
  split: string,
  dir: string,
  corpus: Document[],
  queries: Query[],
  judgments: Judgment[],
  checksum: string,
): LoadedSplit {
  const qrels = qrelsFromJudgments(judgments, new Set(queries.map((q) => q.id)));
  return { source, split, corpus, queries, qrels, judgments, checksum, dir };
}

async function availableSplits(dir: string, suffix: string, prefix: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(suffix) && e.name.startsWith(prefix)) {
        found.push(e.name.slice(prefix.length, -suffix.length));
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort();
}

async function filesChecksum(paths: readonly string[]): Promise<string> {
  const digests = [];
  for (const path of paths) digests.push((await hashFile(path)).sha256);
  return sha256Text(canonicalJson(digests));
}
