/**
 * Count verification after unpacking: non-empty lines (io's byte-level line splitter, so an
 * 8.8M-line collection is counted without decoding), distinct values of a field (via the streaming
 * line reader of src/io), and top-level JSON array elements (via the streaming JSON array parser
 * of src/io).
 * What to count and how is declared per file in `datasets.lock`, so fetch needs no
 * format-specific loader; a test cross-checks these counters against the BEIR loader
 * (`countBeirDataset`) on the shared SciFact data.
 *
 * @module
 */

import { join } from "node:path";
import { readFileLines, readJsonArray, readLines } from "../../io/mod.ts";
import type { ObservedCount } from "../cache.ts";
import type { FetchProgress } from "./events.ts";
import type { CountMethod, ExpectedCount } from "../registry_types.ts";

/** Number of non-empty lines (a line of only `\r` is empty), minus the first when `header`. */
export async function countLines(path: string, header: boolean): Promise<number> {
  let lines = 0;
  let skipHeader = header; // the header is the first non-empty line
  await readFileLines(path, {
    line(bytes, start, end) {
      for (let i = start; i < end; i++) {
        if (bytes[i] !== 13) {
          if (skipHeader) skipHeader = false;
          else lines++;
          return;
        }
      }
    },
  }, { gzip: false });
  return lines;
}

/** Number of distinct values of field `field` over non-empty lines. */
export async function countDistinctField(
  path: string,
  field: number,
  separator: "tab" | "whitespace",
  header: boolean,
): Promise<number> {
  const seen = new Set<string>();
  let first = true;
  const split = separator === "tab" ? /\t/ : /[ \t]+/;
  for await (const { text: line, number } of readLines(path, { gzip: false })) {
    if (line.trim() === "") continue;
    if (first) {
      first = false;
      if (header) continue;
    }
    const value = (separator === "tab" ? line : line.trim()).split(split)[field];
    if (value === undefined) {
      throw new SyntaxError(
        `Cannot count line ${number} of "${path}": expected at least ${field + 1} fields`,
      );
    }
    seen.add(value);
  }
  return seen.size;
}

/** Number of elements of the file's top-level JSON array. */
export async function countJsonArray(path: string): Promise<number> {
  let n = 0;
  for await (const _ of readJsonArray(path, { gzip: false })) n++;
  return n;
}

/** Count `file` by `method`. */
export function countBy(path: string, method: CountMethod): Promise<number> {
  switch (method.kind) {
    case "lines":
      return countLines(path, method.header);
    case "distinct-field":
      return countDistinctField(path, method.field, method.separator, method.header);
    case "json-array":
      return countJsonArray(path);
    default: {
      const unreachable: never = method;
      throw new TypeError(`Cannot count "${path}": unknown method ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Count every expected count of a dataset unpacked at `dir`. Returns all observations; throws a
 * RangeError listing every mismatch (expected values that are `null` are only recorded).
 */
export async function verifyCounts(
  id: string,
  dir: string,
  counts: readonly ExpectedCount[],
  onProgress?: FetchProgress,
): Promise<readonly ObservedCount[]> {
  const observed: ObservedCount[] = [];
  const mismatches: string[] = [];
  for (const c of counts) {
    const path = join(dir, ...c.file.split("/"));
    let value: number;
    try {
      value = await countBy(path, c.method);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new Deno.errors.NotFound(
          `Cannot verify counts of "${id}": file "${c.file}" is missing after unpacking`,
        );
      }
      throw error;
    }
    observed.push({
      what: c.what,
      split: c.split,
      file: c.file,
      expected: c.value,
      observed: value,
    });
    onProgress?.({
      kind: "count",
      file: c.file,
      what: c.what,
      split: c.split,
      expected: c.value,
      observed: value,
    });
    if (c.value !== null && c.value !== value) {
      const scope = c.split === null ? c.what : `${c.split} ${c.what}`;
      mismatches.push(`${scope} in "${c.file}": expected ${c.value}, found ${value}`);
    }
  }
  if (mismatches.length > 0) {
    throw new RangeError(`Cannot verify counts of "${id}": ${mismatches.join("; ")}`);
  }
  return observed;
}
