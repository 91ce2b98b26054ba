import assert from "node:assert/strict";
import { join } from "node:path";
import { readBeirCorpus } from "../beir.ts";
import { ChecksumMismatchError } from "../checksum.ts";
import { fetchDataset } from "./fetch.ts";
import { findDataset, loadRegistry } from "../registry.ts";
import { datasetStatus } from "../cache.ts";
import type { Registry } from "../registry_types.ts";

const registry = await loadRegistry();

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "embeddistill-home-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("fetch synthetic/tiny generates it into the cache, verified against the pinned sha256", async () => {
  await withHome(async (home) => {
    const first = await fetchDataset("synthetic/tiny", { home, registry });
    assert.equal(first.kind, "fetched");
    let docs = 0;
    for await (const _ of readBeirCorpus(join(first.dir, "corpus.jsonl"))) docs++;
    assert.equal(docs, 4000);
    assert.ok(first.marker.files.some((f) => f.name === "corpus.jsonl" && f.md5.length === 32));
    const again = await fetchDataset("synthetic/tiny", { home, registry });
    assert.equal(again.kind, "present");
    assert.equal(again.dir, first.dir);
    // A lock that pins other bytes (say, a new generator version) makes the cached copy stale.
    const entry = findDataset(registry, "synthetic/tiny");
    assert.equal((await datasetStatus(home, entry)).kind, "present");
    assert.equal(
      (await datasetStatus(home, { ...entry, sha256: "0".repeat(64) } as typeof entry)).kind,
      "stale",
    );
  });
});

Deno.test("fetch of a synthetic entry whose pinned sha256 differs refuses and leaves the cache without it", async () => {
  await withHome(async (home) => {
    const wrong: Registry = {
      ...registry,
      datasets: registry.datasets.map((e) =>
        e.id === "synthetic-msmarco/tiny" && e.kind === "synthetic"
          ? { ...e, sha256: "0".repeat(64) }
          : e
      ),
    };
    await assert.rejects(
      () => fetchDataset("synthetic-msmarco/tiny", { home, registry: wrong }),
      ChecksumMismatchError,
    );
    const status = await fetchDataset("synthetic-msmarco/tiny", { home, registry, force: false });
    assert.equal(status.kind, "fetched");
  });
});
