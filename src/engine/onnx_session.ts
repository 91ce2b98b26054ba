/**
 * ONNX Runtime (onnxruntime-node) inference sessions made with the engine's execution provider
 * and thread counts: cpu by default (the binaries ship in the npm package; needs --allow-ffi),
 * cuda where the user installed a CUDA build. The settings used are returned with the session.
 *
 * @module
 */

import type * as ort from "onnxruntime-node";
import { engineState } from "./engine.ts";
import {
  type EngineOptions,
  type ExecutionProvider,
  parseCount,
  resolveEngineOptions,
} from "./options.ts";

/** What a session may override; the rest comes from the engine (or its environment defaults). */
export interface OnnxSessionOptions {
  readonly executionProvider?: ExecutionProvider;
  /** Threads inside one operator (`intraOpNumThreads`). */
  readonly intraOpThreads?: number;
  /** Threads across independent operators (`interOpNumThreads`). */
  readonly interOpThreads?: number;
  /** ONNX Runtime graph optimisation level; default `"all"`. */
  readonly graphOptimizationLevel?: "disabled" | "basic" | "extended" | "all";
  /** ONNX Runtime log severity: 0 verbose, 1 info, 2 warning (default), 3 error, 4 fatal. */
  readonly logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** The settings a session was created with, to record beside results. */
export interface OnnxSessionSettings {
  readonly executionProvider: ExecutionProvider;
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly graphOptimizationLevel: "disabled" | "basic" | "extended" | "all";
  /** The model file, or `"<N bytes>"` for an in-memory model. */
  readonly source: string;
}

/** An open session and the settings it was made with. */
export interface OnnxSession {
  readonly session: ort.InferenceSession;
  readonly settings: OnnxSessionSettings;
}

/** The onnxruntime-node module (its native binding loads on first use, not at import). */
export type OnnxRuntime = typeof ort;

/**
 * Load onnxruntime-node (needs --allow-ffi); importing the engine does not, so training code that
 * never opens a session runs without it. Use `.Tensor` to build session inputs.
 */
export function onnxRuntime(): Promise<OnnxRuntime> {
  return import("onnxruntime-node");
}

/** How to get a CUDA execution provider, quoted when creating a cuda session fails. */
export const CUDA_HINT =
  "the npm onnxruntime-node package needs its CUDA binaries (install it with network access " +
  "and ONNXRUNTIME_NODE_INSTALL_CUDA=v12 set, on a machine with CUDA 12 and cuDNN), or use " +
  'executionProvider "cpu"';

/** Resolve a session's settings: explicit options, then the engine state, then the environment. */
export function onnxSessionSettings(
  source: string,
  options: OnnxSessionOptions = {},
  engineOptions: EngineOptions = {},
): OnnxSessionSettings {
  const defaults = engineState()?.onnx ??
    (() => {
      const r = resolveEngineOptions(engineOptions);
      return { executionProvider: r.executionProvider, ...r.onnxThreads };
    })();
  return {
    executionProvider: options.executionProvider ?? defaults.executionProvider,
    intraOpThreads: options.intraOpThreads === undefined
      ? defaults.intraOpThreads
      : parseCount(options.intraOpThreads, "intraOpThreads option"),
    interOpThreads: options.interOpThreads === undefined
      ? defaults.interOpThreads
      : parseCount(options.interOpThreads, "interOpThreads option"),
    graphOptimizationLevel: options.graphOptimizationLevel ?? "all",
    source,
  };
}

/**
 * Create an ONNX Runtime session on a `.onnx` file path or model bytes.
 *
 * @example
 * ```ts
 * const { session, settings } = await createOnnxSession("model.onnx", { intraOpThreads: 2 });
 * const { Tensor } = await onnxRuntime();
 * const out = await session.run({ x: new Tensor("float32", data, [1, 4]) });
 * ```
 */
export async function createOnnxSession(
  model: string | Uint8Array,
  options: OnnxSessionOptions = {},
): Promise<OnnxSession> {
  const source = typeof model === "string" ? model : `<${model.byteLength} bytes>`;
  const settings = onnxSessionSettings(source, options);
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [settings.executionProvider],
    intraOpNumThreads: settings.intraOpThreads,
    interOpNumThreads: settings.interOpThreads,
    graphOptimizationLevel: settings.graphOptimizationLevel,
    logSeverityLevel: options.logSeverityLevel ?? 2,
  };
  const runtime = await onnxRuntime();
  try {
    const session = typeof model === "string"
      ? await runtime.InferenceSession.create(model, sessionOptions)
      : await runtime.InferenceSession.create(model, sessionOptions);
    return { session, settings };
  } catch (error) {
    const found = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot create an ONNX Runtime session on ${
        typeof model === "string" ? `"${source}"` : source
      } with execution provider "${settings.executionProvider}": ${found}${
        settings.executionProvider === "cuda" ? `; ${CUDA_HINT}` : ""
      }`,
    );
  }
}
