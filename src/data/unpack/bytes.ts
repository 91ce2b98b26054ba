/**
 * Byte-level helpers shared by the unpackers: an exact-length reader over a chunk stream, safe
 * joining of archive member paths under a destination folder, and writing a chunk stream to a file.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { writeAll } from "../../io/mod.ts";

/** Reads exact byte counts from an async iterator of chunks without concatenating the stream. */
export class ByteReader {
  #chunks: AsyncIterator<Uint8Array>;
  #buffer: Uint8Array = new Uint8Array(0);
  #offset = 0;
  #position = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  /** Bytes consumed so far. */
  get position(): number {
    return this.#position;
  }

  async #fill(): Promise<boolean> {
    while (this.#offset >= this.#buffer.length) {
      const next = await this.#chunks.next();
      if (next.done) return false;
      this.#buffer = next.value;
      this.#offset = 0;
    }
    return true;
  }

  /**
   * Exactly `n` bytes, or `null` when the stream ended before the first byte. Throws a
   * SyntaxError when it ends part-way.
   */
  async exact(n: number, what: string): Promise<Uint8Array | null> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (!(await this.#fill())) {
        if (filled === 0) return null;
        throw new SyntaxError(
          `Cannot read ${what}: input ends after ${filled} of ${n} bytes at offset ${this.#position}`,
        );
      }
      const take = Math.min(n - filled, this.#buffer.length - this.#offset);
      out.set(this.#buffer.subarray(this.#offset, this.#offset + take), filled);
      this.#offset += take;
      this.#position += take;
      filled += take;
    }
    return out;
  }

  /** The next `n` bytes as a sequence of chunks (views into the input; copy to keep them). */
  async *chunks(n: number, what: string): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      if (!(await this.#fill())) {
        throw new SyntaxError(`Cannot read ${what}: input ends with ${left} bytes missing`);
      }
      const take = Math.min(left, this.#buffer.length - this.#offset);
      const piece = this.#buffer.subarray(this.#offset, this.#offset + take);
      this.#offset += take;
      this.#position += take;
      left -= take;
      yield piece;
    }
  }

  /** Skip `n` bytes. */
  async skip(n: number, what: string): Promise<void> {
    for await (const _ of this.chunks(n, what)) { /* discard */ }
  }
}

/**
 * `dest` joined with the `/`-separated archive member `name`, refusing absolute names, `..`
 * components and backslashes (zip-slip) with a SyntaxError.
 */
export function memberPath(dest: string, name: string, archive: string): string {
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (
    name.startsWith("/") || name.includes("\\") || name.includes("\0") ||
    parts.some((p) => p === "..") || parts.length === 0
  ) {
    throw new SyntaxError(`Cannot unpack "${archive}": unsafe member path "${name}"`);
  }
  return join(dest, ...parts);
}

/** Write all chunks to a new file at `path` (parent folders created). Returns the byte count. */
export async function writeChunks(
  path: string,
  chunks: AsyncIterable<Uint8Array>,
): Promise<number> {
  await Deno.mkdir(dirname(path), { recursive: true });
  using file = await Deno.open(path, { write: true, createNew: true });
  let total = 0;
  for await (const chunk of chunks) {
    await writeAll(file, chunk);
    total += chunk.length;
  }
  return total;
}
