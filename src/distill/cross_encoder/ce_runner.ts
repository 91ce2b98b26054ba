/**
 * Batched inference of a cross-encoder teacher for its distillation targets, on ONNX Runtime
 * (default, several times faster on CPU) or tfjs: pair rows give scores and, for dual pooling,
 * the query and document segment embeddings; document-alone rows give the document embedding.
 * Both engines agree within float noise (see ce_runner_test.ts).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  createCrossEncoder,
  crossEncoderForward,
  disposeParameters,
  type TokenBatch,
} from "../../models/mod.ts";
import { OnnxCrossEncoder } from "../../models/onnx/mod.ts";
import type { OnnxSessionOptions } from "../../engine/mod.ts";
import { crossEncoderDocumentAlone } from "./pooled_targets.ts";
import type { CrossEncoderTeacher } from "./teacher.ts";

/** Where the teacher runs. */
export type CeEngine = "onnx" | "tfjs";

/** Outputs of a batch of pair rows, as plain arrays (embeddings row-major [B, hidden]). */
export interface CePairOutputs {
  readonly scores: Float32Array;
  /** Dual pooling only. */
  readonly queryEmbeddings?: Float32Array;
  /** Dual pooling only. */
  readonly documentEmbeddings?: Float32Array;
}

/** A loaded teacher. Call `close` to release its tensors or session. */
export interface CeRunner {
  readonly engine: CeEngine;
  /** Score `[CLS] q [SEP] d [SEP]` rows (see `pairRows`). */
  readonly pairs: (rows: TokenBatch) => Promise<CePairOutputs>;
  /**
   * Dual pooling only: the document embeddings [B, hidden] of `[CLS] [SEP] d [SEP]` rows (see
   * `documentAloneRows`), as `crossEncoderDocumentAlone`.
   */
  readonly documentAlone: (rows: TokenBatch) => Promise<Float32Array>;
  readonly close: () => Promise<void>;
}

/** Load `teacher` on `engine` (default `onnx`; session options apply to ONNX Runtime only). */
export async function loadCeRunner(
  teacher: CrossEncoderTeacher,
  engine: CeEngine = "onnx",
  session: OnnxSessionOptions = {},
): Promise<CeRunner> {
  const source = "the cross-encoder teacher";
  switch (engine) {
    case "onnx": {
      const scorer = teacher.spec.scorer;
      if (scorer.kind !== "cls" && scorer.kind !== "dual-pooling") {
        throw new TypeError(`Unknown cross-encoder scorer ${JSON.stringify(scorer)}`);
      }
      const onnx = await OnnxCrossEncoder.create(teacher.spec, teacher.weights, {
        source,
        session,
      });
      return {
        engine,
        pairs: (rows) => onnx.run(rows),
        documentAlone: (rows) => {
          if (scorer.kind !== "dual-pooling") {
            return Promise.reject(
              new TypeError(
                `Cannot compute document-alone embeddings: the cross-encoder's scorer is "${scorer.kind}", expected "dual-pooling"`,
              ),
            );
          }
          return onnx.segmentAlone(rows, 1, scorer.includeSpecialTokens);
        },
        close: () => onnx.close(),
      };
    }
    case "tfjs": {
      const model = createCrossEncoder(teacher.spec, teacher.weights, source);
      return {
        engine,
        pairs: async (rows) => {
          const out = crossEncoderForward(model, rows);
          try {
            const scores = await out.scores.data() as Float32Array;
            if (out.kind === "cls") return { scores };
            return {
              scores,
              queryEmbeddings: await out.queryEmbeddings.data() as Float32Array,
              documentEmbeddings: await out.documentEmbeddings.data() as Float32Array,
            };
          } finally {
            tf.dispose(Object.values(out).filter((x): x is tf.Tensor => x instanceof tf.Tensor));
          }
        },
        documentAlone: async (rows) => {
          const e = crossEncoderDocumentAlone(model, rows);
          try {
            return await e.data() as Float32Array;
          } finally {
            e.dispose();
          }
        },
        close: () => {
          disposeParameters(model.params);
          return Promise.resolve();
        },
      };
    }
    default: {
      const unreachable: never = engine;
      throw new TypeError(
        `Cannot run the cross-encoder teacher on engine ${
          JSON.stringify(unreachable)
        }: expected "onnx" or "tfjs"`,
      );
    }
  }
}
