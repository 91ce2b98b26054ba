/**
 * The teacher's embeddings of a list of texts (one side of a dual encoder), computed once with
 * ONNX Runtime (the teacher tower exported to a temporary directory) or tfjs, and cached under
 * `$EMBEDDISTILL_HOME/artifacts/<content hash>/teacher-embeddings.safetensors` (the
 * content-addressed cache of src/io: the entry appears whole or not at all).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { cacheHome } from "../data/mod.ts";
import { cachedContent, contentEntryDir, type Matrix } from "../io/mod.ts";
import {
  embed,
  l2Normalize,
  loadModelDir,
  modelHash,
  readSafetensorsFile,
  type Side,
  toVariables,
  writeSafetensorsFile,
} from "../models/mod.ts";
import { exportDualEncoderTower, OnnxEncoder } from "../models/onnx/mod.ts";
import { loadTokenizerJson, WordPieceTokenizer } from "../text/mod.ts";
import type { TeacherModel } from "./student.ts";
import { padSequences } from "./train/mod.ts";

/** Which engine runs the teacher. */
export type TeacherEngine = "onnx" | "tfjs";

/** Options of {@link teacherEmbeddings}. */
export interface TeacherEmbedOptions {
  /** Default `"onnx"` (ONNX Runtime, the fast path); `"tfjs"` runs the tfjs model. */
  readonly engine?: TeacherEngine;
  /** Cache root (default `$EMBEDDISTILL_HOME`, else `~/.cache/embeddistill`). */
  readonly home?: string;
  /** Read and write the cache (default true). */
  readonly cache?: boolean;
  /** Sequences per batch (default 64). */
  readonly batchSize?: number;
}

/** Embeddings with where they came from. */
export interface CachedEmbeddings extends Matrix {
  /** Content hash naming the cache entry. */
  readonly hash: string;
  /** The cache file (also when the cache is off: where it would be). */
  readonly path: string;
  /** True when read from the cache. */
  readonly cached: boolean;
}

/** File name of the cached matrix inside its artifact directory. */
const TEACHER_EMBEDDINGS_FILE = "teacher-embeddings.safetensors";

/** Version of the cached layout and convention; bump when either changes. */
const CACHE_VERSION = "teacher-embeddings/1";

function cacheKey(teacherId: string, side: Side, sequences: readonly ArrayLike<number>[]): string {
  const hash = createHash("sha256");
  hash.update(`${CACHE_VERSION}\n${teacherId}\n${side}\n${sequences.length}\n`);
  for (const s of sequences) {
    hash.update(new Uint8Array(Int32Array.from(s).buffer));
    hash.update("|");
  }
  return hash.digest("hex");
}

async function tfjsEmbeddings(
  teacher: TeacherModel,
  side: Side,
  sequences: readonly ArrayLike<number>[],
  batchSize: number,
): Promise<Matrix> {
  const params = toVariables(teacher.weights, false);
  try {
    const model = { spec: teacher.spec, params };
    let dims = 0;
    let vectors = new Float32Array(0);
    for (let start = 0; start < sequences.length; start += batchSize) {
      const rows = sequences.slice(start, start + batchSize);
      const batch = padSequences(rows);
      const out = tf.tidy(() => {
        const e = embed(model, side, batch);
        return teacher.spec.similarity.kind === "cosine" ? l2Normalize(e) : e;
      });
      const data = await out.data() as Float32Array;
      if (start === 0) {
        dims = out.shape[1];
        vectors = new Float32Array(sequences.length * dims);
      }
      out.dispose();
      vectors.set(data, start * dims);
    }
    return { count: sequences.length, dims, vectors };
  } finally {
    for (const v of params.values()) v.dispose();
  }
}

