/**
 * Atomic file writes: the content goes to a temporary file in the target's folder, is flushed to
 * disk, then renamed over the target, so readers see the old file or the complete new one, never
 * a half-written one (POSIX rename(2) atomicity within one file system).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { writeAll } from "./write_all.ts";

/** What {@linkcode writeFileAtomic} can write. */
export type AtomicContent =
  | string
  | Uint8Array
  | ReadableStream<Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>;

/** Options for {@linkcode writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the new file (default: the process umask applied to 0o666). */
  readonly mode?: number;
}

/** Name of a fresh temporary file beside `path` (same folder, hence same file system). */
export function temporaryPathFor(path: string): string {
  const random = crypto.randomUUID().slice(0, 8);
  return join(dirname(path), `.${basename(path)}.tmp-${Deno.pid}-${random}`);
}

function isReadableStream(content: AtomicContent): content is ReadableStream<Uint8Array> {
  return content instanceof ReadableStream;
}

/**
 * Write `content` to `path` atomically. Streams and iterables are written piece by piece, so large
 * outputs need not be held in memory. On any failure the temporary file is removed and the target
 * is left as it was.
 *
 * @example
 * ```ts
 * await writeFileAtomic("run.txt", lines.map((l) => l + "\n"));
 * ```
 */
export async function writeFileAtomic(
  path: string,
  content: AtomicContent,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temporary = temporaryPathFor(path);
  const openOptions: Deno.OpenOptions = { write: true, createNew: true };
  if (options.mode !== undefined) openOptions.mode = options.mode;
  const file = await Deno.open(temporary, openOptions);
  let closed = false;
  try {
    const encoder = new TextEncoder();
    if (typeof content === "string") {
      await writeAll(file, encoder.encode(content));
    } else if (content instanceof Uint8Array) {
      await writeAll(file, content);
    } else if (isReadableStream(content)) {
      for await (const piece of content) await writeAll(file, piece);
    } else {
      for await (const piece of content) {
        await writeAll(file, typeof piece === "string" ? encoder.encode(piece) : piece);
      }
    }
    await file.sync();
    file.close();
    closed = true;
    await Deno.rename(temporary, path);
  } catch (error) {
    if (!closed) file.close();
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
