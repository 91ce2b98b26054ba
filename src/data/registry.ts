/**
 * The dataset registry: reads `datasets.lock`, validates every entry against the schema in
 * registry_types.ts, and looks datasets up by id.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import {
  type CountMethod,
  type DatasetEntry,
  type DatasetFile,
  type DownloadEntry,
  type ExpectedCount,
  type Registry,
  type SyntheticEntry,
  UNPACK_KINDS,
  type UnpackKind,
} from "./registry_types.ts";

/** Path of the repository's `datasets.lock`. */
export const DEFAULT_LOCK_PATH: string = fileURLToPath(
  new URL("../../datasets.lock", import.meta.url),
);

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;
const MD5_PATTERN = /^[0-9a-f]{32}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const SUBJECTS = ["docs", "queries", "qrels"] as const;
/** Plain http is accepted only for loopback servers (tests serve fixtures on 127.0.0.1). */
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//;

type Json = Record<string, unknown>;

/** Validation context: the lock's name and the JSON path being read, for error messages. */
class Reader {
  constructor(readonly source: string, readonly path: string) {}

  at(key: string | number): Reader {
    return new Reader(
      this.source,
      typeof key === "number" ? `${this.path}[${key}]` : `${this.path}.${key}`,
    );
  }

  fail(expected: string, found: unknown): never {
    const shown = found === undefined ? "nothing" : JSON.stringify(found)?.slice(0, 80);
    throw new TypeError(
      `Cannot read dataset registry "${this.source}" at ${this.path}: expected ${expected}, found ${shown}`,
    );
  }

  object(value: unknown): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail("an object", value);
    }
    return value as Json;
  }

  array(value: unknown): readonly unknown[] {
    if (!Array.isArray(value)) this.fail("an array", value);
    return value;
  }

  string(value: unknown): string {
    if (typeof value !== "string" || value.length === 0) this.fail("a non-empty string", value);
    return value;
  }

  nullableString(value: unknown): string | null {
    return value === null || value === undefined ? null : this.string(value);
  }

  integer(value: unknown, min: number): number {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
      this.fail(`an integer >= ${min}`, value);
    }
    return value;
  }

  boolean(value: unknown): boolean {
    if (typeof value !== "boolean") this.fail("true or false", value);
    return value;
  }

  pattern(value: unknown, pattern: RegExp, what: string): string {
    const text = this.string(value);
    if (!pattern.test(text)) this.fail(what, value);
    return text;
  }

  oneOf<T extends string>(value: unknown, options: readonly T[]): T {
    if (typeof value !== "string" || !(options as readonly string[]).includes(value)) {
      this.fail(`one of ${options.map((o) => `"${o}"`).join(", ")}`, value);
    }
    return value as T;
  }
}

function relativePath(r: Reader, value: unknown): string {
  const path = r.string(value);
  const parts = path.split("/");
  if (path.startsWith("/") || parts.some((p) => p === ".." || p === "")) {
    if (path !== ".") r.fail("a relative path without '..'", value);
  }
  return path;
}

function parseFile(r: Reader, value: unknown): DatasetFile {
  const o = r.object(value);
  const name = r.at("name").string(o.name);
  if (name.includes("/") || name.startsWith(".")) r.at("name").fail("a plain file name", name);
  const url = r.at("url").string(o.url);
  if (!url.startsWith("https://") && !LOOPBACK.test(url)) {
    r.at("url").fail("an https:// URL", url);
  }
  const unpack: UnpackKind = r.at("unpack").oneOf(o.unpack, UNPACK_KINDS);
  if (unpack === "gz" && !name.endsWith(".gz")) r.at("name").fail('a name ending in ".gz"', name);
  return {
    name,
    url,
    md5: r.at("md5").pattern(o.md5, MD5_PATTERN, "32 lowercase hex digits"),
    sha256: o.sha256 === null || o.sha256 === undefined
      ? null
      : r.at("sha256").pattern(o.sha256, SHA256_PATTERN, "64 lowercase hex digits"),
    size: r.at("size").integer(o.size, 1),
    unpack,
    into: o.into === undefined ? "." : relativePath(r.at("into"), o.into),
  };
}

