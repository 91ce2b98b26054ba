/**
 * Writing an embedding store block by block (fp32 or fp16): vectors and ids stream to freshly
 * named files, then `header.json` is replaced atomically, so readers see the old store or the
 * complete new one.
 *
 * @module
 */

import { join } from "node:path";
import { writeAll, writeFileAtomic } from "../../io/mod.ts";
import type { IdEmbeddings } from "../embeddings.ts";
import { checkEmbeddings } from "../embeddings.ts";
import { encodeFloat16 } from "../../io/mod.ts";
import {
  HEADER_FILE,
  parseStoreHeader,
  STORE_FORMAT,
  type StoreDtype,
  type StoreHeader,
} from "./header.ts";

/** Options of {@linkcode EmbeddingStoreWriter.create}. */
export interface StoreWriterOptions {
  readonly dims: number;
  /** Stored element type; default `float32`. `float16` rounds to nearest even. */
  readonly dtype?: StoreDtype;
}

async function previousHeader(dir: string): Promise<StoreHeader | undefined> {
  const path = join(dir, HEADER_FILE);
  try {
    return parseStoreHeader(JSON.parse(await Deno.readTextFile(path)), path);
  } catch {
    return undefined;
  }
}

/** Streams rows into a new store folder (created if missing); call `finish` to publish it. */
export class EmbeddingStoreWriter {
  readonly #encoder = new TextEncoder();
  #count = 0;
  #open = true;

  private constructor(
    readonly dir: string,
    readonly dims: number,
    readonly dtype: StoreDtype,
    readonly vectorsName: string,
    readonly idsName: string,
    readonly vectorsFile: Deno.FsFile,
    readonly idsFile: Deno.FsFile,
  ) {}

  /** Start writing a store into `dir`. */
  static async create(dir: string, options: StoreWriterOptions): Promise<EmbeddingStoreWriter> {
    const dtype = options.dtype ?? "float32";
    if (!Number.isInteger(options.dims) || options.dims < 1) {
      throw new RangeError(
        `Cannot create embedding store "${dir}": dims must be a positive integer, found ${options.dims}`,
      );
    }
    await Deno.mkdir(dir, { recursive: true });
    const tag = `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
    const vectorsName = `vectors-${tag}.${dtype === "float32" ? "f32" : "f16"}`;
    const idsName = `ids-${tag}.txt`;
    const vectorsFile = await Deno.open(join(dir, vectorsName), { write: true, createNew: true });
    const idsFile = await Deno.open(join(dir, idsName), { write: true, createNew: true });
    return new EmbeddingStoreWriter(
      dir,
      options.dims,
      dtype,
      vectorsName,
      idsName,
      vectorsFile,
      idsFile,
    );
  }

  /** Rows written so far. */
  get count(): number {
    return this.#count;
  }

  /** Append rows; ids must be non-empty and free of line breaks. */
  async append(rows: IdEmbeddings): Promise<void> {
    if (!this.#open) throw new TypeError(`Cannot append to embedding store "${this.dir}": closed`);
    checkEmbeddings(rows, `rows appended to "${this.dir}"`);
    if (rows.dims !== this.dims) {
      throw new TypeError(
        `Cannot append to embedding store "${this.dir}": expected ${this.dims} dimensions, found ${rows.dims}`,
      );
    }
    for (const id of rows.ids) {
      if (id === "" || /[\r\n]/.test(id)) {
        throw new SyntaxError(
          `Cannot append to embedding store "${this.dir}": id ${
            JSON.stringify(id)
          } is empty or has a line break`,
        );
      }
    }
    const bytes = this.dtype === "float32"
      ? new Uint8Array(rows.vectors.buffer, rows.vectors.byteOffset, rows.vectors.byteLength)
      : new Uint8Array(encodeFloat16(rows.vectors).buffer);
    await writeAll(this.vectorsFile, bytes);
    await writeAll(this.idsFile, this.#encoder.encode(rows.ids.map((id) => id + "\n").join("")));
    this.#count += rows.ids.length;
  }

  /** Flush the files and atomically publish the new header; old files of the folder are removed. */
  async finish(): Promise<StoreHeader> {
    if (!this.#open) throw new TypeError(`Cannot finish embedding store "${this.dir}": closed`);
    this.#open = false;
    await this.vectorsFile.sync();
    await this.idsFile.sync();
    this.vectorsFile.close();
    this.idsFile.close();
    const old = await previousHeader(this.dir);
    const header: StoreHeader = {
      format: STORE_FORMAT,
      version: 1,
      dtype: this.dtype,
      dims: this.dims,
      count: this.#count,
      vectors: this.vectorsName,
      ids: this.idsName,
    };
    await writeFileAtomic(join(this.dir, HEADER_FILE), JSON.stringify(header, null, 2) + "\n");
    if (old !== undefined) {
      for (const name of [old.vectors, old.ids]) {
        if (name !== header.vectors && name !== header.ids) {
          await Deno.remove(join(this.dir, name)).catch(() => {});
        }
      }
    }
    return header;
  }

  /** Abandon the write: close and delete the unpublished files. */
  async abort(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.vectorsFile.close();
    this.idsFile.close();
    await Deno.remove(join(this.dir, this.vectorsName)).catch(() => {});
    await Deno.remove(join(this.dir, this.idsName)).catch(() => {});
  }
}

/** Write a whole matrix as a store in `dir` (see {@linkcode EmbeddingStoreWriter}). */
export async function writeEmbeddingStore(
  dir: string,
  rows: IdEmbeddings,
  dtype: StoreDtype = "float32",
): Promise<StoreHeader> {
  const writer = await EmbeddingStoreWriter.create(dir, { dims: rows.dims, dtype });
  try {
    await writer.append(rows);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return await writer.finish();
}
