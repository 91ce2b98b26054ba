/**
 * Run keys (EXPERIMENTS.md "Runs, keys, resume"): a hash of the experiment id, the preset, the
 * resolved configuration and the code-version salt. Rerunning with the same key resumes; the seed
 * count and `--only` are not part of it (cells carry their seed).
 *
 * @module
 */

import { canonicalJson, sha256Text } from "../src/io/mod.ts";

/**
 * The code-version salt of experiment results. Bump it whenever a change alters what a finished
 * cell or a cached artefact would contain (a training fix, a new default, a data generator
 * change), so no stale result is reused. Artefact cache keys include it too.
 */
export const CODE_SALT = "embeddistill-results-1";

/** 16 hex digits naming a run of `experiment` under `preset` with `config` (any JSON). */
export function runKey(experiment: string, preset: string, config: unknown): string {
  return sha256Text(canonicalJson({ experiment, preset, config, salt: CODE_SALT })).slice(0, 16);
}
