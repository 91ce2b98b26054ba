/**
 * Types of the dataset registry (`datasets.lock`): downloadable datasets with pinned files and
 * expected counts, and generated synthetic datasets. The JSDoc here is the lock file's schema.
 *
 * @module
 */

/**
 * How a downloaded file becomes files in the dataset directory.
 * - `zip`: extracted (streaming, fflate) into the entry's `into` folder;
 * - `tar.gz`: gunzipped and extracted (ustar, GNU long names and pax paths);
 * - `gz`: gunzipped to the file name without `.gz`;
 * - `none`: kept as is under its `name`.
 */
export type UnpackKind = "zip" | "tar.gz" | "gz" | "none";

/** Every {@linkcode UnpackKind}, in schema order. */
export const UNPACK_KINDS: readonly UnpackKind[] = ["zip", "tar.gz", "gz", "none"];

/**
 * One upstream file of a downloadable dataset, as `datasets.lock` pins it.
 *
 * JSON: `{ "name", "url", "md5", "sha256"?, "size", "unpack", "into"? }`.
 */
export interface DatasetFile {
  /** Local file name of the download (no folders), e.g. `"scifact.zip"`. */
  readonly name: string;
  /** Upstream `https://` URL. */
  readonly url: string;
  /** MD5 as upstream publishes it: 32 lowercase hex digits. */
  readonly md5: string;
  /** SHA-256 (64 lowercase hex digits) when known, else `null`. */
  readonly sha256: string | null;
  /** Exact size in bytes (positive integer). */
  readonly size: number;
  /** How to unpack it. */
  readonly unpack: UnpackKind;
  /** Folder inside the dataset directory that receives the unpacked output (default `"."`). */
  readonly into: string;
}

/**
 * How a count is taken from an unpacked file.
 * - `lines`: non-empty lines, minus the first line when `header` is true;
 * - `distinct-field`: distinct values of field `field` (0-based) of non-empty lines split on a tab
 *   (`separator: "tab"`) or on runs of spaces/tabs (`"whitespace"`), header skipped likewise;
 * - `json-array`: elements of the top-level JSON array of the file.
 */
export type CountMethod =
  | { readonly kind: "lines"; readonly header: boolean }
  | {
    readonly kind: "distinct-field";
    readonly field: number;
    readonly separator: "tab" | "whitespace";
    readonly header: boolean;
  }
  | { readonly kind: "json-array" };

/** What a count counts. */
export type CountSubject = "docs" | "queries" | "qrels";

/**
 * An expected count of a dataset, checked after unpacking.
 *
 * JSON: `{ "what", "split", "value", "source", "note"?, "file", "method" }`. `value` is `null`
 * when no published number could be confirmed (the observed count is then only recorded); the
 * `note` says why. `source` names where `value` comes from (a paper table, an ir_datasets page,
 * a line count of a byte-identical file).
 */
export interface ExpectedCount {
  /** What is counted. */
  readonly what: CountSubject;
  /** Split name (`"test"`, `"train"`, ...) or `null` for the whole dataset. */
  readonly split: string | null;
  /** Expected value, or `null` when unconfirmed. */
  readonly value: number | null;
  /** Where the value comes from. */
  readonly source: string;
  /** Caveats (why null, known discrepancies between sources). */
  readonly note: string | null;
  /** Path of the counted file relative to the dataset directory, `/`-separated. */
  readonly file: string;
  /** How it is counted. */
  readonly method: CountMethod;
}

/**
 * A dataset fetched from upstream URLs.
 *
 * JSON: `{ "kind": "download", "description", "license", "licenseSource", "homepage", "files": [...],
 * "counts": [...] }`.
 */
export interface DownloadEntry {
  readonly kind: "download";
  /** Registry id, e.g. `"beir/scifact"`. */
  readonly id: string;
  /** One line saying what it is. */
  readonly description: string;
  /** Licence of the data. */
  readonly license: string;
  /** Where the licence statement comes from. */
  readonly licenseSource: string;
  /** Upstream homepage. */
  readonly homepage: string;
  /** Pinned files (at least one). */
  readonly files: readonly DatasetFile[];
  /** Expected counts. */
  readonly counts: readonly ExpectedCount[];
}

/**
 * A dataset written by the embedded generator (src/data/synthetic/), never downloaded.
 *
 * JSON: `{ "kind": "synthetic", "description", "license", "generator", "version", "variant", "seed",
 * "preset", "sizes", "sha256", "note"? }`. `sha256` is the hash of the generated files as the generator
 * defines it, `null` until a test computes it; `sizes` maps a size name (docs, queries per split)
 * to its number, or is `null` until the generator fixes them.
 */
export interface SyntheticEntry {
  readonly kind: "synthetic";
  /** Registry id, e.g. `"synthetic/tiny"`. */
  readonly id: string;
  /** One line saying what it is. */
  readonly description: string;
  /** Licence of the generated data. */
  readonly license: string;
  /** Module that generates it, relative to the repository root. */
  readonly generator: string;
  /** Generator version the hash belongs to. */
  readonly version: string;
  /** Shape of the data: `generic`, `msmarco` (short queries, one relevant) or `nq` (questions). */
  readonly variant: "generic" | "msmarco" | "nq";
  /** Seed (non-negative integer). */
  readonly seed: number;
  /** Preset name the generator is run with. */
  readonly preset: string;
  /** Sizes by name, or `null` until known. */
  readonly sizes: Readonly<Record<string, number>> | null;
  /** Hash of the generated files, or `null` until computed. */
  readonly sha256: string | null;
  /** Caveats. */
  readonly note: string | null;
}

/** One registry entry. */
export type DatasetEntry = DownloadEntry | SyntheticEntry;

/**
 * The parsed lock file: `{ "version": 1, "datasets": { "<id>": <entry without id>, ... } }`.
 * Ids are lowercase path-like names (`beir/scifact`); no id is a folder prefix of another.
 */
export interface Registry {
  /** Schema version (1). */
  readonly version: 1;
  /** Entries in file order. */
  readonly datasets: readonly DatasetEntry[];
}