async function onnxEmbeddings(
  teacher: TeacherModel,
  side: Side,
  sequences: readonly ArrayLike<number>[],
  batchSize: number,
): Promise<Matrix> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-teacher-onnx-" });
  try {
    await exportDualEncoderTower(dir, teacher.spec, teacher.weights, side);
    const encoder = await OnnxEncoder.load(dir);
    try {
      const maxLength = side === "query"
        ? teacher.spec.queryMaxLength
        : teacher.spec.documentMaxLength;
      const out = await encoder.encode(sequences, { maxLength, batchSize });
      return { count: out.count, dims: out.dims, vectors: out.vectors };
    } finally {
      await encoder.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Embeddings of `sequences` (token ids with special tokens, at most the side's max length) by
 * the teacher's `side` tower, in the space scores are computed in: L2-normalised when the
 * teacher's similarity is cosine (score = scale x inner product), raw for dot product. Read from
 * the cache when present; otherwise computed and published whole (two processes computing the
 * same entry agree on the first one published).
 */
export async function teacherEmbeddings(
  teacher: TeacherModel,
  side: Side,
  sequences: readonly ArrayLike<number>[],
  options: TeacherEmbedOptions = {},
): Promise<CachedEmbeddings> {
  if (sequences.length === 0) {
    throw new RangeError(`Cannot embed the teacher's ${side} texts: the list is empty`);
  }
  const teacherId = modelHash(teacher.spec, teacher.weights);
  const hash = cacheKey(teacherId, side, sequences);
  const root = join(cacheHome(options.home), "artifacts");
  const path = join(contentEntryDir(root, hash), TEACHER_EMBEDDINGS_FILE);
  const batchSize = options.batchSize ?? 64;
  const engine = options.engine ?? "onnx";
  const compute = () =>
    engine === "onnx"
      ? onnxEmbeddings(teacher, side, sequences, batchSize)
      : tfjsEmbeddings(teacher, side, sequences, batchSize);
  if (!(options.cache ?? true)) return { ...await compute(), hash, path, cached: false };
  const entry = await cachedContent(root, hash, compute, {
    read: async (dir) => {
      const { tensors } = await readSafetensorsFile(join(dir, TEACHER_EMBEDDINGS_FILE));
      const x = tensors.get("embeddings");
      if (x === undefined || x.shape[0] !== sequences.length || x.shape.length !== 2) {
        return undefined;
      }
      return { count: x.shape[0], dims: x.shape[1]!, vectors: x.data };
    },
    write: (dir, matrix) =>
      writeSafetensorsFile(
        join(dir, TEACHER_EMBEDDINGS_FILE),
        new Map([["embeddings", { shape: [matrix.count, matrix.dims], data: matrix.vectors }]]),
        { metadata: { side, teacher: teacherId, engine } },
      ),
  });
  const { count, dims, vectors } = entry.value;
  return { count, dims, vectors, hash, path, cached: entry.kind === "hit" };
}

/** Texts embedded by one side of a dual-encoder model directory (cached by content). */
export type Embedder = (texts: readonly string[], side: "query" | "document") => Promise<Matrix>;

/**
 * The {@link Embedder} of the dual-encoder model directory at `path` (config.json,
 * model.safetensors, tokenizer.json): texts tokenised by its own tokenizer at its lengths, embedded
 * by {@link teacherEmbeddings} (cached). TypeError for a directory that is not a dual encoder.
 */
export async function modelEmbedder(path: string, home: string | undefined): Promise<Embedder> {
  const stored = await loadModelDir(path);
  if (stored.spec.kind !== "dual") {
    throw new TypeError(
      `Cannot embed texts with "${path}": expected a dual-encoder model directory, found a ${stored.spec.kind}-encoder`,
    );
  }
  const spec = stored.spec;
  const tokenizer = new WordPieceTokenizer(
    await loadTokenizerJson(join(path, "tokenizer.json")),
  );
  const model = { spec, weights: stored.weights };
  const options = home === undefined ? {} : { home };
  return (texts, side) => {
    const maxLength = side === "query" ? spec.queryMaxLength : spec.documentMaxLength;
    const ids = texts.map((t) => tokenizer.encode(t, { maxLength }).ids);
    return teacherEmbeddings(model, side, ids, options);
  };
}
