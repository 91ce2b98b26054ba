/**
 * The embedded synthetic retrieval corpus: a deterministic, seeded generator of BEIR-layout
 * datasets whose relevance is semantic (latent concepts with several surface forms), so that no
 * download is needed to train and distil retrievers. The hidden concept tables are not exported.
 *
 * @example
 * ```ts
 * import { SYNTHETIC_SIZES, writeSyntheticDataset } from "./mod.ts";
 * const manifest = await writeSyntheticDataset("/tmp/synthetic-generic-tiny", {
 *   variant: { kind: "generic" },
 *   seed: 1,
 *   sizes: SYNTHETIC_SIZES.tiny,
 * });
 * manifest.sha256; // names the whole dataset
 * ```
 *
 * @module
 */

export {
  SYNTHETIC_GENERATOR_VERSION,
  SYNTHETIC_SIZES,
  SYNTHETIC_VARIANT_KINDS,
  type SyntheticParams,
  type SyntheticSizes,
  type SyntheticVariant,
} from "./params.ts";
export {
  synthesize,
  SYNTHETIC_SPLITS,
  type SyntheticDataset,
  type SyntheticQuery,
  type SyntheticSplit,
} from "./synthesize.ts";
export { syntheticFiles, type SyntheticManifest, syntheticManifest } from "./files.ts";
export { writeSyntheticDataset } from "./write.ts";
export { syntheticTrainingTexts } from "./training_texts.ts";