function parseMethod(r: Reader, value: unknown): CountMethod {
  const o = r.object(value);
  const kind = r.at("kind").oneOf(o.kind, ["lines", "distinct-field", "json-array"] as const);
  switch (kind) {
    case "lines":
      return { kind, header: r.at("header").boolean(o.header) };
    case "distinct-field":
      return {
        kind,
        field: r.at("field").integer(o.field, 0),
        separator: r.at("separator").oneOf(o.separator, ["tab", "whitespace"] as const),
        header: r.at("header").boolean(o.header),
      };
    case "json-array":
      return { kind };
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

function parseCount(r: Reader, value: unknown): ExpectedCount {
  const o = r.object(value);
  return {
    what: r.at("what").oneOf(o.what, SUBJECTS),
    split: r.at("split").nullableString(o.split),
    value: o.value === null ? null : r.at("value").integer(o.value, 0),
    source: r.at("source").string(o.source),
    note: r.at("note").nullableString(o.note),
    file: relativePath(r.at("file"), o.file),
    method: parseMethod(r.at("method"), o.method),
  };
}

function parseDownload(r: Reader, id: string, o: Json): DownloadEntry {
  const files = r.at("files").array(o.files).map((f, i) => parseFile(r.at("files").at(i), f));
  if (files.length === 0) r.at("files").fail("at least one file", o.files);
  const names = new Set<string>();
  for (const f of files) {
    const key = `${f.into}/${f.name}`;
    if (names.has(key)) r.at("files").fail("distinct file names", f.name);
    names.add(key);
  }
  const counts = r.at("counts").array(o.counts).map((c, i) => parseCount(r.at("counts").at(i), c));
  for (const [i, c] of counts.entries()) {
    if (c.value === null && c.note === null) {
      r.at("counts").at(i).at("note").fail("a note saying why the value is null", c.note);
    }
  }
  return {
    kind: "download",
    id,
    description: r.at("description").string(o.description),
    license: r.at("license").string(o.license),
    licenseSource: r.at("licenseSource").string(o.licenseSource),
    homepage: r.at("homepage").string(o.homepage),
    files,
    counts,
  };
}

function parseSynthetic(r: Reader, id: string, o: Json): SyntheticEntry {
  let sizes: Record<string, number> | null = null;
  if (o.sizes !== null && o.sizes !== undefined) {
    sizes = {};
    for (const [k, v] of Object.entries(r.at("sizes").object(o.sizes))) {
      sizes[k] = r.at("sizes").at(k).integer(v, 0);
    }
  }
  return {
    kind: "synthetic",
    id,
    description: r.at("description").string(o.description),
    license: r.at("license").string(o.license),
    generator: r.at("generator").string(o.generator),
    version: r.at("version").string(o.version),
    variant: r.at("variant").oneOf(o.variant, ["generic", "msmarco", "nq"] as const),
    seed: r.at("seed").integer(o.seed, 0),
    preset: r.at("preset").string(o.preset),
    sizes,
    sha256: o.sha256 === null || o.sha256 === undefined
      ? null
      : r.at("sha256").pattern(o.sha256, SHA256_PATTERN, "64 lowercase hex digits"),
    note: r.at("note").nullableString(o.note),
  };
}

/**
 * Parse and validate the text of a lock file. Throws SyntaxError for malformed JSON and TypeError
 * naming the JSON path for a schema violation.
 *
 * @param text the lock file's text
 * @param source its name, for error messages
 */
export function parseRegistry(text: string, source = "datasets.lock"): Registry {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `Cannot parse dataset registry "${source}": ${(error as Error).message}`,
    );
  }
  const root = new Reader(source, "$");
  const o = root.object(json);
  if (o.version !== 1) root.at("version").fail("1", o.version);
  const datasets = root.at("datasets").object(o.datasets);
  const entries: DatasetEntry[] = [];
  for (const [id, value] of Object.entries(datasets)) {
    const r = root.at("datasets").at(id);
    if (!ID_PATTERN.test(id)) r.fail("an id like \"beir/scifact\" (lowercase, '/'-separated)", id);
    const e = r.object(value);
    const kind = r.at("kind").oneOf(e.kind, ["download", "synthetic"] as const);
    entries.push(kind === "download" ? parseDownload(r, id, e) : parseSynthetic(r, id, e));
  }
  for (const a of entries) {
    for (const b of entries) {
      if (a !== b && b.id.startsWith(`${a.id}/`)) {
        root.at("datasets").at(b.id).fail(`an id that does not nest under "${a.id}"`, b.id);
      }
    }
  }
  return { version: 1, datasets: entries };
}

/** Read and validate a lock file (default: the repository's `datasets.lock`). */
export async function loadRegistry(path: string = DEFAULT_LOCK_PATH): Promise<Registry> {
  return parseRegistry(await Deno.readTextFile(path), path);
}

/** No registry entry has the requested id (a usage error for the CLI). */
export class DatasetNotFoundError extends RangeError {
  override name = "DatasetNotFoundError";
}

/**
 * The entry with id `id`. Throws a DatasetNotFoundError listing the known ids when there is none.
 */
export function findDataset(registry: Registry, id: string): DatasetEntry {
  const found = registry.datasets.find((d) => d.id === id);
  if (found === undefined) {
    const known = registry.datasets.map((d) => d.id).join(", ");
    throw new DatasetNotFoundError(
      `Cannot find dataset "${id}" in the registry: known ids are ${known}`,
    );
  }
  return found;
}

/** Total download size of an entry in bytes (0 for synthetic entries). */
export function downloadSize(entry: DatasetEntry): number {
  return entry.kind === "download" ? entry.files.reduce((sum, f) => sum + f.size, 0) : 0;
}
