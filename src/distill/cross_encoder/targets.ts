/**
 * Cross-encoder teacher targets over fixed candidate lists, computed once with batched inference
 * (ONNX Runtime by default, or tfjs; equal within float noise) and cached under
 * `$EMBEDDISTILL_HOME/artifacts/<hash>/ce-targets.safetensors` (the content-addressed cache of
 * src/io): the CE's scores of every example's [positive, negatives], and for a
 * dual-pooling CE its query embeddings and the configured document-side embeddings.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { cacheHome } from "../../data/mod.ts";
import { cachedContent, contentEntryDir, type Matrix } from "../../io/mod.ts";
import {
  modelHash,
  type NamedTensor,
  readSafetensorsFile,
  writeSafetensorsFile,
} from "../../models/mod.ts";
import type { CeDocumentSide } from "./pooled_targets.ts";
import { type CeEngine, loadCeRunner } from "./ce_runner.ts";
import { type CeTokens, type CrossEncoderTeacher, documentAloneRows, pairRows } from "./teacher.ts";
import type { TrainingExample } from "../train/mod.ts";

/** File name of the cached targets inside their artifact directory. */
const CE_TARGETS_FILE = "ce-targets.safetensors";

/** Version of the cached layout and conventions; bump when either changes. */
const CACHE_VERSION = "ce-targets/1";

