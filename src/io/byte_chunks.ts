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
  /** Told whether the file is read as gzip, before the first chunk (detected or forced). */
  readonly onFormat?: (gzip: boolean) => void;
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

async function readHead(file: Source): Promise<Uint8Array> {
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
  const file = await openFile(path);
  try {
    return isGzip(await readHead(file));
  } finally {
    file.close();
  }
}

/**
 * The error for a failure while reading `path`, naming the file (text readers that add their
 * encoding to the message take its reason from {@linkcode textReadError}): a gzip stream that ends early
 * or holds bad data is a SyntaxError (the file is damaged), an operating-system error keeps its
 * `Deno.errors` class.
 */
export function readError(path: string, gzip: boolean, cause: unknown): Error {
  const what = cause instanceof Error ? cause.message : String(cause);
  for (const ErrorClass of Object.values(Deno.errors)) {
    if (cause instanceof ErrorClass) {
      return new ErrorClass(`Cannot read "${path}": ${what}`, { cause });
    }
  }
  if (gzip) {
    return new SyntaxError(
      `Cannot read "${path}" as gzip: the compressed data is truncated or corrupt (${what})`,
      { cause },
    );
  }
  return new Error(`Cannot read "${path}": ${what}`, { cause });
}

/**
 * The error of a text reader of `path` (described as `encoding`, e.g. "gzip-compressed UTF-8")
 * for `cause`, an error of {@linkcode readByteChunks} or of UTF-8 decoding: operating-system
 * errors (`Deno.errors`, which already name the file) pass through unchanged, anything else is a
 * SyntaxError `Cannot read "<path>" as <encoding> text: <reason>`.
 */
export function textReadError(path: string, encoding: string, cause: unknown): Error {
  if (Object.values(Deno.errors).some((ErrorClass) => cause instanceof ErrorClass)) {
    return cause as Error;
  }
  let what = cause instanceof Error ? cause.message : String(cause);
  const prefix = `Cannot read "${path}" as gzip: `;
  if (what.startsWith(prefix)) what = what.slice(prefix.length);
  return new SyntaxError(`Cannot read "${path}" as ${encoding} text: ${what}`, { cause });
}

/** Paths that name the process's standard input: `-` and `/dev/stdin`. */
export function isStdinPath(path: string): boolean {
  return path === "-" || path === "/dev/stdin";
}

/** What the byte source needs of an open file. */
interface Source {
  read(buffer: Uint8Array): Promise<number | null>;
  readonly readable: ReadableStream<Uint8Array>;
  close(): void;
}

/**
 * Open `path` for reading: `-` and `/dev/stdin` are the standard input (read through Deno.stdin,
 * which needs no permission, where opening the device would need `--allow-all`); a directory is
 * a `Deno.errors.IsADirectory` naming it (reading one would fail later with a message that names
 * nothing).
 */
async function openFile(path: string): Promise<Source> {
  if (isStdinPath(path)) {
    return { read: (b) => Deno.stdin.read(b), readable: Deno.stdin.readable, close: () => {} };
  }
  const file = await Deno.open(path, { read: true });
  try {
    if ((await file.stat()).isDirectory) {
      throw new Deno.errors.IsADirectory(`Cannot read "${path}": it is a directory, not a file`);
    }
  } catch (error) {
    file.close();
    throw error;
  }
  return file;
}

/**
 * Read a file as byte chunks, decompressing gzip (by default detected by content, not by name).
 * Plain files are read in chunks (default 4 MiB) into one reused buffer: a yielded chunk is valid only
 * until the next one is requested (copy it to keep it). Stopping early closes the file. The file
 * is read once from its start, never seeked, so a pipe such as `/dev/stdin` works too. A
 * directory, a read failure or a truncated/corrupt gzip stream is an error naming the file.
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
  const file = await openFile(path);
  let owned = true; // false once the readable stream owns (and closes) the file
  let gzip = options.gzip === true;
  try {
    const gzipOption = options.gzip ?? "auto";
    // The first bytes, read to detect gzip and then delivered before the rest (no seek).
    let head: Uint8Array = new Uint8Array(0);
    if (gzipOption === "auto") {
      try {
        head = await readHead(file);
      } catch (cause) {
        throw readError(path, false, cause);
      }
      gzip = isGzip(head);
    }
    options.onFormat?.(gzip);
    if (gzip) {
      owned = false;
      const rest = file.readable;
      const source = head.length === 0 ? rest : ReadableStream.from(
        (async function* () {
          yield head;
          yield* rest;
        })(),
      );
      // The DOM typing of DecompressionStream's writable side (BufferSource) is wider than needed.
      const gunzip = new DecompressionStream("gzip") as ReadableWritablePair<
        Uint8Array,
        Uint8Array
      >;
      const reader = source.pipeThrough(gunzip).getReader();
      try {
        while (true) {
          let step: ReadableStreamReadResult<Uint8Array>;
          try {
            step = await reader.read();
          } catch (cause) {
            throw readError(path, true, cause);
          }
          if (step.done) return;
          yield step.value;
        }
      } finally {
        // Early exit (break / throw in the consumer): cancel the pipe, which closes the file.
        await reader.cancel().catch(() => {});
        reader.releaseLock();
      }
    }
    const buffer = new Uint8Array(Math.max(options.chunkSize ?? READ_SIZE, head.length));
    let filled = head.length;
    buffer.set(head);
    while (true) {
      let n: number | null;
      try {
        n = await file.read(buffer.subarray(filled));
      } catch (cause) {
        throw readError(path, false, cause);
      }
      if (n === null) {
        if (filled > 0) yield buffer.subarray(0, filled);
        return;
      }
      yield buffer.subarray(0, filled + n);
      filled = 0;
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
  const fail = (cause: unknown): Error =>
    textReadError(path, gzip ? "gzip-compressed UTF-8" : "UTF-8", cause);
  const chunks = readByteChunks(path, {
    gzip: options.gzip ?? "auto",
    chunkSize: options.chunkSize ?? TEXT_READ_SIZE,
    onFormat: (isGzip) => {
      gzip = isGzip;
      options.onFormat?.(isGzip);
    },
  });
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
