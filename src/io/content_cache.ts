/**
 * The content-addressed cache: a key names a directory under a cache root, and an entry appears
 * all at once (written into a temporary sibling directory, then renamed into place), so a
 * partially written entry is never visible and two processes racing on one key agree on the
 * winner's entry.
 *
 * @module
 */

import { join } from "node:path";

/** How {@linkcode cachedContent} obtained an entry. */
export type ContentEntryKind =
  /** Read from the cache; nothing was computed. */
  | "hit"
  /** Computed now and published by this call. */
  | "published"
  /** Computed now, but another process published the key first: its entry was read and kept. */
  | "raced";

/** An entry of the content-addressed cache and how it was obtained. */
export interface ContentEntry<T> {
  readonly kind: ContentEntryKind;
  /** The entry's directory, `<root>/<key>`. */
  readonly dir: string;
  /** The entry's value: the one read from `dir` unless this call published it. */
  readonly value: T;
}

/** How a value is stored in an entry's directory. */
export interface ContentCodec<T> {
  /**
   * The value stored in the entry directory `dir`, or `undefined` when the directory or a file of
   * it is missing or does not hold a usable value (the entry is then computed again and replaced).
   */
  readonly read: (dir: string) => Promise<T | undefined>;
  /** Write `value` into `dir`, an empty directory that becomes the entry once written. */
  readonly write: (dir: string, value: T) => Promise<void>;
}

/** Options of {@linkcode cachedContent}. */
export interface ContentCacheOptions {
  /**
   * Called with the temporary directory once the entry is written, before it is renamed into
   * place (tests use it to stop a process mid-publish).
   */
  readonly beforePublish?: (tempDir: string) => void | Promise<void>;
}

/**
 * The directory of entry `key` under `root`. Throws RangeError when `key` is not one path
 * component (empty, holds a path separator, or starts with `.`, which names temporary
 * directories).
 */
export function contentEntryDir(root: string, key: string): string {
  if (key === "" || key.startsWith(".") || /[\\/]/.test(key)) {
    throw new RangeError(
      `Cannot use cache key ${
        JSON.stringify(key)
      }: expected one path component not starting with "."`,
    );
  }
  return join(root, key);
}

function siblingName(root: string, key: string, what: string): string {
  return join(root, `.${key}.${what}-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
}

async function removeTree(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch(() => {});
}

/**
 * The value of entry `key` under `root`: read with `codec.read` when present, else computed with
 * `compute`, written by `codec.write` into a fresh temporary directory beside the entry and
 * renamed into place (rename(2) is atomic within one file system, so readers see no entry or a
 * complete one). When another process publishes the same key first, its entry is kept and read
 * back (kind `raced`); an entry that `codec.read` cannot use is replaced. A process that stops
 * before the rename leaves only a hidden temporary directory, never a visible entry.
 *
 * @example
 * ```ts
 * const { value } = await cachedContent(root, sha256Text(config), () => expensive(config), {
 *   read: async (dir) => JSON.parse(await Deno.readTextFile(`${dir}/value.json`)),
 *   write: (dir, v) => Deno.writeTextFile(`${dir}/value.json`, JSON.stringify(v)),
 * });
 * ```
 */
export async function cachedContent<T>(
  root: string,
  key: string,
  compute: () => Promise<T>,
  codec: ContentCodec<T>,
  options: ContentCacheOptions = {},
): Promise<ContentEntry<T>> {
  const dir = contentEntryDir(root, key);
  const found = await readEntry(dir, codec);
  if (found !== undefined) return { kind: "hit", dir, value: found };
  const value = await compute();
  await Deno.mkdir(root, { recursive: true });
  const temp = siblingName(root, key, "tmp");
  try {
    await Deno.mkdir(temp);
    await codec.write(temp, value);
    await options.beforePublish?.(temp);
    if (await rename(temp, dir)) return { kind: "published", dir, value };
    // The key exists: another process published it meanwhile, or it holds an unusable entry.
    const winner = await readEntry(dir, codec);
    if (winner !== undefined) return { kind: "raced", dir, value: winner };
    const stale = siblingName(root, key, "stale");
    if (await rename(dir, stale)) await removeTree(stale);
    if (await rename(temp, dir)) return { kind: "published", dir, value };
    const other = await readEntry(dir, codec);
    if (other !== undefined) return { kind: "raced", dir, value: other };
    throw new Error(
      `Cannot publish cache entry "${dir}": the directory exists and does not hold a usable entry`,
    );
  } finally {
    await removeTree(temp);
  }
}

async function readEntry<T>(dir: string, codec: ContentCodec<T>): Promise<T | undefined> {
  try {
    return await codec.read(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Rename `from` to `to`; false when `to` is a non-empty directory or `from` is gone. */
async function rename(from: string, to: string): Promise<boolean> {
  try {
    await Deno.rename(from, to);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    if (error instanceof Error && "code" in error && error.code === "ENOTEMPTY") return false;
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}
