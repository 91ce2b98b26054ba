import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { countBeirDataset } from "../beir.ts";
import { datasetPaths, datasetStatus } from "../cache.ts";
import { ChecksumMismatchError } from "../checksum.ts";
import { fetchDataset } from "./fetch.ts";
import type { FetchEvent } from "./events.ts";
import { beirZip, serveFixture, testLock } from "../../testing/mod.ts";
import { findDataset, loadRegistry, parseRegistry } from "../registry.ts";
import type { Registry } from "../registry_types.ts";
import { sharedPath } from "../../testing/mod.ts";

const zip = beirZip();

/** The error `fn` rejects with (fails when it resolves). */
async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new assert.AssertionError({ message: "expected a rejection" });
}

async function tempHome(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "embeddistill-fetch-" });
}

async function md5Of(path: string): Promise<string> {
  return createHash("md5").update(await Deno.readFile(path)).digest("hex");
}

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, prefix: string) {
    for await (const e of Deno.readDir(d)) {
      const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
      out.push(rel);
      if (e.isDirectory) await walk(join(d, e.name), rel);
    }
  }
  try {
    await walk(dir, "");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out.sort();
}

/** The unpacked corpus equals the one inside the served zip. */
async function assertScifactInstalled(home: string): Promise<void> {
  const dir = datasetPaths(home, "beir/scifact").dir;
  const corpus = await Deno.readTextFile(join(dir, "scifact", "corpus.jsonl"));
  assert.deepEqual(corpus.trim().split("\n").length, zip.docs);
  assert.deepEqual(JSON.parse(corpus.split("\n")[7]!)._id, "d7");
  const marker = JSON.parse(await Deno.readTextFile(join(dir, ".embeddistill-dataset.json")));
  assert.deepEqual(marker.files[0].md5, zip.md5);
  // The loaders read what fetch installed.
  assert.deepEqual(await countBeirDataset(join(dir, "scifact")), {
    documents: zip.docs,
    queries: zip.queries,
    qrels: { test: zip.qrels },
  });
  assert.deepEqual(marker.counts.map((c: { observed: number }) => c.observed), [
    zip.docs,
    zip.queries,
    zip.qrels,
  ]);
}

