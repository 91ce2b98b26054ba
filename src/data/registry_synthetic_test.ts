/**
 * The synthetic entries of datasets.lock against the generator: same version and sizes, and the
 * recorded sha256 equals the manifest hash of a fresh generation (so a generator change that alters
 * the files fails here until the lock and the version are updated).
 */
import assert from "node:assert/strict";
import { loadRegistry } from "./registry.ts";
import {
  synthesize,
  SYNTHETIC_GENERATOR_VERSION,
  SYNTHETIC_SIZES,
  syntheticFiles,
  syntheticManifest,
} from "./synthetic/mod.ts";

const registry = await loadRegistry();
const entries = registry.datasets.flatMap((e) => (e.kind === "synthetic" ? [e] : []));

Deno.test("datasets.lock lists the synthetic variants at tiny and mini", () => {
  const ids = entries.map((e) => `${e.variant}/${e.preset}/${e.seed}`).sort();
  assert.deepEqual(ids, [
    "generic/mini/42",
    "generic/mini/7",
    "generic/tiny/42",
    "generic/tiny/7",
    "msmarco/mini/42",
    "msmarco/tiny/42",
    "nq/mini/42",
    "nq/mini/7",
    "nq/tiny/42",
    "nq/tiny/7",
  ]);
});

for (const entry of entries) {
  Deno.test(`datasets.lock ${entry.id}: version, sizes and sha256 match the generator`, async () => {
    assert.equal(entry.version, SYNTHETIC_GENERATOR_VERSION);
    const sizes = SYNTHETIC_SIZES[entry.preset as keyof typeof SYNTHETIC_SIZES];
    assert.ok(sizes !== undefined, `unknown preset "${entry.preset}"`);
    assert.deepEqual(entry.sizes, { ...sizes });
    const dataset = synthesize({ variant: { kind: entry.variant }, seed: entry.seed, sizes });
    const encoder = new TextEncoder();
    const encoded = new Map(
      [...syntheticFiles(dataset)].map(([path, text]) => [path, encoder.encode(text)]),
    );
    const manifest = await syntheticManifest(dataset, encoded);
    assert.equal(manifest.sha256, entry.sha256);
  });
}
