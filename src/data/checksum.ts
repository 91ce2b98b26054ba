/**
 * File checksums: streaming MD5 (as upstream datasets publish it; WebCrypto has none, so
 * node:crypto) and SHA-256, and the error raised when a file does not match its pinned checksum.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";

/** Hex digests of one byte stream. */
export interface Digests {
  /** MD5, 32 lowercase hex digits. */
  readonly md5: string;
  /** SHA-256, 64 lowercase hex digits. */
  readonly sha256: string;
  /** Number of bytes hashed. */
  readonly size: number;
}

/** Incremental MD5 + SHA-256 of a byte stream fed in pieces. */
export class DigestAccumulator {
  #md5: Hash = createHash("md5");
  #sha256: Hash = createHash("sha256");
  #size = 0;

  /** Add the next bytes. */
  update(bytes: Uint8Array): void {
    this.#md5.update(bytes);
    this.#sha256.update(bytes);
    this.#size += bytes.length;
  }

  /** Bytes hashed so far. */
  get size(): number {
    return this.#size;
  }

  /** Finish; the accumulator cannot be used afterwards. */
  digest(): Digests {
    return { md5: this.#md5.digest("hex"), sha256: this.#sha256.digest("hex"), size: this.#size };
  }
}

/**
 * Feed the first `limit` bytes (default: all) of the file at `path` into `accumulator`, streaming.
 * `onBytes` is called with the running byte count after each chunk.
 */
export async function hashFileInto(
  path: string,
  accumulator: DigestAccumulator,
  onBytes?: (bytes: number) => void,
): Promise<void> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  let done = 0;
  while (true) {
    const n = await file.read(buffer);
    if (n === null) break;
    accumulator.update(buffer.subarray(0, n));
    done += n;
    onBytes?.(done);
  }
}

/** MD5 and SHA-256 of a file, read in 1 MiB chunks. */
export async function hashFile(
  path: string,
  onBytes?: (bytes: number) => void,
): Promise<Digests> {
  const accumulator = new DigestAccumulator();
  await hashFileInto(path, accumulator, onBytes);
  return accumulator.digest();
}

/**
 * A file whose size or checksum differs from the pinned value. Callers catch it to tell a
 * corrupted or substituted file from other failures.
 */
export class ChecksumMismatchError extends Error {
  /** The file that was checked. */
  readonly file: string;
  /** Which property differed. */
  readonly property: "md5" | "sha256" | "size";
  /** The pinned value. */
  readonly expected: string;
  /** The value found. */
  readonly actual: string;

  constructor(
    file: string,
    property: "md5" | "sha256" | "size",
    expected: string,
    actual: string,
  ) {
    super(
      `Cannot accept "${file}": ${property} mismatch, expected "${expected}", found "${actual}"`,
    );
    this.name = "ChecksumMismatchError";
    this.file = file;
    this.property = property;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The pinned values a file must match. */
export interface PinnedChecksum {
  readonly md5: string;
  readonly sha256: string | null;
  readonly size: number;
}

/**
 * Throw {@linkcode ChecksumMismatchError} unless `actual` matches `pinned`: MD5 first (so a wrong
 * file is reported by its checksum, whatever its size), then size, then SHA-256 when pinned.
 */
export function assertDigests(file: string, pinned: PinnedChecksum, actual: Digests): void {
  if (actual.md5 !== pinned.md5) {
    throw new ChecksumMismatchError(file, "md5", pinned.md5, actual.md5);
  }
  if (actual.size !== pinned.size) {
    throw new ChecksumMismatchError(file, "size", String(pinned.size), String(actual.size));
  }
  if (pinned.sha256 !== null && actual.sha256 !== pinned.sha256) {
    throw new ChecksumMismatchError(file, "sha256", pinned.sha256, actual.sha256);
  }
}
