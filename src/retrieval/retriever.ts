/**
 * The `Retriever` shape: readonly data with a `kind` discriminant naming how queries become
 * rankings — BM25; a dense dual encoder (ONNX query and document encoders of one model);
 * an asymmetric student (its ONNX query encoder against the teacher's document embeddings, from
 * the teacher's document encoder or a stored embedding store); or cross-encoder re-ranking of a
 * first stage's top `depth`. Constructors resolve model directories; `evaluateRetriever` runs them.
 *
 * @module
 */

import { join } from "node:path";
import { match } from "ts-pattern";
import { cacheHome } from "../data/mod.ts";
import { pathExists } from "../io/mod.ts";
import { loadModelDir, modelHash, readTeacherRecord, type TeacherRecord } from "../models/mod.ts";
import { ANSERINI_BM25, type Bm25Parameters } from "./bm25/mod.ts";
import { type EncoderRef, findEncoder } from "./encoder_dirs.ts";
import type { PairScorerEngine } from "./cross_encoder_scorer.ts";
import { SHIPPED_DOCUMENT_FILES, shippedDocumentStore } from "./shipped_documents.ts";

export type { EncoderRef } from "./encoder_dirs.ts";

/** Where an asymmetric retriever's document embeddings come from. */
export type DocumentSide =
  /** Encode the corpus with this encoder (cached by its hash and the split's checksum). */
  | { readonly kind: "encoder"; readonly encoder: EncoderRef }
  /** A stored embedding store (its ids must be the corpus' ids); `hash` names it. */
  | { readonly kind: "store"; readonly dir: string; readonly hash: string };

/** BM25 over the split's corpus. */
export interface Bm25Retriever {
  readonly kind: "bm25";
  readonly params: Bm25Parameters;
}

/** A dual encoder: its own query and document encoders. */
export interface DenseRetriever {
  readonly kind: "dense";
  readonly modelDir: string;
  readonly query: EncoderRef;
  readonly document: EncoderRef;
}

/** A student's query encoder against its teacher's document embeddings. */
export interface AsymmetricRetriever {
  readonly kind: "asymmetric";
  readonly modelDir: string;
  readonly query: EncoderRef;
  /** The teacher recorded in the student's `teacher.json` (null when documents were given). */
  readonly teacher: TeacherRecord | null;
  readonly documents: DocumentSide;
}

/** A first stage that can be re-ranked. */
export type FirstStage = Bm25Retriever | DenseRetriever | AsymmetricRetriever;

/** A cross-encoder model directory (scored in ONNX Runtime or tfjs), and its model hash. */
export interface CrossEncoderRef {
  readonly dir: string;
  readonly hash: string;
}

/** Cross-encoder re-ranking of the first stage's top `depth` documents. */
export interface RerankRetriever {
  readonly kind: "rerank";
  readonly first: FirstStage;
  readonly crossEncoder: CrossEncoderRef;
  readonly depth: number;
  /** Engine of the cross-encoder; default `onnx` (ONNX Runtime), `tfjs` the tfjs model. */
  readonly engine?: PairScorerEngine;
}

/** Any retriever `evaluateRetriever` runs. */
export type Retriever = FirstStage | RerankRetriever;

/** Options of the constructors that read model directories. */
export interface RetrieverOptions {
  /** Cache root (default `$EMBEDDISTILL_HOME`); on-demand ONNX exports go to its artifacts/. */
  readonly home?: string;
}

function artifacts(options: RetrieverOptions): { artifacts: string } {
  return { artifacts: join(cacheHome(options.home), "artifacts") };
}

/** A BM25 retriever (default parameters Anserini's k1 0.9, b 0.4). */
export function bm25Retriever(params: Bm25Parameters = ANSERINI_BM25): Bm25Retriever {
  return { kind: "bm25", params };
}

/**
 * A dense retriever of the dual encoder in `modelDir` (its `onnx-query` / `onnx-document`
 * folders, an encoder folder, or a model directory exported on demand).
 */
export async function denseRetriever(
  modelDir: string,
  options: RetrieverOptions = {},
): Promise<DenseRetriever> {
  return {
    kind: "dense",
    modelDir,
    query: await findEncoder(modelDir, "query", artifacts(options)),
    document: await findEncoder(modelDir, "document", artifacts(options)),
  };
}

/**
 * An asymmetric retriever: the student's query encoder, and documents from `documents` when
 * given, else the document embeddings shipped in the student's directory (a cross-encoder's
 * student), else the document encoder of the teacher its `teacher.json` names (checked against
 * the recorded hash when the teacher directory holds config.json).
 */
