/**
 * Serialises a synthetic dataset into its BEIR-layout files and describes them in a manifest
 * (sizes and SHA-256 of every file).
 *
 * @module
 */

import { SYNTHETIC_GENERATOR_VERSION, type SyntheticParams } from "./params.ts";
import { SYNTHETIC_SPLITS, type SyntheticDataset, type SyntheticSplit } from "./synthesize.ts";

/** Name of the generator recorded in manifests. */
export const SYNTHETIC_GENERATOR_NAME = "embeddistill-synthetic";

/** One written file. */
export interface SyntheticFileEntry {
  /** Path relative to the dataset directory, with "/" separators. */
  readonly path: string;
  readonly bytes: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** Description of a generated dataset directory (also written as manifest.json). */
export interface SyntheticManifest {
  readonly generator: typeof SYNTHETIC_GENERATOR_NAME;
  readonly version: string;
  readonly variant: SyntheticParams["variant"]["kind"];
  readonly seed: number;
  readonly sizes: SyntheticParams["sizes"];
  readonly counts: {
    readonly documents: number;
    readonly pool: number;
    readonly queries: Readonly<Record<SyntheticSplit, number>>;
    readonly qrels: Readonly<Record<SyntheticSplit, number>>;
  };
  /** Every data file (manifest.json excluded), sorted by path. */
  readonly files: readonly SyntheticFileEntry[];
  /**
   * SHA-256 of the `sha256sum`-style listing of `files` ("<sha256>  <path>\n" per file, in
   * order): one hash that names the whole dataset.
   */
  readonly sha256: string;
}

function jsonl(records: readonly unknown[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

/**
 * The dataset's files as UTF-8 text, keyed by relative path, in path order: corpus.jsonl,
 * pool.jsonl, qrels/{dev,test,train}.tsv (header `query-id	corpus-id	score`), queries.jsonl.
 */
export function syntheticFiles(dataset: SyntheticDataset): ReadonlyMap<string, string> {
  const byId = new Map(dataset.documents.map((d) => [d.id, d]));
  const doc = (d: { id: string; title: string; text: string }) => ({
    _id: d.id,
    title: d.title,
    text: d.text,
  });
  const files = new Map<string, string>();
  files.set("corpus.jsonl", jsonl(dataset.documents.map(doc)));
  files.set("pool.jsonl", jsonl(dataset.pool.map((id) => doc(byId.get(id)!))));
  for (const split of [...SYNTHETIC_SPLITS].sort()) {
    const lines = dataset.qrels[split].map((j) => `${j.queryId}\t${j.docId}\t${j.label}\n`);
    files.set(`qrels/${split}.tsv`, `query-id\tcorpus-id\tscore\n${lines.join("")}`);
  }
  files.set(
    "queries.jsonl",
    jsonl(
      dataset.queries.map((q) =>
        q.answers.length > 0
          ? { _id: q.id, text: q.text, metadata: { answers: q.answers } }
          : { _id: q.id, text: q.text }
      ),
    ),
  );
  return files;
}

/** Lowercase hex SHA-256 of bytes (WebCrypto). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Encode the files and build the manifest that describes them. */
export async function syntheticManifest(
  dataset: SyntheticDataset,
  encoded: ReadonlyMap<string, Uint8Array>,
): Promise<SyntheticManifest> {
  const files: SyntheticFileEntry[] = [];
  for (const [path, bytes] of [...encoded].sort(([a], [b]) => (a < b ? -1 : 1))) {
    files.push({ path, bytes: bytes.length, sha256: await sha256Hex(bytes) });
  }
  const listing = files.map((f) => `${f.sha256}  ${f.path}\n`).join("");
  const count = (s: SyntheticSplit) => dataset.splits[s].length;
  const lines = (s: SyntheticSplit) => dataset.qrels[s].length;
  return {
    generator: SYNTHETIC_GENERATOR_NAME,
    version: SYNTHETIC_GENERATOR_VERSION,
    variant: dataset.params.variant.kind,
    seed: dataset.params.seed,
    sizes: { ...dataset.params.sizes },
    counts: {
      documents: dataset.documents.length,
      pool: dataset.pool.length,
      queries: { train: count("train"), dev: count("dev"), test: count("test") },
      qrels: { train: lines("train"), dev: lines("dev"), test: lines("test") },
    },
    files,
    sha256: await sha256Hex(new TextEncoder().encode(listing)),
  };
}