/** Options of {@link crossEncoderTargetsCached}. */
export interface CeTargetOptions {
  /**
   * Document-side targets of a dual-pooling CE (default `document-alone`, see
   * {@link CeDocumentSide}); ignored for a `cls` scorer (which has none).
   */
  readonly documentSide?: CeDocumentSide;
  /** Pairs per CE forward pass (default 32; does not change the cache key). */
  readonly batchSize?: number;
  /**
   * Engine of the CE passes: `onnx` (default, ONNX Runtime) or `tfjs`. Outputs agree within
   * float noise (1e-4), so the engine is not part of the cache key.
   */
  readonly engine?: CeEngine;
  /** Cache root (default `$EMBEDDISTILL_HOME`). */
  readonly home?: string;
  /** Read and write the cache (default true). */
  readonly cache?: boolean;
  /** Called after each CE batch with rows done and rows in total (pairs + documents alone). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * What the CE taught, row-aligned with the training data. Embeddings are the CE's raw
 * dual-pooled means (the CE score is their inner product, so they are in dot-product space).
 */
export interface CeTargets {
  /** Cache key (sha256 of CE weights, token ids, candidate lists and options). */
  readonly hash: string;
  /** The cache file (also when the cache is off: where it would be). */
  readonly path: string;
  /** True when read from the cache. */
  readonly cached: boolean;
  /** List width 1 + k. */
  readonly width: number;
  /** CE scores [examples, 1 + k]: column 0 the positive, then `examples[e].negatives[0 .. k)`. */
  readonly scores: Matrix;
  /**
   * Dual pooling only: per training query, the mean of the CE's query embeddings over the
   * query's (query, positive) pairs [queries, hidden] (zeros for a query without examples). The
   * CE's query embedding depends on the document it is paired with; the positive pair is the
   * one the paper's in-batch recipe matches against.
   */
  readonly queries?: Matrix;
  /** `document-alone`: every corpus document's CE document-alone embedding [documents, hidden]. */
  readonly documents?: Matrix;
  /** `pair`: the dual-pooled document embedding of every listed pair [examples x (1 + k), hidden]. */
  readonly pairDocuments?: Matrix;
}

function cacheKey(
  teacherId: string,
  tokens: CeTokens,
  examples: readonly TrainingExample[],
  k: number,
  side: CeDocumentSide,
): string {
  const hash = createHash("sha256");
  hash.update(`${CACHE_VERSION}\n${teacherId}\nk=${k}\nside=${side}\n`);
  hash.update(`cls=${tokens.clsId} sep=${tokens.sepId}\n`);
  for (const list of [tokens.queries, tokens.documents]) {
    hash.update(`${list.length}:`);
    for (const s of list) {
      hash.update(new Uint8Array(Int32Array.from(s).buffer));
      hash.update("|");
    }
  }
  for (const e of examples) {
    hash.update(Int32Array.from([e.query, e.positive, ...(e.negatives ?? []).slice(0, k)]));
    hash.update(";");
  }
  return hash.digest("hex");
}

function matrix(x: NamedTensor | undefined, rows: number): Matrix | undefined {
  if (x === undefined || x.shape.length !== 2 || x.shape[0] !== rows) return undefined;
  return { count: rows, dims: x.shape[1]!, vectors: x.data };
}

/** The matrices of {@link CeTargets}, as stored in a cache entry. */
type CeMatrices = Pick<CeTargets, "scores" | "queries" | "documents" | "pairDocuments">;

/** Row counts of the matrices, and which optional ones the options ask for. */
interface Layout {
  readonly width: number;
  readonly rows: {
    readonly examples: number;
    readonly queries: number;
    readonly documents: number;
  };
  readonly wanted: {
    readonly queries: boolean;
    readonly documents: boolean;
    readonly pairs: boolean;
  };
}

async function readCached(dir: string, layout: Layout): Promise<CeMatrices | undefined> {
  const { tensors } = await readSafetensorsFile(join(dir, CE_TARGETS_FILE));
  const { rows, wanted, width } = layout;
  const scores = matrix(tensors.get("scores"), rows.examples);
  const queries = matrix(tensors.get("query_embeddings"), rows.queries);
  const documents = matrix(tensors.get("document_embeddings"), rows.documents);
  const pairs = matrix(tensors.get("pair_document_embeddings"), rows.examples * width);
  if (
    scores === undefined || scores.dims !== width || (wanted.queries && !queries) ||
    (wanted.documents && !documents) || (wanted.pairs && !pairs)
  ) return undefined;
  return {
    scores,
    ...(queries === undefined ? {} : { queries }),
    ...(documents === undefined ? {} : { documents }),
    ...(pairs === undefined ? {} : { pairDocuments: pairs }),
  };
}

async function writeCached(
  dir: string,
  targets: CeMatrices,
  metadata: Record<string, string>,
): Promise<void> {
  const tensors = new Map<string, NamedTensor>();
  const add = (name: string, m: Matrix | undefined) => {
    if (m !== undefined) tensors.set(name, { shape: [m.count, m.dims], data: m.vectors });
  };
  add("scores", targets.scores);
  add("query_embeddings", targets.queries);
  add("document_embeddings", targets.documents);
  add("pair_document_embeddings", targets.pairDocuments);
  await writeSafetensorsFile(join(dir, CE_TARGETS_FILE), tensors, { metadata });
}

/**
 * The CE's targets over fixed candidate lists: every example's positive and its first `k`
 * `negatives` (see `candidateLists`) scored once by the CE, plus, for a dual-pooling scorer, the
 * query embeddings and the `documentSide` embeddings. Read from the cache when present, otherwise
 * computed (`engine`, `batchSize` pairs per pass) and published whole. Cost: examples x (1 + k)
 * pair passes, plus one pass per corpus document for `document-alone`. Throws RangeError when an
 * example has fewer than `k` negatives.
 */
export async function crossEncoderTargetsCached(
  teacher: CrossEncoderTeacher,
  tokens: CeTokens,
  examples: readonly TrainingExample[],
  k: number,
  options: CeTargetOptions = {},
): Promise<CeTargets> {
  const dual = teacher.spec.scorer.kind === "dual-pooling";
  const side: CeDocumentSide = dual ? options.documentSide ?? "document-alone" : "none";
  for (const e of examples) {
    if ((e.negatives?.length ?? 0) < k) {
      throw new RangeError(
        `Cannot score candidate lists of ${k} negatives: query ${e.query} has ${
          e.negatives?.length ?? 0
        }`,
      );
    }
  }
  const width = k + 1;
  const hash = cacheKey(modelHash(teacher.spec, teacher.weights), tokens, examples, k, side);
  const root = join(cacheHome(options.home), "artifacts");
  const path = join(contentEntryDir(root, hash), CE_TARGETS_FILE);
  const layout: Layout = {
    width,
    rows: {
      examples: examples.length,
      queries: tokens.queries.length,
      documents: tokens.documents.length,
    },
    wanted: { queries: dual, documents: side === "document-alone", pairs: side === "pair" },
  };
  const compute = () => computeTargets(teacher, tokens, examples, layout, options);
  if (!(options.cache ?? true)) return { hash, path, cached: false, width, ...await compute() };
  const entry = await cachedContent(root, hash, compute, {
    read: (dir) => readCached(dir, layout),
    write: (dir, targets) =>
      writeCached(dir, targets, { format: CACHE_VERSION, k: String(k), documentSide: side }),
  });
  return { hash, path, cached: entry.kind === "hit", width, ...entry.value };
}

/** Run the CE over every candidate pair (and document alone) for {@link crossEncoderTargetsCached}. */
async function computeTargets(
  teacher: CrossEncoderTeacher,
  tokens: CeTokens,
  examples: readonly TrainingExample[],
  { width, rows, wanted }: Layout,
  options: CeTargetOptions,
): Promise<CeMatrices> {
  const k = width - 1;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Cannot run the cross-encoder in batches of ${batchSize}`);
  }
  const maxLength = teacher.spec.maxLength;
  const hidden = teacher.spec.encoder.hiddenSize;
  const pairs: [number, number][] = examples.flatMap((e) =>
    [e.positive, ...e.negatives!.slice(0, k)].map((d) => [e.query, d] as [number, number])
  );
  const total = pairs.length + (wanted.documents ? rows.documents : 0);
  const scores = new Float32Array(pairs.length);
  const querySum = new Float32Array(wanted.queries ? rows.queries * hidden : 0);
  const queryCount = new Float32Array(rows.queries);
  const pairDocs = new Float32Array(wanted.pairs ? pairs.length * hidden : 0);
  const documents = new Float32Array(wanted.documents ? rows.documents * hidden : 0);
  const runner = await loadCeRunner(teacher, options.engine ?? "onnx");
  try {
    for (let start = 0; start < pairs.length; start += batchSize) {
      const chunk = pairs.slice(start, start + batchSize);
      const out = await runner.pairs(pairRows(tokens, chunk, maxLength));
      scores.set(out.scores, start);
      const q = out.queryEmbeddings;
      if (q !== undefined) {
        chunk.forEach(([query], i) => {
          if ((start + i) % width !== 0) return; // the (query, positive) pair
          queryCount[query]! += 1;
          for (let h = 0; h < hidden; h++) querySum[query * hidden + h]! += q[i * hidden + h]!;
        });
        if (wanted.pairs) pairDocs.set(out.documentEmbeddings!, start * hidden);
      }
      options.onProgress?.(start + chunk.length, total);
    }
    if (wanted.documents) {
      for (let start = 0; start < rows.documents; start += batchSize) {
        const ids = Array.from(
          { length: Math.min(batchSize, rows.documents - start) },
          (_, i) => start + i,
        );
        const e = await runner.documentAlone(documentAloneRows(tokens, ids, maxLength));
        documents.set(e, start * hidden);
        options.onProgress?.(pairs.length + start + ids.length, total);
      }
    }
  } finally {
    await runner.close();
  }
  for (let q = 0; q < rows.queries; q++) {
    const c = queryCount[q]!;
    if (c > 1) { for (let h = 0; h < hidden; h++) querySum[q * hidden + h]! /= c; }
  }
  return {
    scores: { count: rows.examples, dims: width, vectors: scores },
    ...(wanted.queries
      ? { queries: { count: rows.queries, dims: hidden, vectors: querySum } }
      : {}),
    ...(wanted.documents
      ? { documents: { count: rows.documents, dims: hidden, vectors: documents } }
      : {}),
    ...(wanted.pairs
      ? { pairDocuments: { count: pairs.length, dims: hidden, vectors: pairDocs } }
      : {}),
  };
}
