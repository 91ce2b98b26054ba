/**
 * What a content-addressed cache root holds (see content_cache.ts): its entries with size, time
 * and file names, the hidden temporary directories writers leave while they publish (named with
 * the writer's pid), and the atomic removal of either (rename aside, then delete).
 *
 * @module
 */

import { join } from "node:path";

/** One published entry of a content cache root. */
export interface ContentCacheEntry {
  /** The content key (the directory's name). */
  readonly key: string;
  readonly dir: string;
  /** Total bytes of its files. */
  readonly bytes: number;
  /** When it was written (its directory's modification time), ms since the epoch. */
  readonly mtimeMs: number;
  /** Its files' paths relative to `dir`, sorted. */
  readonly files: readonly string[];
}

/** A hidden directory of the cache root: a writer's temporary, or a removal in progress. */
export interface ContentCacheTemporary {
  /** Its name under the root (starts with "."). */
  readonly name: string;
  readonly dir: string;
  /** The process that made it (parsed from the name), or null when the name holds none. */
  readonly pid: number | null;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/** Everything under a content cache root. */
export interface ContentCacheInventory {
  readonly entries: readonly ContentCacheEntry[];
  readonly temporaries: readonly ContentCacheTemporary[];
}

/** `.<key>.<what>-<pid>-<random>`, as content_cache.ts and {@linkcode removeCacheDir} name them. */
const HIDDEN_NAME = /^\..+\.[a-z]+-(\d+)-[0-9a-f-]+$/;

/** Total bytes and sorted relative paths of the files under `dir`. */
export async function treeSize(dir: string): Promise<{ bytes: number; files: string[] }> {
  let bytes = 0;
  const files: string[] = [];
  const visit = async (folder: string, prefix: string): Promise<void> => {
    for await (const entry of Deno.readDir(folder)) {
      const path = join(folder, entry.name);
      const name = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory) await visit(path, name);
      else {
        bytes += (await Deno.lstat(path)).size;
        files.push(name);
      }
    }
  };
  await visit(dir, "");
  return { bytes, files: files.sort() };
}

/**
 * List the content cache at `root` (empty when it does not exist): published entries, sorted by
 * key, and hidden temporaries. An entry removed by another process while it is listed is left
 * out.
 */
export async function listContentCache(root: string): Promise<ContentCacheInventory> {
  const entries: ContentCacheEntry[] = [];
  const temporaries: ContentCacheTemporary[] = [];
  let listing: Deno.DirEntry[];
  try {
    listing = await Array.fromAsync(Deno.readDir(root));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { entries, temporaries };
    throw error;
  }
  for (const item of listing) {
    if (!item.isDirectory) continue;
    const dir = join(root, item.name);
    try {
      const { bytes, files } = await treeSize(dir);
      const mtimeMs = (await Deno.stat(dir)).mtime?.getTime() ?? 0;
      if (item.name.startsWith(".")) {
        const pid = HIDDEN_NAME.exec(item.name)?.[1];
        temporaries.push({
          name: item.name,
          dir,
          pid: pid === undefined ? null : Number(pid),
          bytes,
          mtimeMs,
        });
      } else {
        entries.push({ key: item.name, dir, bytes, mtimeMs, files });
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { entries, temporaries };
}

/**
 * Remove the directory `name` of the cache root atomically: rename it aside to a hidden name
 * (readers then see no entry at all, never a half-deleted one), then delete it. Returns false
 * when it was already gone.
 */
export async function removeCacheDir(root: string, name: string): Promise<boolean> {
  const aside = join(root, `.${name.replace(/^\./, "")}.gc-${Deno.pid}-${crypto.randomUUID()}`);
  try {
    await Deno.rename(join(root, name), aside);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  await Deno.remove(aside, { recursive: true });
  return true;
}
