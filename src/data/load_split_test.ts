import assert from "node:assert/strict";
import { join } from "node:path";
import { DatasetNotCachedError, loadSplit, resolveSplitSource } from "./load_split.ts";
import { loadRegistry } from "./registry.ts";

const registry = await loadRegistry();

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-split-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function writeBeir(dir: string, qrels: string): Promise<void> {
  await Deno.mkdir(join(dir, "qrels"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "corpus.jsonl"),
    '{"_id":"d1","title":"T","text":"alpha"}\n{"_id":"d2","title":"","text":"beta"}\n',
  );
  await Deno.writeTextFile(
    join(dir, "queries.jsonl"),
    '{"_id":"q1","text":"a?"}\n{"_id":"q2","text":"b?"}\n{"_id":"q3","text":"c?"}\n',
  );
  await Deno.writeTextFile(join(dir, "qrels", "test.tsv"), qrels);
}

Deno.test("loadSplit reads a BEIR folder: judged queries only, qrels as eval reads them", async () => {
  await withTemp(async (dir) => {
    await writeBeir(dir, "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t0\n");
    const split = await loadSplit({ kind: "dir", path: dir }, "test", { registry });
    assert.deepEqual(split.corpus.map((d) => d.id), ["d1", "d2"]);
    assert.deepEqual(split.queries.map((q) => q.id), ["q1", "q2"]);
    assert.equal(split.qrels.queries.get("q1")?.get("d1"), 1);
    assert.equal(split.judgments.length, 2);
    assert.match(split.checksum, /^[0-9a-f]{64}$/);
    // Another byte in a file is another checksum.
    await writeBeir(dir, "query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td2\t0\n");
    const changed = await loadSplit({ kind: "dir", path: dir }, "test", { registry });
    assert.notEqual(changed.checksum, split.checksum);
    await assert.rejects(
      () => loadSplit({ kind: "dir", path: dir }, "dev", { registry }),
      /Cannot load split "dev" of ".*": its qrels file ".*dev.tsv" does not exist \(splits found: test\)/,
    );
    await writeBeir(dir, "q9\td1\t1\n");
    await assert.rejects(
      () => loadSplit({ kind: "dir", path: dir }, "test", { registry }),
      /1 judged queries are absent from ".*queries.jsonl" \(first: "q9"\)/,
    );
  });
});

Deno.test("loadSplit generates a synthetic id on demand; a download must be fetched first", async () => {
  await withTemp(async (home) => {
    const split = await loadSplit({ kind: "dataset", id: "synthetic/tiny" }, "dev", {
      home,
      registry,
    });
    assert.equal(split.corpus.length, 4000);
    assert.equal(split.queries.length, 100);
    assert.equal(split.qrels.queries.size, 100);
    const again = await loadSplit({ kind: "dataset", id: "synthetic/tiny" }, "dev", {
      home,
      registry,
    });
    assert.equal(again.checksum, split.checksum);
    await assert.rejects(
      () => loadSplit({ kind: "dataset", id: "beir/scifact" }, "test", { home, registry }),
      (error: unknown) =>
        error instanceof DatasetNotCachedError &&
        /run `deno task fetch beir\/scifact`/.test(error.message),
    );
  });
});

Deno.test("resolveSplitSource: an id, else an existing folder, else a list of what is valid", async () => {
  assert.deepEqual(await resolveSplitSource("synthetic/mini", { registry }), {
    kind: "dataset",
    id: "synthetic/mini",
  });
  await withTemp(async (dir) => {
    assert.deepEqual(await resolveSplitSource(dir, { registry }), { kind: "dir", path: dir });
  });
  await assert.rejects(
    () => resolveSplitSource("no/such-thing", { registry }),
    /neither a dataset id of datasets.lock \(beir\/scifact, .*synthetic\/tiny.*\) nor an existing folder/,
  );
});
