/**
 * On-disk embedding stores: float32/float16 row shards with a JSON header and an ids file,
 * written in appended batches and read back in blocks of rows.
 *
 * @module
 */

export type { StoreDtype, StoreHeader } from "./header.ts";
export { EmbeddingStoreWriter, type StoreWriterOptions, writeEmbeddingStore } from "./writer.ts";
export { type BlockSize, EmbeddingStore } from "./reader.ts";
