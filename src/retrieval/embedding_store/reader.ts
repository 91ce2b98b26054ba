/**
 * Reading an embedding store in memory-bounded blocks (fp16 decoded to float32 per block), so a
 * corpus larger than RAM can be scanned or searched one block at a time.
 *
 * @module
 */

import { join } from "node:path";
import { readLines } from "../../io/mod.ts";
import type { IdEmbeddings } from "../embeddings.ts";
import { decodeFloat16 } from "../../io/mod.ts";
import type { RowRange } from "../shards.ts";
import { dtypeBytes, HEADER_FILE, parseStoreHeader, type StoreHeader } from "./header.ts";

/** Default cap on the float32 vectors of one block: 64 MiB. */
export const DEFAULT_BLOCK_BYTES = 64 * 1024 * 1024;

/** How large each block may be: an explicit row count, or a byte cap on its float32 vectors. */
export interface BlockSize {
  /** Rows per block; overrides `maxBytes`. */
  readonly rows?: number;
  /** Cap on a block's float32 vectors in bytes; default {@linkcode DEFAULT_BLOCK_BYTES}. */
  readonly maxBytes?: number;
}

async function readExactly(file: Deno.FsFile, into: Uint8Array, source: string): Promise<void> {
  let offset = 0;
  while (offset < into.length) {
    const n = await file.read(into.subarray(offset));
    if (n === null) {
      throw new RangeError(
        `Cannot read embedding store vectors "${source}": file ends ${
          into.length - offset
        } bytes early`,
      );
    }
    offset += n;
  }
}

/** An opened store: its header, and block-wise access to its rows. */
export class EmbeddingStore {
  private constructor(readonly dir: string, readonly header: StoreHeader) {}

  /** Open the store in `dir`; checks the vector file's size against the header. */
  static async open(dir: string): Promise<EmbeddingStore> {
    const path = join(dir, HEADER_FILE);
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new Deno.errors.NotFound(`Cannot open embedding store "${dir}": no ${HEADER_FILE}`);
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SyntaxError(`Cannot parse embedding store header "${path}": ${String(error)}`);
    }
    const header = parseStoreHeader(json, path);
    const expected = header.count * header.dims * dtypeBytes(header.dtype);
    let size: number;
    try {
      size = (await Deno.stat(join(dir, header.vectors))).size;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new Deno.errors.NotFound(
        `Cannot open embedding store "${dir}": vector file "${header.vectors}" named by its header is missing`,
      );
    }
    if (size !== expected) {
      throw new RangeError(
        `Cannot open embedding store "${dir}": vector file "${header.vectors}" has ${size} bytes, expected ${expected}`,
      );
    }
    return new EmbeddingStore(dir, header);
  }

  /** Number of rows. */
  get count(): number {
    return this.header.count;
  }

  /** Dimension of the vectors. */
  get dims(): number {
    return this.header.dims;
  }

  /** Rows per block for `size` (at least 1). */
  blockRows(size: BlockSize = {}): number {
    if (size.rows !== undefined) {
      if (!Number.isInteger(size.rows) || size.rows < 1) {
        throw new RangeError(`Cannot read blocks of ${size.rows} rows: expected >= 1`);
      }
      return size.rows;
    }
    const maxBytes = size.maxBytes ?? DEFAULT_BLOCK_BYTES;
    return Math.max(1, Math.floor(maxBytes / (this.header.dims * 4)));
  }

  /**
   * Yield the rows in order, one block at a time (each block's arrays are fresh); `range` limits
   * them to rows [start, end), e.g. one shard's.
   */
  async *blocks(
    size: BlockSize = {},
    range: RowRange = { start: 0, end: this.header.count },
  ): AsyncGenerator<IdEmbeddings> {
    const { dims, dtype, count } = this.header;
    const rows = this.blockRows(size);
    const { start: first, end } = range;
    if (
      !Number.isInteger(first) || !Number.isInteger(end) || first < 0 || end > count || first > end
    ) {
      throw new RangeError(
        `Cannot read rows [${first}, ${end}) of embedding store "${this.dir}": it has ${count} rows`,
      );
    }
    const vectorsPath = join(this.dir, this.header.vectors);
    const idsPath = join(this.dir, this.header.ids);
    const file = await Deno.open(vectorsPath, { read: true });
    const lines = readLines(idsPath)[Symbol.asyncIterator]();
    try {
      await file.seek(first * dims * dtypeBytes(dtype), Deno.SeekMode.Start);
      for (let i = 0; i < first; i++) {
        if ((await lines.next()).done === true) {
          throw new RangeError(
            `Cannot read embedding store ids "${idsPath}": expected ${count} lines, found ${i}`,
          );
        }
      }
      for (let start = first; start < end; start += rows) {
        const n = Math.min(rows, end - start);
        const raw = new Uint8Array(n * dims * dtypeBytes(dtype));
        await readExactly(file, raw, vectorsPath);
        const vectors = dtype === "float32"
          ? new Float32Array(raw.buffer)
          : decodeFloat16(new Uint16Array(raw.buffer));
        const ids: string[] = [];
        for (let i = 0; i < n; i++) {
          const line = await lines.next();
          if (line.done === true) {
            throw new RangeError(
              `Cannot read embedding store ids "${idsPath}": expected ${count} lines, found ${
                start + i
              }`,
            );
          }
          ids.push(line.value.text);
        }
        yield { ids, dims, vectors };
      }
    } finally {
      file.close();
      await lines.return?.();
    }
  }

  /** Read every row into memory (for stores known to fit). */
  async readAll(): Promise<IdEmbeddings> {
    const vectors = new Float32Array(this.count * this.dims);
    const ids: string[] = [];
    let offset = 0;
    for await (const block of this.blocks()) {
      vectors.set(block.vectors, offset);
      offset += block.vectors.length;
      for (const id of block.ids) ids.push(id);
    }
    return { ids, dims: this.dims, vectors };
  }
}
