/**
 * The one chunked byte source: a file read in large chunks, gunzipped on the fly when it is gzip
 * (detected by its magic bytes), and the same chunks decoded as UTF-8 text.
 *
 * @module
 */

/** Options for {@linkcode readByteChunks} and {@linkcode readTextChunks}. */
export interface ByteChunkOptions {
  /**
   * Decompress with gzip: `"auto"` (default) looks at the first two bytes for the gzip magic
   * number `1f 8b` (RFC 1952 section 2.3.1); `true` / `false` force it.
   */
  readonly gzip?: boolean | "auto";
  /** Bytes per read of a plain file (default 4 MiB; a gzip file comes in the inflater's chunks). */
  readonly chunkSize?: number;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
/** Plain files are read in 4 MiB chunks by default: few reads, one chunk of memory. */
const READ_SIZE = 1 << 22;
/** Text is decoded in 64 KiB chunks, so a consumer's strings stay small. */
const TEXT_READ_SIZE = 1 << 16;

/** True when `bytes` starts with the gzip magic number `1f 8b` (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

async function readHead(file: Deno.FsFile): Promise<Uint8Array> {
  const head = new Uint8Array(2);
  let filled = 0;
  while (filled < 2) {
    const n = await file.read(head.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return head.subarray(0, filled);
}

/** Whether the file at `path` starts with the gzip magic bytes `1f 8b` (RFC 1952). */
export async function isGzipFile(path: string): Promise<boolean> {
  using file = await Deno.open(path, { read: true });
  return isGzip(await readHead(file));
}

/**
 * Read a file as byte chunks, decompressing gzip (by default detected by content, not by name).
 * Plain files are read in chunks (default 4 MiB) into one reused buffer: a yielded chunk is valid only
 * until the next one is requested (copy it to keep it). Stopping early closes the file.
 *
 * @example
 * ```ts
 * let bytes = 0;
 * for await (const chunk of readByteChunks("qrels.txt.gz")) bytes += chunk.length;
 * ```
 */
export async function* readByteChunks(
  path: string,
  options: ByteChunkOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const file = await Deno.open(path, { read: true });
  let owned = true; // false once the readable stream owns (and closes) the file
  try {
    const gzipOption = options.gzip ?? "auto";
    let gzip = gzipOption === true;
    if (gzipOption === "auto") {
      gzip = isGzip(await readHead(file));
      await file.seek(0, Deno.SeekMode.Start);
    }
    if (gzip) {
      owned = false;
      // The DOM typing of DecompressionStream's writable side (BufferSource) is wider than needed.
      const gunzip = new DecompressionStream("gzip") as ReadableWritablePair<
        Uint8Array,
        Uint8Array
      >;
      const reader = file.readable.pipeThrough(gunzip).getReader();
      try {
        while (true) {
          const step = await reader.read();
          if (step.done) return;
          yield step.value;
        }
      } finally {
        // Early exit (break / throw in the consumer): cancel the pipe, which closes the file.
        await reader.cancel().catch(() => {});
        reader.releaseLock();
      }
    }
    const buffer = new Uint8Array(options.chunkSize ?? READ_SIZE);
    while (true) {
      const n = await file.read(buffer);
      if (n === null) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    if (owned) file.close();
  }
}

/**
 * Read a file as a sequence of decoded text chunks (strict UTF-8: invalid bytes are a
 * SyntaxError naming the file; a leading byte-order mark is dropped), over
 * {@linkcode readByteChunks} in 64 KiB chunks unless told otherwise. Memory use is one chunk at a time, whatever the file size.
 *
 * @example
 * ```ts
 * let chars = 0;
 * for await (const chunk of readTextChunks("topics.tsv.gz")) chars += chunk.length;
 * ```
 */
export async function* readTextChunks(
  path: string,
  options: ByteChunkOptions = {},
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let gzip = options.gzip === true;
  const fail = (cause: unknown): SyntaxError => {
    const what = cause instanceof Error ? cause.message : String(cause);
    const encoding = gzip ? "gzip-compressed UTF-8" : "UTF-8";
    return new SyntaxError(`Cannot read "${path}" as ${encoding} text: ${what}`, { cause });
  };
  if (options.gzip === undefined || options.gzip === "auto") gzip = await isGzipFile(path);
  const chunks = readByteChunks(path, { gzip, chunkSize: options.chunkSize ?? TEXT_READ_SIZE });
  try {
    while (true) {
      let step: IteratorResult<Uint8Array, void>;
      let text: string;
      try {
        step = await chunks.next();
        text = step.done ? decoder.decode() : decoder.decode(step.value, { stream: true });
      } catch (cause) {
        throw fail(cause);
      }
      if (text.length > 0) yield text;
      if (step.done) return;
    }
  } finally {
    // Early exit (break / throw in the consumer) or a failure: close the file.
    await chunks.return();
  }
}
