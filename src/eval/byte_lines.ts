/**
 * Streaming byte input for the readers: file chunks (gzip detected by its magic bytes and
 * decompressed with DecompressionStream) split into numbered lines without decoding them.
 *
 * @module
 */

/** Receives each line as a byte range `[start, end)` of `bytes` (no terminator). */
export interface LineSink {
  /** Handle one line; `bytes` is only valid during the call. */
  line(bytes: Uint8Array, start: number, end: number, lineNumber: number): void;
}

const NEWLINE = 10;
const READ_SIZE = 1 << 22;

/**
 * Splits a sequence of byte chunks into lines for a {@linkcode LineSink}; a line spanning two
 * chunks is joined in a carry buffer. Memory: one chunk plus the longest line.
 */
export class LineSplitter {
  #sink: LineSink;
  #carry: Uint8Array = new Uint8Array(256);
  #carryLength = 0;
  #lineNumber = 0;

  /** Split lines for `sink`. */
  constructor(sink: LineSink) {
    this.#sink = sink;
  }

  /** Number of lines delivered so far. */
  get lines(): number {
    return this.#lineNumber;
  }

  /** Feed the next chunk (it may be reused by the caller after this returns). */
  push(chunk: Uint8Array): void {
    // A plain loop: TypedArray#indexOf costs far more per call than the few bytes it scans.
    let start = 0;
    const n = chunk.length;
    let i = 0;
    if (this.#carryLength > 0) {
      while (i < n && chunk[i] !== NEWLINE) i++;
      if (i === n) {
        this.#append(chunk, 0, n);
        return;
      }
      this.#append(chunk, 0, i);
      this.#sink.line(this.#carry, 0, this.#carryLength, ++this.#lineNumber);
      this.#carryLength = 0;
      start = ++i;
    }
    const sink = this.#sink;
    let line = this.#lineNumber;
    for (; i < n; i++) {
      if (chunk[i] === NEWLINE) {
        sink.line(chunk, start, i, ++line);
        start = i + 1;
      }
    }
    this.#lineNumber = line;
    if (start < n) this.#append(chunk, start, n);
  }

  /** Deliver a final line that had no terminator. */
  finish(): void {
    if (this.#carryLength > 0) {
      this.#sink.line(this.#carry, 0, this.#carryLength, ++this.#lineNumber);
      this.#carryLength = 0;
    }
  }

  #append(chunk: Uint8Array, start: number, end: number): void {
    const needed = this.#carryLength + (end - start);
    if (needed > this.#carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.#carry.length * 2));
      grown.set(this.#carry.subarray(0, this.#carryLength));
      this.#carry = grown;
    }
    this.#carry.set(chunk.subarray(start, end), this.#carryLength);
    this.#carryLength = needed;
  }
}

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Read a file as byte chunks, decompressing gzip (detected by content, not by name). Plain
 * files are read in 4 MiB chunks; a yielded chunk is valid until the next one is requested.
 */
export async function* readByteChunks(path: string): AsyncGenerator<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  let closed = false;
  try {
    const head = new Uint8Array(2);
    let got = 0;
    while (got < 2) {
      const n = await file.read(head.subarray(got));
      if (n === null) break;
      got += n;
    }
    await file.seek(0, Deno.SeekMode.Start);
    if (isGzip(head.subarray(0, got))) {
      closed = true; // the readable stream owns and closes the file
      const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
      for await (const chunk of stream) yield chunk;
      return;
    }
    const buffer = new Uint8Array(READ_SIZE);
    while (true) {
      const n = await file.read(buffer);
      if (n === null) break;
      yield buffer.subarray(0, n);
    }
  } finally {
    if (!closed) file.close();
  }
}

/** Feed a whole file (gzip or plain) to a sink line by line; returns the number of lines. */
export async function readFileLines(path: string, sink: LineSink): Promise<number> {
  const splitter = new LineSplitter(sink);
  for await (const chunk of readByteChunks(path)) splitter.push(chunk);
  splitter.finish();
  return splitter.lines;
}

/** Feed in-memory text or bytes to a sink line by line; returns the number of lines. */
export function splitLines(input: string | Uint8Array, sink: LineSink): number {
  const splitter = new LineSplitter(sink);
  splitter.push(typeof input === "string" ? new TextEncoder().encode(input) : input);
  splitter.finish();
  return splitter.lines;
}

/** Whitespace as C's isspace (space, \t, \n, \v, \f, \r), the field separators of TREC files. */
export function isSpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Decode `bytes[start, end)` as UTF-8 (ASCII fast path).
 *
 * @throws {TypeError} on invalid UTF-8
 */
export function decodeBytes(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i]! >= 128) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
    }
  }
  return decoder.decode(bytes.subarray(start, end));
}
