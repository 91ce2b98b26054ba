/**
 * embeddistill: EmbedDistill (arXiv 2301.12005) knowledge distillation for dense retrieval, and
 * the evaluation, data and model layers it runs on. Import a layer's `mod.ts` for its full API.
 *
 * @module
 */

export * as evaluation from "./eval/mod.ts";
