/**
 * The header of an on-disk embedding store (`header.json` in the store's folder): element type,
 * dimensions, row count, and the names of the vector and id files it describes.
 *
 * @module
 */

/** Element type of the stored vectors (little-endian IEEE 754). */
export type StoreDtype = "float32" | "float16";

/** Bytes per stored element. */
export function dtypeBytes(dtype: StoreDtype): number {
  switch (dtype) {
    case "float32":
      return 4;
    case "float16":
      return 2;
    default: {
      const never: never = dtype;
      throw new TypeError(`Cannot size dtype ${JSON.stringify(never)}`);
    }
  }
}

/** The `format` value identifying an embedding store header. */
export const STORE_FORMAT = "embeddistill.embeddings";

/** Name of the header file inside a store folder. */
export const HEADER_FILE = "header.json";

/**
 * Contents of `header.json`. The vector file holds `count x dims` row-major elements of `dtype`
 * with no padding; the ids file holds `count` lines (UTF-8, `\n`-terminated), row i's id on line i.
 */
export interface StoreHeader {
  readonly format: typeof STORE_FORMAT;
  readonly version: 1;
  readonly dtype: StoreDtype;
  readonly dims: number;
  readonly count: number;
  /** Vector file name, relative to the store folder. */
  readonly vectors: string;
  /** Ids file name, relative to the store folder. */
  readonly ids: string;
}

function fail(source: string, what: string, found: unknown): never {
  throw new SyntaxError(
    `Cannot read embedding store header "${source}": expected ${what}, found ${
      JSON.stringify(found)
    }`,
  );
}

function fileName(value: unknown, field: string, source: string): string {
  if (typeof value !== "string" || value === "" || /[\\/]/.test(value) || value.startsWith(".")) {
    fail(source, `"${field}" to be a plain file name`, value);
  }
  return value;
}

/** Validate parsed `header.json` contents; `source` names the file in errors. */
export function parseStoreHeader(json: unknown, source: string): StoreHeader {
  if (typeof json !== "object" || json === null) fail(source, "a JSON object", json);
  const h = json as Record<string, unknown>;
  if (h["format"] !== STORE_FORMAT) fail(source, `"format" "${STORE_FORMAT}"`, h["format"]);
  if (h["version"] !== 1) fail(source, `"version" 1`, h["version"]);
  const dtype = h["dtype"];
  if (dtype !== "float32" && dtype !== "float16") {
    fail(source, `"dtype" "float32" or "float16"`, dtype);
  }
  const dims = h["dims"];
  if (typeof dims !== "number" || !Number.isInteger(dims) || dims < 1) {
    fail(source, `"dims" a positive integer`, dims);
  }
  const count = h["count"];
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) {
    fail(source, `"count" a non-negative integer`, count);
  }
  return {
    format: STORE_FORMAT,
    version: 1,
    dtype,
    dims,
    count,
    vectors: fileName(h["vectors"], "vectors", source),
    ids: fileName(h["ids"], "ids", source),
  };
}
