/**
 * Test-only window on a synthetic dataset's hidden structure (concept and synonym tables, plan).
 * Not re-exported by mod.ts: models, query generators and students must only see the files.
 *
 * @module
 */

import type { SyntheticParams } from "./params.ts";
import type { CorpusPlan } from "./plan.ts";
import { synthesizeWithWorld, type SyntheticDataset } from "./synthesize.ts";
import type { World } from "./world.ts";

export type { Concept, Relation, Topic, World } from "./world.ts";
export type { CorpusPlan, DocOrigin, DocPlan, QueryPlan } from "./plan.ts";

/**
 * Generate a dataset together with the hidden world and plan behind it (tests only); `docIds[i]`
 * is the id of the document planned as `plan.docs[i]`.
 */
export function unstable_synthesizeWithWorld(
  params: SyntheticParams,
): {
  readonly dataset: SyntheticDataset;
  readonly world: World;
  readonly plan: CorpusPlan;
  readonly docIds: readonly string[];
} {
  return synthesizeWithWorld(params);
}
