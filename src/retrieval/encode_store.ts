/**
 * Encoding a tokenised corpus straight into an on-disk embedding store, chunk by chunk, so a
 * corpus larger than RAM is embedded (e.g. by an ONNX teacher) with bounded memory.
 *
 * @module
 */

import { EmbeddingStoreWriter, type StoreDtype, type StoreHeader } from "./embedding_store/mod.ts";

/** A document as token ids (special tokens included). */
export interface TokenizedDoc {
  readonly id: string;
  readonly tokens: ArrayLike<number>;
}

/** What this needs of an encoder: structurally `OnnxEncoder.encodeDocuments`. */
export interface DocumentEncoder {
  encodeDocuments(
    sequences: readonly ArrayLike<number>[],
    options?: { readonly batchSize?: number },
  ): Promise<{ readonly count: number; readonly dims: number; readonly vectors: Float32Array }>;
}

/** Options of {@linkcode encodeToStore}. */
export interface EncodeToStoreOptions {
  /** Stored element type; default float32. */
  readonly dtype?: StoreDtype;
  /** Documents held and encoded at once (sorted by length within it); default 4096. */
  readonly chunkSize?: number;
  /** Sequences per encoder run; the encoder's default when omitted. */
  readonly batchSize?: number;
  /** Called after each chunk with the documents encoded so far. */
  readonly onProgress?: (done: number) => void;
}

/**
 * Encode every document of `docs` and write the embeddings, in corpus order, as a store in `dir`
 * (published atomically at the end; nothing is published on failure).
 */
export async function encodeToStore(
  encoder: DocumentEncoder,
  docs: Iterable<TokenizedDoc> | AsyncIterable<TokenizedDoc>,
  dir: string,
  options: EncodeToStoreOptions = {},
): Promise<StoreHeader> {
  const chunkSize = options.chunkSize ?? 4096;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`Cannot encode in chunks of ${chunkSize} documents: expected >= 1`);
  }
  let writer: EmbeddingStoreWriter | undefined;
  let done = 0;
  const flush = async (chunk: TokenizedDoc[]) => {
    const encoded = await encoder.encodeDocuments(
      chunk.map((d) => d.tokens),
      options.batchSize === undefined ? {} : { batchSize: options.batchSize },
    );
    writer ??= await EmbeddingStoreWriter.create(dir, {
      dims: encoded.dims,
      dtype: options.dtype ?? "float32",
    });
    await writer.append({
      ids: chunk.map((d) => d.id),
      dims: encoded.dims,
      vectors: encoded.vectors,
    });
    done += chunk.length;
    options.onProgress?.(done);
  };
  try {
    let chunk: TokenizedDoc[] = [];
    for await (const doc of docs) {
      chunk.push(doc);
      if (chunk.length === chunkSize) {
        await flush(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await flush(chunk);
  } catch (error) {
    await writer?.abort();
    throw error;
  }
  if (writer === undefined) {
    throw new RangeError(`Cannot write embedding store "${dir}": the corpus has no documents`);
  }
  return await writer.finish();
}
