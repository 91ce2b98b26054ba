/**
 * Writes a synthetic dataset to a directory atomically (temporary sibling directory + rename),
 * idempotently (an existing identical dataset is reused) and returns its manifest.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { syntheticFiles, type SyntheticManifest, syntheticManifest } from "./files.ts";
import { SYNTHETIC_GENERATOR_VERSION, type SyntheticParams } from "./params.ts";
import { synthesize } from "./synthesize.ts";

/** File name of the manifest inside a generated dataset directory. */
export const SYNTHETIC_MANIFEST_FILE = "manifest.json";

function sameDataset(m: SyntheticManifest, params: SyntheticParams): boolean {
  const s = params.sizes;
  return m.version === SYNTHETIC_GENERATOR_VERSION && m.variant === params.variant.kind &&
    m.seed === params.seed && m.sizes.documents === s.documents && m.sizes.pool === s.pool &&
    m.sizes.train === s.train && m.sizes.dev === s.dev && m.sizes.test === s.test;
}

async function existing(
  dir: string,
  params: SyntheticParams,
): Promise<SyntheticManifest | "absent" | "empty"> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "absent";
    throw e;
  }
  if (entries.length === 0) return "empty";
  let manifest: SyntheticManifest | undefined;
  try {
    manifest = JSON.parse(await Deno.readTextFile(join(dir, SYNTHETIC_MANIFEST_FILE)));
  } catch {
    manifest = undefined;
  }
  if (manifest !== undefined && sameDataset(manifest, params)) return manifest;
  throw new Deno.errors.AlreadyExists(
    `Cannot write the synthetic dataset to "${dir}": the directory exists and does not hold version "${SYNTHETIC_GENERATOR_VERSION}" of variant "${params.variant.kind}" with seed "${params.seed}" and the requested sizes`,
  );
}

/**
 * Generate the dataset for `params` and write it under `dir` in BEIR layout (corpus.jsonl,
 * queries.jsonl, qrels/{train,dev,test}.tsv) plus pool.jsonl and manifest.json. The files appear
 * all at once (rename of a fully written temporary sibling directory); if `dir` already holds the
 * same dataset (its manifest says the same version, variant, seed and sizes) nothing is written
 * and that manifest is returned, which also settles a race between two writers.
 *
 * @throws {Deno.errors.AlreadyExists} `dir` is non-empty and holds something else.
 * @throws {RangeError} the parameters are out of range or the sizes cannot be combined.
 */
export async function writeSyntheticDataset(
  dir: string,
  params: SyntheticParams,
): Promise<SyntheticManifest> {
  const before = await existing(dir, params);
  if (typeof before !== "string") return before;

  const dataset = synthesize(params);
  const encoder = new TextEncoder();
  const encoded = new Map<string, Uint8Array>();
  for (const [path, text] of syntheticFiles(dataset)) encoded.set(path, encoder.encode(text));
  const manifest = await syntheticManifest(dataset, encoded);

  const parent = dirname(dir);
  await Deno.mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${crypto.randomUUID()}`);
  try {
    await Deno.mkdir(join(tmp, "qrels"), { recursive: true });
    for (const [path, bytes] of encoded) await Deno.writeFile(join(tmp, path), bytes);
    await Deno.writeTextFile(
      join(tmp, SYNTHETIC_MANIFEST_FILE),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    try {
      await Deno.rename(tmp, dir);
    } catch (e) {
      // Another writer may have finished first: accept its result if it is the same dataset.
      const after = await existing(dir, params).catch(() => undefined);
      if (after === undefined || typeof after === "string") throw e;
      return after;
    }
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  return manifest;
}
