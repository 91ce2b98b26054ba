/**
 * A corpus encoded into an embedding store, cached under `$EMBEDDISTILL_HOME/artifacts` by the
 * document encoder's content hash and the split's checksum (io's content-addressed cache), with
 * the encoding rate recorded when it was built.
 *
 * @module
 */

import { join } from "node:path";
import { cachedContent, canonicalJson, sha256Text, writeFileAtomic } from "../io/mod.ts";
import { DEFAULT_TITLE_JOIN, OnnxTextEncoder, type TitledText } from "../models/onnx/mod.ts";
import { EmbeddingStore } from "./embedding_store/mod.ts";
import { encodeToStore, type TokenizedDoc } from "./encode_store.ts";
import type { EncoderRef } from "./encoder_dirs.ts";

/** File of an index entry recording how it was built. */
const ENCODING_FILE = "encoding.json";

/** How an index was built (recorded in the entry, so a cache hit still reports it). */
export interface EncodingRecord {
  readonly documents: number;
  readonly dims: number;
  /** Wall seconds of tokenising and encoding the corpus. */
  readonly seconds: number;
  readonly documentsPerSecond: number;
  /** ONNX Runtime intra-op threads used. */
  readonly intraOpThreads: number | null;
}

/** An encoded corpus. */
export interface DocumentIndex {
  readonly store: EmbeddingStore;
  /** The cache entry's key (a SHA-256). */
  readonly key: string;
  /** True when the store was read from the cache, false when encoded by this call. */
  readonly cached: boolean;
  readonly encoding: EncodingRecord;
}

/** Options of {@linkcode documentIndex}. */
export interface DocumentIndexOptions {
  /** Cache root of entries (`$EMBEDDISTILL_HOME/artifacts`). */
  readonly artifacts: string;
  /** ONNX Runtime intra-op threads (default: the engine's). */
  readonly intraOpThreads?: number;
  /** Sequences per encoder run (default 32). */
  readonly batchSize?: number;
  /** Called as documents are encoded. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The cache key of a corpus encoded by `encoderHash`, for the split with `checksum`. */
export function documentIndexKey(encoderHash: string, checksum: string): string {
  return sha256Text(canonicalJson({
    artifact: "document-embeddings",
    version: 1,
    encoder: encoderHash,
    split: checksum,
    titleJoin: DEFAULT_TITLE_JOIN,
    dtype: "float32",
  }));
}

/**
 * The corpus encoded by `encoder` as a float32 embedding store, from the cache when present (keyed
 * by the encoder's hash and `checksum`), else encoded now and published atomically.
 *
 * @example
 * ```ts
 * const index = await documentIndex(encoder, split.corpus, split.checksum, { artifacts });
 * index.cached; index.encoding.documentsPerSecond; index.store.count;
 * ```
 */
export async function documentIndex(
  encoder: EncoderRef,
  corpus: readonly (TitledText & { readonly id: string })[],
  checksum: string,
  options: DocumentIndexOptions,
): Promise<DocumentIndex> {
  const key = documentIndexKey(encoder.hash, checksum);
  const root = options.artifacts;
  let scratch: string | undefined;
  try {
    const entry = await cachedContent<EncodingRecord & { readonly scratch?: string }>(
      root,
      key,
      async () => {
        await Deno.mkdir(root, { recursive: true });
        scratch = join(root, `.${key}.scratch-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
        return { ...await encodeCorpus(encoder, corpus, scratch, options), scratch };
      },
      {
        read: async (dir) => {
          const record = JSON.parse(
            await Deno.readTextFile(join(dir, ENCODING_FILE)),
          ) as EncodingRecord;
          const store = await EmbeddingStore.open(dir);
          return store.count === record.documents ? record : undefined;
        },
        write: async (dir, value) => {
          for await (const e of Deno.readDir(value.scratch!)) {
            await Deno.rename(join(value.scratch!, e.name), join(dir, e.name));
          }
          const { scratch: _, ...record } = value;
          await writeFileAtomic(join(dir, ENCODING_FILE), JSON.stringify(record, null, 2) + "\n");
        },
      },
    );
    const { scratch: _, ...encoding } = entry.value;
    const store = await EmbeddingStore.open(entry.dir);
    if (store.count !== corpus.length) {
      throw new RangeError(
        `Cannot use document index "${entry.dir}": it holds ${store.count} documents, the corpus ${corpus.length}`,
      );
    }
    return { store, key, cached: entry.kind === "hit", encoding };
  } finally {
    if (scratch !== undefined) await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

async function encodeCorpus(
  ref: EncoderRef,
  corpus: readonly (TitledText & { readonly id: string })[],
  dir: string,
  options: DocumentIndexOptions,
): Promise<EncodingRecord> {
  const encoder = await OnnxTextEncoder.load(
    ref.dir,
    options.intraOpThreads === undefined
      ? {}
      : { session: { intraOpThreads: options.intraOpThreads } },
  );
  try {
    const started = performance.now();
    const chunk = 1024;
    const tokenized = function* (): Generator<TokenizedDoc> {
      for (let i = 0; i < corpus.length; i += chunk) {
        const docs = corpus.slice(i, i + chunk);
        const ids = encoder.tokenizeDocuments(docs);
        for (let j = 0; j < docs.length; j++) yield { id: docs[j]!.id, tokens: ids[j]! };
      }
    };
    const header = await encodeToStore(encoder.tokenEncoder, tokenized(), dir, {
      chunkSize: chunk,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.onProgress === undefined
        ? {}
        : { onProgress: (done: number) => options.onProgress!(done, corpus.length) }),
    });
    const seconds = (performance.now() - started) / 1000;
    const settings = (await encoder.describe()).encoder.session;
    return {
      documents: header.count,
      dims: header.dims,
      seconds,
      documentsPerSecond: header.count / seconds,
      intraOpThreads: settings.intraOpThreads,
    };
  } finally {
    await encoder.close();
  }
}
