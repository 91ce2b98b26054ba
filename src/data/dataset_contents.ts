/**
 * What a fetch unpacked: every file of an installed dataset with its size, modification time and
 * SHA-256 (recorded in the completion marker), a cheap check by size and time (is a dataset still
 * as fetched?) and a full re-hash (is every byte as fetched?).
 *
 * @module
 */

import { join, relative, sep } from "node:path";
import { match } from "ts-pattern";
import { hashFile } from "./checksum.ts";

/** One unpacked file as recorded in the completion marker (`path` relative, `/`-separated). */
export interface ContentFile {
  readonly path: string;
  readonly size: number;
  /** Modification time in ms since the epoch (a rename keeps it). */
  readonly mtimeMs: number;
  readonly sha256: string;
}

/** How a file differs from what was recorded. */
export type ContentProblem =
  | { readonly kind: "removed"; readonly path: string }
  | { readonly kind: "edited"; readonly path: string; readonly detail: string }
  | { readonly kind: "added"; readonly path: string };

/** The relative paths of every file under `dir` except `skip` names, sorted. */
async function walk(dir: string, skip: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    for await (const entry of Deno.readDir(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await visit(path);
      else if (!(folder === dir && skip.has(entry.name))) {
        out.push(relative(dir, path).split(sep).join("/"));
      }
    }
  };
  await visit(dir);
  return out.sort();
}

/**
 * Record every file under `dir` (except the top-level names in `skip`, e.g. the marker itself):
 * path, size, modification time and SHA-256, in path order.
 */
export async function recordContents(
  dir: string,
  skip: readonly string[] = [],
): Promise<ContentFile[]> {
  const files: ContentFile[] = [];
  for (const path of await walk(dir, new Set(skip))) {
    const full = join(dir, ...path.split("/"));
    const stat = await Deno.stat(full);
    const { sha256, size } = await hashFile(full);
    files.push({ path, size, mtimeMs: stat.mtime?.getTime() ?? 0, sha256 });
  }
  return files;
}

/**
 * Compare the files under `dir` with `recorded`. `"stat"` compares sizes and modification times
 * only (cheap: what `--list` and the cache status use); `"hash"` re-hashes every file, so a file
 * touched but unchanged is not reported and an edit that kept size and time is. Files added
 * since are reported in `"hash"` mode only.
 */
export async function checkContents(
  dir: string,
  recorded: readonly ContentFile[],
  mode: "stat" | "hash",
  skip: readonly string[] = [],
): Promise<ContentProblem[]> {
  const problems: ContentProblem[] = [];
  for (const file of recorded) {
    const full = join(dir, ...file.path.split("/"));
    let stat: Deno.FileInfo;
    try {
      stat = await Deno.stat(full);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        problems.push({ kind: "removed", path: file.path });
        continue;
      }
      throw error;
    }
    if (stat.size !== file.size) {
      problems.push({
        kind: "edited",
        path: file.path,
        detail: `size ${stat.size}, fetched ${file.size}`,
      });
      continue;
    }
    if (mode === "stat") {
      const mtime = stat.mtime?.getTime() ?? 0;
      if (mtime !== file.mtimeMs) {
        problems.push({
          kind: "edited",
          path: file.path,
          detail: `modified ${new Date(mtime).toISOString()}, fetched ${
            new Date(file.mtimeMs).toISOString()
          }`,
        });
      }
      continue;
    }
    const { sha256 } = await hashFile(full);
    if (sha256 !== file.sha256) {
      problems.push({
        kind: "edited",
        path: file.path,
        detail: `sha256 ${sha256}, fetched ${file.sha256}`,
      });
    }
  }
  if (mode === "hash") {
    const known = new Set(recorded.map((f) => f.path));
    for (const path of await walk(dir, new Set(skip))) {
      if (!known.has(path)) problems.push({ kind: "added", path });
    }
  }
  return problems;
}

/** One line per problem: `edited  scifact/corpus.jsonl (size 10, fetched 12)`. */
export function describeProblem(problem: ContentProblem): string {
  return match(problem)
    .with({ kind: "removed" }, (p) => `removed ${p.path}`)
    .with({ kind: "added" }, (p) => `added   ${p.path}`)
    .with({ kind: "edited" }, (p) => `edited  ${p.path} (${p.detail})`)
    .exhaustive();
}
