/**
 * Tests of the generated-query cache: keyed by config and corpus hash, written atomically,
 * reused when present, regenerated when incomplete.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Document } from "../data/mod.ts";
import type { GeneratedQuery, QueryGenerator } from "./generator.ts";
import {
  generateCached,
  GENERATED_QUERIES_FILE,
  GENERATED_QUERIES_META_FILE,
  generatedQueriesDir,
  readGeneratedQueries,
  writeGeneratedQueries,
} from "./cache.ts";
import { corpusHash } from "./hash.ts";
import { SalientTermGenerator } from "./salient.ts";

const DOCS: Document[] = [
  {
    id: "1",
    title: "Kinase",
    text: "Tyrosine kinase inhibitors block signalling in tumour cells.",
  },
  { id: "2", title: "", text: "Vitamin D did not reduce fracture risk in elderly women." },
];

/** A real generator that also counts how often it actually generated. */
function counting(inner: QueryGenerator): QueryGenerator & { calls: number } {
  const wrapper = {
    calls: 0,
    config: inner.config,
    configHash: inner.configHash,
    generate(documents: readonly Document[]) {
      wrapper.calls++;
      return inner.generate(documents);
    },
  };
  return wrapper;
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "qgen-cache-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("generateCached stores queries under config + corpus hash and reuses them", async () => {
  await withTemp(async (root) => {
    const g = counting(new SalientTermGenerator({ seed: 3 }));
    const first = await generateCached(g, DOCS, { root });
    assert.equal(first.hit, false);
    assert.equal(first.dir, generatedQueriesDir(root, g.configHash, corpusHash(DOCS)));
    assert.deepStrictEqual(
      (await Array.fromAsync(Deno.readDir(first.dir), (e) => e.name)).sort(),
      [GENERATED_QUERIES_META_FILE, GENERATED_QUERIES_FILE].sort(),
      "no temporary files left behind",
    );
    const second = await generateCached(g, DOCS, { root });
    assert.equal(second.hit, true);
    assert.deepStrictEqual(second.queries, first.queries);
    assert.equal(g.calls, 1);
    const meta = JSON.parse(await Deno.readTextFile(join(first.dir, GENERATED_QUERIES_META_FILE)));
    assert.deepStrictEqual(meta.config, g.config);
    assert.equal(meta.queries, first.queries.length);

    const otherCorpus = await generateCached(g, DOCS.slice(0, 1), { root });
    const otherConfig = await generateCached(new SalientTermGenerator({ seed: 4 }), DOCS, { root });
    assert.equal(otherCorpus.hit, false);
    assert.equal(otherConfig.hit, false);
    assert.equal(new Set([first.dir, otherCorpus.dir, otherConfig.dir]).size, 3);
  });
});

Deno.test("generateCached regenerates an entry whose queries file is missing", async () => {
  await withTemp(async (root) => {
    const g = counting(new SalientTermGenerator());
    const first = await generateCached(g, DOCS, { root });
    await Deno.remove(join(first.dir, GENERATED_QUERIES_FILE));
    const again = await generateCached(g, DOCS, { root });
    assert.equal(again.hit, false);
    assert.equal(g.calls, 2);
    assert.deepStrictEqual(again.queries, first.queries);
  });
});

Deno.test("generated-queries JSONL round-trips and malformed lines are SyntaxErrors", async () => {
  await withTemp(async (dir) => {
    const path = join(dir, "q.jsonl");
    const queries: GeneratedQuery[] = [
      { id: "1#q0", docId: "1", text: 'kinase "inhibitors"\nx', generator: "g:0" },
      { id: "2#q0", docId: "2", text: "vitamin", generator: "g:0" },
    ];
    await writeGeneratedQueries(path, queries);
    assert.deepStrictEqual(await readGeneratedQueries(path), queries);
    await Deno.writeTextFile(path, '{"id":"1","docId":"1","text":"x","generator":"g"}\n{"id":2}\n');
    await assert.rejects(
      readGeneratedQueries(path),
      (e: unknown) =>
        e instanceof SyntaxError && e.message.includes("line 2") && e.message.includes('"id"'),
    );
    await Deno.writeTextFile(path, "not json\n");
    await assert.rejects(readGeneratedQueries(path), SyntaxError);
  });
});
