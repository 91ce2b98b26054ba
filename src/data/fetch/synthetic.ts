/**
 * Materialising a synthetic registry entry into a staging folder: run the embedded generator
 * with the entry's variant, seed and sizes, check the files' hash against the pinned `sha256`,
 * and describe the files for the completion marker.
 *
 * @module
 */

import { join } from "node:path";
import type { MarkerFile } from "../cache.ts";
import { ChecksumMismatchError, hashFile } from "../checksum.ts";
import type { SyntheticEntry } from "../registry_types.ts";
import { type SyntheticSizes, writeSyntheticDataset } from "../synthetic/mod.ts";

/**
 * Generate `entry` into `stage` (which must not exist yet) and return its files.
 *
 * @throws {TypeError} the entry records no sizes
 * @throws {ChecksumMismatchError} the generated files' hash differs from the pinned one (another
 *   generator version wrote the lock)
 */
export async function generateSynthetic(
  entry: SyntheticEntry,
  stage: string,
): Promise<MarkerFile[]> {
  if (entry.sizes === null) {
    throw new TypeError(`Cannot generate "${entry.id}": datasets.lock records no sizes for it`);
  }
  const manifest = await writeSyntheticDataset(stage, {
    variant: { kind: entry.variant },
    seed: entry.seed,
    sizes: entry.sizes as unknown as SyntheticSizes,
  });
  if (entry.sha256 !== null && manifest.sha256 !== entry.sha256) {
    throw new ChecksumMismatchError(entry.id, "sha256", entry.sha256, manifest.sha256);
  }
  const files: MarkerFile[] = [];
  for (const file of manifest.files) {
    const digests = await hashFile(join(stage, file.path));
    files.push({ name: file.path, md5: digests.md5, sha256: digests.sha256, size: digests.size });
  }
  return files;
}
