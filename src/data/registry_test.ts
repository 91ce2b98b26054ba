import assert from "node:assert/strict";
import { sharedPath } from "../testing/mod.ts";
import { downloadSize, findDataset, loadRegistry, parseRegistry } from "./registry.ts";
import type { DatasetEntry } from "./registry_types.ts";

const REQUIRED_IDS = [
  "beir/scifact",
  "beir/nfcorpus",
  "beir/fiqa",
  "beir/arguana",
  "beir/scidocs",
  "beir/trec-covid",
  "beir/quora",
  "beir/nq",
  "beir/hotpotqa",
  "beir/msmarco",
  "msmarco-passage",
  "dpr/nq",
];

Deno.test("datasets.lock parses and lists every dataset the suite knows", async () => {
  const registry = await loadRegistry();
  const ids = registry.datasets.map((d) => d.id);
  for (const id of REQUIRED_IDS) assert.ok(ids.includes(id), `missing ${id}`);
  assert.ok(registry.datasets.some((d) => d.kind === "synthetic"));
});

Deno.test("every datasets.lock download is pinned and every count has a source", async () => {
  const registry = await loadRegistry();
  for (const entry of registry.datasets) {
    if (entry.kind !== "download") continue;
    assert.ok(entry.files.length > 0, entry.id);
    for (const file of entry.files) {
      assert.match(file.md5, /^[0-9a-f]{32}$/, `${entry.id} ${file.name}`);
      assert.ok(Number.isSafeInteger(file.size) && file.size > 0, `${entry.id} ${file.name}`);
      assert.ok(file.url.startsWith("https://"), `${entry.id} ${file.url}`);
    }
    assert.ok(entry.counts.some((c) => c.what === "docs"), `${entry.id} has a docs count`);
    for (const count of entry.counts) {
      assert.ok(count.source.length > 10, `${entry.id} ${count.file} source`);
      if (count.value === null) assert.ok(count.note !== null, `${entry.id} ${count.file} note`);
      else assert.ok(count.value > 0);
    }
    assert.ok(entry.license.length > 0 && entry.licenseSource.length > 0, entry.id);
  }
});

Deno.test("datasets.lock pins the upstream MD5s and sizes of shared/data/upstream-downloads.json", async () => {
  const registry = await loadRegistry();
  const scifact = findDataset(registry, "beir/scifact") as Extract<
    DatasetEntry,
    { kind: "download" }
  >;
  // Values of allenai/ir_datasets downloads.json for beir/scifact.
  assert.deepEqual(scifact.files[0]?.md5, "5f7d1de60b170fc8027bb7898e2efca1");
  assert.equal(downloadSize(scifact), 2816079);
  const scifactDocs = scifact.counts.find((c) => c.what === "docs");
  assert.equal(scifactDocs?.value, 5183);
});

Deno.test("parseRegistry names the JSON path of a schema violation", () => {
  const bad = {
    version: 1,
    datasets: {
      "beir/x": {
        kind: "download",
        description: "d",
        license: "l",
        licenseSource: "s",
        homepage: "h",
        files: [{ name: "x.zip", url: "https://e/x.zip", md5: "abc", size: 1, unpack: "zip" }],
        counts: [],
      },
    },
  };
  assert.throws(
    () => parseRegistry(JSON.stringify(bad), "bad.lock"),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message ===
        'Cannot read dataset registry "bad.lock" at $.datasets.beir/x.files[0].md5: expected 32 lowercase hex digits, found "abc"',
  );
  assert.throws(() => parseRegistry("{", "broken.lock"), SyntaxError);
});

Deno.test("parseRegistry rejects plain http (except loopback), null counts without a note, nested ids", () => {
  const file = (url: string) => ({
    name: "x.zip",
    url,
    md5: "0".repeat(32),
    size: 1,
    unpack: "zip",
  });
  const entry = (url: string, counts: unknown[] = []) => ({
    kind: "download",
    description: "d",
    license: "l",
    licenseSource: "s",
    homepage: "h",
    files: [file(url)],
    counts,
  });
  const lock = (datasets: Record<string, unknown>) => JSON.stringify({ version: 1, datasets });
  assert.throws(() => parseRegistry(lock({ a: entry("http://example.org/x.zip") })), TypeError);
  assert.equal(parseRegistry(lock({ a: entry("http://127.0.0.1:8/x.zip") })).datasets.length, 1);
  const nullCount = {
    what: "docs",
    split: null,
    value: null,
    source: "nowhere",
    file: "x/corpus.jsonl",
    method: { kind: "lines", header: false },
  };
  assert.throws(() => parseRegistry(lock({ a: entry("https://e/x.zip", [nullCount]) })), /note/);
  assert.throws(
    () => parseRegistry(lock({ a: entry("https://e/x.zip"), "a/b": entry("https://e/x.zip") })),
    /does not nest/,
  );
  assert.throws(() => findDataset(parseRegistry(lock({})), "nope"), RangeError);
});

const upstream = sharedPath("upstream-downloads.json");

Deno.test({
  name: "every datasets.lock file's URL, MD5 and size equal the upstream list (ir_datasets)",
  ignore: upstream === undefined,
  fn: async () => {
    const list = JSON.parse(await Deno.readTextFile(upstream!)) as Record<
      string,
      Record<string, { url: string; md5: string; size: number }> | string
    >;
    const byUrl = new Map<string, { md5: string; size: number }>();
    for (const group of Object.values(list)) {
      if (typeof group === "string") continue;
      for (const item of Object.values(group)) byUrl.set(item.url, item);
    }
    const registry = await loadRegistry();
    let checked = 0;
    for (const entry of registry.datasets) {
      if (entry.kind !== "download") continue;
      for (const file of entry.files) {
        const pinned = byUrl.get(file.url);
        assert.ok(pinned !== undefined, `${entry.id}: ${file.url} is not in the upstream list`);
        assert.equal(file.md5, pinned.md5, file.url);
        assert.equal(file.size, pinned.size, file.url);
        checked++;
      }
    }
    assert.equal(checked, 20);
  },
});
