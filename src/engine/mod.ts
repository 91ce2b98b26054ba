/**
 * Engine: tfjs backend choice (wasm default, cpu fallback, experimental tensorflow), the
 * project's kernels over the backend's (OpenBLAS BatchMatMul, scatter-add UnsortedSegmentSum,
 * row-copy GatherV2, strided Sum / Mean, zero-copy Identity / Cast; fused GELU, layer norm and
 * Adam, in WebAssembly SIMD where it pays), thread counts, seeds, ONNX Runtime sessions, and the
 * state every result records, and the builder of ONNX graphs. Knows nothing of IR.
 *
 * The `tensorflow` backend (tfjs-node / tfjs-node-gpu, native TensorFlow) is experimental: it is
 * not a dependency and cannot be installed offline. To enable it, add
 * `"@tensorflow/tfjs-node": "npm:@tensorflow/tfjs-node@4.22.0"` (or `tfjs-node-gpu`) to deno.json
 * imports on a machine with network access, run
 * `deno install --allow-scripts=npm:@tensorflow/tfjs-node` (its install step downloads
 * libtensorflow), then select it with `--backend tensorflow` or `EMBEDDISTILL_BACKEND=tensorflow`
 * (`EMBEDDISTILL_TFJS_NODE` names another module to import). The project's kernels are not
 * installed there; native kernels run instead.
 *
 * @example
 * ```ts
 * import { describeEngine, initEngine, layerNorm, gelu } from "./mod.ts";
 * const state = await initEngine(); // EMBEDDISTILL_BACKEND / _THREADS / _SEED, else wasm, cores, 42
 * describeEngine(state);
 * ```
 *
 * @module
 */

export {
  describeEngine,
  type EngineState,
  engineState,
  initEngine,
  summariseEngine,
} from "./engine.ts";
export { type BackendName, type EngineOptions, parseBackendName } from "./options.ts";
export { type Blas, loadBlas } from "./openblas.ts";
export { deriveSeed, type RandomSource, seededNormal, seededRandom, shuffled } from "./random.ts";
export { gelu } from "./gelu.ts";
export { layerNorm } from "./layer_norm.ts";
export { geluErf } from "./erf.ts";
export { type AdamHyper, adamStep } from "./adam.ts";
export { FusedAdam } from "./fused_adam.ts";
export { stockKernel } from "./kernel_registry.ts";
export {
  describeHost,
  describeMachine,
  formatMachine,
  type HostInfo,
  type MachineInfo,
} from "./machine.ts";
export {
  createOnnxSession,
  onnxRuntime,
  type OnnxSession,
  type OnnxSessionOptions,
  type OnnxSessionSettings,
} from "./onnx_session.ts";
export { floatAttr, intAttr, intsAttr, OnnxGraphBuilder } from "./onnx_graph.ts";
