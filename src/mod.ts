/**
 * embeddistill: EmbedDistill (arXiv 2301.12005) knowledge distillation for dense retrieval, and
 * the layers it runs on. Each layer is also its own entry (`@embeddistill/embeddistill/eval`,
 * `.../distill`, ...; see deno.json `exports`), from the bottom up: io, engine, text, eval, data,
 * models, retrieval, querygen, distill, store.
 *
 * @module
 */

export * as io from "./io/mod.ts";
export * as engine from "./engine/mod.ts";
export * as text from "./text/mod.ts";
export * as evaluation from "./eval/mod.ts";
export * as data from "./data/mod.ts";
export * as models from "./models/mod.ts";
export * as retrieval from "./retrieval/mod.ts";
export * as querygen from "./querygen/mod.ts";
export * as distill from "./distill/mod.ts";
export * as store from "./store/mod.ts";
