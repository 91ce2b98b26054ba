/**
 * Streaming tar reader (POSIX ustar, IEEE 1003.1-1988/2001): 512-byte headers, octal or GNU
 * base-256 sizes, checksum verification, the ustar `prefix` field, GNU `L` long names and pax `x`
 * `path` records. Entries stream through; nothing but one header is held in memory.
 *
 * @module
 */

import { ByteReader, memberPath, writeChunks } from "./bytes.ts";

const BLOCK = 512;
const decoder = new TextDecoder();

/** One member of a tar archive. Drain or skip `body` before asking for the next entry. */
export interface TarEntry {
  readonly name: string;
  readonly type: "file" | "directory" | "other";
  readonly size: number;
  /** The member's bytes (views into the input; copy to keep them). */
  readonly body: AsyncIterable<Uint8Array>;
}

function text(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

function number(block: Uint8Array, start: number, length: number, archive: string): number {
  const field = block.subarray(start, start + length);
  if ((field[0]! & 0x80) !== 0) {
    // GNU base-256: big-endian two's complement with the top bit set.
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const digits = text(block, start, length).trim();
  if (digits === "") return 0;
  if (!/^[0-7]+$/.test(digits)) {
    throw new SyntaxError(`Cannot read tar "${archive}": bad octal field "${digits}"`);
  }
  return parseInt(digits, 8);
}

function verifyChecksum(block: Uint8Array, archive: string, offset: number): void {
  const stored = number(block, 148, 8, archive);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  if (sum !== stored) {
    throw new SyntaxError(
      `Cannot read tar "${archive}": header checksum mismatch at offset ${offset}, expected ${stored}, found ${sum}`,
    );
  }
}

/** `path` from pax extended header records (`<len> <key>=<value>\n`). */
function paxPath(records: string): string | undefined {
  let path: string | undefined;
  for (const line of records.split("\n")) {
    const match = /^\d+ ([^=]+)=(.*)$/.exec(line);
    if (match?.[1] === "path") path = match[2];
  }
  return path;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks) {
    parts.push(c.slice());
    total += c.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Stream the entries of an uncompressed tar byte stream. */
async function* readTar(
  chunks: AsyncIterable<Uint8Array>,
  archive: string,
): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(chunks);
  let longName: string | undefined;
  while (true) {
    const offset = reader.position;
    const header = await reader.exact(BLOCK, `tar "${archive}" header`);
    if (header === null || header.every((b) => b === 0)) return;
    verifyChecksum(header, archive, offset);
    const size = number(header, 124, 12, archive);
    const flag = String.fromCharCode(header[156]!);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const what = `tar "${archive}" member at offset ${offset}`;
    if (flag === "L" || flag === "x") {
      const data = decoder.decode(await collect(reader.chunks(size, what)));
      await reader.skip(padding, what);
      longName = flag === "L" ? data.replace(/\0+$/, "") : paxPath(data) ?? longName;
      continue;
    }
    let name = text(header, 0, 100);
    const prefix = text(header, 345, 155);
    if (text(header, 257, 5) === "ustar" && prefix !== "") name = `${prefix}/${name}`;
    if (longName !== undefined) {
      name = longName;
      longName = undefined;
    }
    const type = flag === "0" || flag === "\0" || flag === "7"
      ? "file"
      : flag === "5"
      ? "directory"
      : "other";
    let consumed = 0;
    const body = (async function* () {
      for await (const chunk of reader.chunks(size, what)) {
        consumed += chunk.length;
        yield chunk;
      }
    })();
    yield { name, type, size, body };
    await reader.skip(size - consumed, what);
    await reader.skip(padding, what);
  }
}

/**
 * Extract a tar stream into `dest`: regular files and directories; links and other special members
 * are skipped. `onEntry` is called with each extracted member name.
 */
export async function extractTar(
  chunks: AsyncIterable<Uint8Array>,
  dest: string,
  archive: string,
  onEntry?: (name: string) => void,
): Promise<void> {
  for await (const entry of readTar(chunks, archive)) {
    if (entry.type === "directory") {
      await Deno.mkdir(memberPath(dest, entry.name, archive), { recursive: true });
    } else if (entry.type === "file") {
      await writeChunks(memberPath(dest, entry.name, archive), entry.body);
      onEntry?.(entry.name);
    }
  }
}