export async function asymmetricRetriever(
  studentDir: string,
  options: RetrieverOptions & { readonly documents?: DocumentSide } = {},
): Promise<AsymmetricRetriever> {
  const query = await findEncoder(studentDir, "query", artifacts(options));
  if (options.documents !== undefined) {
    return {
      kind: "asymmetric",
      modelDir: studentDir,
      query,
      teacher: null,
      documents: options.documents,
    };
  }
  const teacher = await readTeacherRecord(studentDir);
  const shipped = await shippedDocumentStore(studentDir, artifacts(options).artifacts);
  if (shipped !== undefined) {
    // A cross-encoder's student: its documents are the CE's embeddings shipped beside it.
    return {
      kind: "asymmetric",
      modelDir: studentDir,
      query,
      teacher: teacher ?? null,
      documents: { kind: "store", ...shipped },
    };
  }
  if (teacher === undefined) {
    throw new Deno.errors.NotFound(
      `Cannot find the document side of student "${studentDir}": no teacher.json and no document store given`,
    );
  }
  if (!await pathExists(teacher.path)) {
    throw new Deno.errors.NotFound(
      `Cannot find the teacher of student "${studentDir}": its teacher.json names "${teacher.path}", which does not exist`,
    );
  }
  if (await pathExists(join(teacher.path, "config.json"))) {
    const model = await loadModelDir(teacher.path);
    const found = modelHash(model.spec, model.weights);
    if (found !== teacher.hash) {
      throw new TypeError(
        `Cannot use the teacher of student "${studentDir}": "${teacher.path}" has model hash ${found}, teacher.json records ${teacher.hash}`,
      );
    }
  }
  const encoder = await findEncoder(teacher.path, "document", artifacts(options));
  return {
    kind: "asymmetric",
    modelDir: studentDir,
    query,
    teacher,
    documents: { kind: "encoder", encoder },
  };
}

/**
 * The retriever of a model directory: asymmetric when it records a teacher (`teacher.json`) or
 * ships document embeddings, else dense.
 */
export async function modelRetriever(
  modelDir: string,
  options: RetrieverOptions = {},
): Promise<DenseRetriever | AsymmetricRetriever> {
  const asymmetric = (await readTeacherRecord(modelDir)) !== undefined ||
    await pathExists(join(modelDir, SHIPPED_DOCUMENT_FILES.embeddings));
  return asymmetric
    ? await asymmetricRetriever(modelDir, options)
    : await denseRetriever(modelDir, options);
}

/**
 * Re-rank the top `depth` (default 100) of `first` with the cross-encoder in `crossEncoderDir`,
 * run on `engine` (default ONNX Runtime; rankings agree with tfjs up to float noise).
 */
export async function rerankRetriever(
  first: FirstStage,
  crossEncoderDir: string,
  depth = 100,
  engine: PairScorerEngine = "onnx",
): Promise<RerankRetriever> {
  if (engine !== "onnx" && engine !== "tfjs") {
    throw new TypeError(`Cannot re-rank on engine "${engine}": expected "onnx" or "tfjs"`);
  }
  if (!Number.isInteger(depth) || depth < 1) {
    throw new RangeError(`Cannot re-rank to depth ${depth}: expected an integer >= 1`);
  }
  const model = await loadModelDir(crossEncoderDir);
  if (model.spec.kind !== "cross") {
    throw new TypeError(
      `Cannot re-rank with "${crossEncoderDir}": it holds a ${model.spec.kind} encoder, expected a cross-encoder`,
    );
  }
  return {
    kind: "rerank",
    first,
    crossEncoder: { dir: crossEncoderDir, hash: modelHash(model.spec, model.weights) },
    depth,
    engine,
  };
}

/** A one-line description of a retriever, e.g. `rerank(models/ce, depth 100, bm25(k1=0.9, b=0.4))`. */
export function describeRetriever(retriever: Retriever): string {
  return match(retriever)
    .with({ kind: "bm25" }, (r) => `bm25(k1=${r.params.k1}, b=${r.params.b})`)
    .with({ kind: "dense" }, (r) => `dense(${r.modelDir})`)
    .with(
      { kind: "asymmetric" },
      (r) =>
        `asymmetric(${r.modelDir} vs ${
          r.teacher !== null
            ? `teacher ${r.teacher.path}`
            : r.documents.kind === "encoder"
            ? r.documents.encoder.dir
            : `store ${r.documents.dir}`
        })`,
    )
    .with(
      { kind: "rerank" },
      (r) => `rerank(${r.crossEncoder.dir}, depth ${r.depth}, ${describeRetriever(r.first)})`,
    )
    .exhaustive();
}
