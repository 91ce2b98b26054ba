/**
 * The content hash that names a model in caches and in the results store: sha256 of its
 * config.json form and every weight (name, shape, float32 bytes) in name order.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { NamedTensors } from "./config.ts";
import { specToConfigJson } from "./model_dir.ts";
import type { ModelSpec } from "./architecture.ts";

/** Content hash of a model (spec + weights), sha256 hex; equal models give equal hashes. */
export function modelHash(spec: ModelSpec, weights: NamedTensors): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(specToConfigJson(spec)));
  for (const name of [...weights.keys()].sort()) {
    const x = weights.get(name)!;
    hash.update(`${name}:${x.shape.join("x")};`);
    hash.update(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
  }
  return hash.digest("hex");
}
