/**
 * Streaming text from a file: UTF-8 decoded chunks, gunzipped on the fly when the file is gzip
 * (detected by its magic bytes), so multi-GB files are never held as one string.
 *
 * @module
 */

/** Options for {@linkcode readTextChunks}. */
export interface TextChunkOptions {
  /**
   * Decompress with gzip: `"auto"` (default) looks at the first two bytes for the gzip magic
   * number `1f 8b` (RFC 1952 section 2.3.1); `true` / `false` force it.
   */
  readonly gzip?: boolean | "auto";
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Whether the file at `path` starts with the gzip magic bytes `1f 8b` (RFC 1952). */
export async function isGzipFile(path: string): Promise<boolean> {
  using file = await Deno.open(path, { read: true });
  const head = new Uint8Array(2);
  let filled = 0;
  while (filled < 2) {
    const n = await file.read(head.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return filled === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
}

/**
 * Read a file as a sequence of decoded text chunks (strict UTF-8: invalid bytes are an error; a
 * leading byte-order mark is dropped). Memory use is one chunk at a time, whatever the file size.
 *
 * @example
 * ```ts
 * let chars = 0;
 * for await (const chunk of readTextChunks("topics.tsv.gz")) chars += chunk.length;
 * ```
 */
export async function* readTextChunks(
  path: string,
  options: TextChunkOptions = {},
): AsyncGenerator<string, void, undefined> {
  const gzipOption = options.gzip ?? "auto";
  const gzip = gzipOption === "auto" ? await isGzipFile(path) : gzipOption;
  const file = await Deno.open(path, { read: true });
  let bytes: ReadableStream<Uint8Array> = file.readable;
  if (gzip) {
    // The DOM typing of DecompressionStream's writable side (BufferSource) is wider than needed.
    const gunzip = new DecompressionStream("gzip") as ReadableWritablePair<Uint8Array, Uint8Array>;
    bytes = bytes.pipeThrough(gunzip);
  }
  const text = bytes.pipeThrough(new TextDecoderStream("utf-8", { fatal: true }));
  const reader = text.getReader();
  try {
    while (true) {
      let step: ReadableStreamReadResult<string>;
      try {
        step = await reader.read();
      } catch (cause) {
        const what = cause instanceof Error ? cause.message : String(cause);
        const encoding = gzip ? "gzip-compressed UTF-8" : "UTF-8";
        throw new SyntaxError(`Cannot read "${path}" as ${encoding} text: ${what}`, { cause });
      }
      if (step.done) return;
      if (step.value.length > 0) yield step.value;
    }
  } finally {
    // Early exit (break / throw in the consumer): cancel the pipe, which closes the file.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