/** Run `fn` with a fixture server, a temporary cache home and a test lock pointing at the server. */
async function withServer(
  fn: (context: {
    server: ReturnType<typeof serveFixture>;
    home: string;
    registry: Registry;
  }) => Promise<void>,
): Promise<void> {
  const server = serveFixture(zip.bytes);
  const home = await tempHome();
  try {
    await fn({ server, home, registry: parseRegistry(testLock(server.url, zip), "test.lock") });
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("fetch downloads, verifies, unpacks and counts a BEIR zip from a local server", async () => {
  await withServer(async ({ server, home, registry }) => {
    const events: FetchEvent[] = [];
    const result = await fetchDataset("beir/scifact", {
      home,
      registry,
      onProgress: (e) => events.push(e),
    });
    assert.deepEqual(result.kind, "fetched");
    await assertScifactInstalled(home);
    assert.ok(events.some((e) => e.kind === "download-progress"));
    assert.deepEqual(events.at(-1)?.kind, "done");
    // A second fetch finds it present without a request.
    const again = await fetchDataset("beir/scifact", { home, registry });
    assert.deepEqual(again.kind, "present");
    assert.deepEqual(server.ranges.length, 1);
    // Nothing is left in the download and staging areas.
    const root = datasetPaths(home, "beir/scifact").root;
    assert.deepEqual(await listTree(join(root, ".downloads")), []);
    assert.deepEqual(await listTree(join(root, ".tmp")), []);
  });
});

Deno.test("fetch resumes with a Range request after the connection breaks half-way", async () => {
  const server = serveFixture(zip.bytes);
  const home = await tempHome();
  const half = Math.floor(zip.bytes.length / 2);
  try {
    const registry = parseRegistry(testLock(server.url, zip), "test.lock");
    server.mode = { kind: "cut", after: half };
    await assert.rejects(() => fetchDataset("beir/scifact", { home, registry }));
    const paths = datasetPaths(home, "beir/scifact");
    const partial = join(paths.downloads, "scifact.zip.partial");
    const kept = (await Deno.stat(partial)).size;
    assert.ok(kept > 0 && kept <= half, `partial file has ${kept} bytes`);
    assert.deepEqual(
      (await datasetStatus(home, findDataset(registry, "beir/scifact"))).kind,
      "absent",
    );
    const events: FetchEvent[] = [];
    const result = await fetchDataset("beir/scifact", {
      home,
      registry,
      onProgress: (e) => events.push(e),
    });
    assert.deepEqual(result.kind, "fetched");
    assert.deepEqual(server.ranges, [null, `bytes=${kept}-`]);
    const start = events.find((e) => e.kind === "download-start");
    assert.deepEqual(start?.kind === "download-start" ? start.resumeFrom : -1, kept);
    assert.deepEqual(result.marker.files[0]?.md5, zip.md5);
    await assertScifactInstalled(home);
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("fetch restarts cleanly when the server ignores Range", async () => {
  await withServer(async ({ server, home, registry }) => {
    server.mode = { kind: "cut", after: 20_000 };
    await assert.rejects(() => fetchDataset("beir/scifact", { home, registry }));
    server.mode = { kind: "ignore-range" };
    const events: FetchEvent[] = [];
    await fetchDataset("beir/scifact", { home, registry, onProgress: (e) => events.push(e) });
    assert.ok(server.ranges[1]?.startsWith("bytes="));
    assert.ok(events.some((e) => e.kind === "download-restart"));
    await assertScifactInstalled(home);
  });
});

Deno.test("fetch refuses a corrupted download with ChecksumMismatchError and installs nothing", async () => {
  const corrupted = zip.bytes.slice();
  corrupted[1000] = corrupted[1000]! ^ 0xff;
  const server = serveFixture(corrupted);
  const home = await tempHome();
  try {
    const registry = parseRegistry(testLock(server.url, zip), "test.lock");
    const error = await rejection(() => fetchDataset("beir/scifact", { home, registry }));
    assert.ok(error instanceof ChecksumMismatchError);
    assert.deepEqual(error.expected, zip.md5);
    assert.deepEqual(error.actual, createHash("md5").update(corrupted).digest("hex"));
    const paths = datasetPaths(home, "beir/scifact");
    assert.deepEqual(await listTree(paths.dir), []);
    assert.deepEqual(await listTree(paths.downloads), []);
    assert.deepEqual(await listTree(paths.staging), []);
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("fetch --from takes a good local file and refuses a bad one without touching the cache", async () => {
  const home = await tempHome();
  const dir = await Deno.makeTempDir();
  try {
    // The URL is never contacted: nothing listens there.
    const registry = parseRegistry(testLock("http://127.0.0.1:9/scifact.zip", zip), "test.lock");
    const good = join(dir, "scifact.zip");
    await Deno.writeFile(good, zip.bytes);
    const bad = join(dir, "scifact-bad.zip");
    const corrupted = zip.bytes.slice();
    corrupted[corrupted.length - 5] = corrupted[corrupted.length - 5]! ^ 1;
    await Deno.writeFile(bad, corrupted);

    const error = await rejection(() =>
      fetchDataset("beir/scifact", { home, registry, from: [bad], offline: true })
    );
    assert.ok(error instanceof ChecksumMismatchError);
    assert.ok(error.message.includes(zip.md5) && error.message.includes(await md5Of(bad)));
    assert.deepEqual(await listTree(home), []);

    const result = await fetchDataset("beir/scifact", {
      home,
      registry,
      from: [good],
      offline: true,
    });
    assert.deepEqual(result.kind, "fetched");
    await assertScifactInstalled(home);
    assert.deepEqual(await md5Of(good), zip.md5, "the local file is left in place");
  } finally {
    await Deno.remove(home, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a count mismatch installs nothing and keeps the verified download", async () => {
  const server = serveFixture(zip.bytes);
  const home = await tempHome();
  try {
    const registry = parseRegistry(testLock(server.url, zip, zip.docs + 1), "test.lock");
    const error = await rejection(() => fetchDataset("beir/scifact", { home, registry }));
    assert.ok(error instanceof RangeError);
    assert.match(
      error.message,
      new RegExp(`docs in "scifact/corpus.jsonl": expected ${zip.docs + 1}, found ${zip.docs}`),
    );
    const paths = datasetPaths(home, "beir/scifact");
    assert.deepEqual(await listTree(paths.dir), []);
    assert.deepEqual(await listTree(paths.downloads), ["scifact.zip"]);
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("two concurrent fetches of one id end with one correct dataset and one download", async () => {
  await withServer(async ({ server, home, registry }) => {
    const lock = { pollMs: 20 };
    const results = await Promise.all([
      fetchDataset("beir/scifact", { home, registry, lock }),
      fetchDataset("beir/scifact", { home, registry, lock }),
    ]);
    assert.deepEqual(results.map((r) => r.kind).sort(), ["fetched", "present"]);
    assert.deepEqual(server.ranges.length, 1);
    await assertScifactInstalled(home);
  });
});

Deno.test("a directory without a completion marker is stale, not present, and is replaced", async () => {
  await withServer(async ({ home, registry }) => {
    const entry = findDataset(registry, "beir/scifact");
    const paths = datasetPaths(home, "beir/scifact");
    await Deno.mkdir(join(paths.dir, "scifact"), { recursive: true });
    await Deno.writeTextFile(join(paths.dir, "scifact", "corpus.jsonl"), "{}\n");
    assert.deepEqual((await datasetStatus(home, entry)).kind, "stale");
    await fetchDataset("beir/scifact", { home, registry });
    assert.deepEqual((await datasetStatus(home, entry)).kind, "present");
    await assertScifactInstalled(home);
  });
});

const dl19 = sharedPath("msmarco-passage/qrels.dl19-passage.txt");

Deno.test({
  name:
    "--from verifies a real upstream file against the repository's datasets.lock pin and counts",
  ignore: dl19 === undefined,
  fn: async () => {
    const home = await tempHome();
    try {
      // The msmarco-passage entry of datasets.lock, narrowed to its TREC DL 2019 qrels file.
      const full = findDataset(await loadRegistry(), "msmarco-passage");
      assert.ok(full.kind === "download");
      const file = full.files.find((f) => f.name === "2019qrels-pass.txt")!;
      const entry = {
        ...full,
        files: [file],
        counts: full.counts.filter((c) => c.file.endsWith(file.name)),
      };
      const registry: Registry = { version: 1, datasets: [entry] };
      const result = await fetchDataset("msmarco-passage", {
        home,
        registry,
        from: [dl19!],
        offline: true,
      });
      assert.deepEqual(result.marker.counts.map((c) => [c.expected, c.observed]), [[43, 43], [
        9260,
        9260,
      ]]);
      assert.equal(result.marker.files[0]?.md5, "2f4be390198da108f6845c822e5ada14");
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test("a partial file longer than the server's file is discarded after HTTP 416", async () => {
  const server = serveFixture(zip.bytes.subarray(0, 1000));
  const home = await tempHome();
  try {
    const registry = parseRegistry(testLock(server.url, zip), "test.lock");
    // A partial download of 2,000 bytes for this very pin, as an interrupted run leaves it.
    const paths = datasetPaths(home, "beir/scifact");
    await Deno.mkdir(paths.downloads, { recursive: true });
    await Deno.writeFile(join(paths.downloads, "scifact.zip.partial"), zip.bytes.subarray(0, 2000));
    await Deno.writeTextFile(
      join(paths.downloads, "scifact.zip.partial.json"),
      JSON.stringify({ url: server.url, md5: zip.md5, size: zip.bytes.length, validator: null }),
    );
    const events: FetchEvent[] = [];
    const error = await rejection(() =>
      fetchDataset("beir/scifact", { home, registry, onProgress: (e) => events.push(e) })
    );
    assert.deepEqual(server.ranges, ["bytes=2000-", null]);
    assert.ok(
      events.some((e) => e.kind === "download-restart" && e.reason === "server refused the range"),
    );
    // The server's file is now only 1,000 bytes: a checksum mismatch, nothing installed.
    assert.ok(error instanceof ChecksumMismatchError && error.property === "md5");
    assert.deepEqual(await listTree(paths.dir), []);
  } finally {
    await server.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a stalled transfer times out, keeps the partial file and resumes later", async () => {
  await withServer(async ({ server, home, registry }) => {
    server.mode = { kind: "stall", after: 50_000 };
    const error = await rejection(() =>
      fetchDataset("beir/scifact", { home, registry, idleTimeoutMs: 300 })
    );
    assert.ok(error instanceof Deno.errors.TimedOut, String(error));
    server.mode = { kind: "normal" };
    await fetchDataset("beir/scifact", { home, registry });
    assert.deepEqual(server.ranges, [null, "bytes=50000-"]);
    await assertScifactInstalled(home);
  });
});
