/**
 * Tests of the MS MARCO passage loaders on fixtures shaped like the real files and on the shared
 * dev queries.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { sharedPath } from "../testing/mod.ts";
import { readMsmarcoCollection, readMsmarcoQueries } from "./msmarco.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

Deno.test("readMsmarcoCollection streams pid/text lines, gzip or not, as untitled documents", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `${i}\tpassage ${i} with "quotes"\tand a tab`,
    );
    const text = lines.join("\n") + "\n";
    await Deno.writeTextFile(join(dir, "collection.tsv"), text);
    await Deno.writeFile(
      join(dir, "collection.tsv.gz"),
      new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")),
    );
    for (const name of ["collection.tsv", "collection.tsv.gz"]) {
      const docs = await collect(readMsmarcoCollection(join(dir, name)));
      assert.equal(docs.length, 3000);
      assert.deepEqual(docs[2999], {
        id: "2999",
        title: "",
        text: 'passage 2999 with "quotes"\tand a tab',
      });
    }
    await Deno.writeTextFile(join(dir, "bad.tsv"), "0\ta\n1\tb\n1\tc\n");
    await assert.rejects(
      collect(readMsmarcoCollection(join(dir, "bad.tsv"))),
      /Cannot load collection line 3 of ".*bad\.tsv": duplicate id "1" \(first at line 2\)/,
    );
    await Deno.writeTextFile(join(dir, "bad.tsv"), "0\ta\nno tab here\n");
    await assert.rejects(
      collect(readMsmarcoCollection(join(dir, "bad.tsv"))),
      /Cannot parse collection line 2 of ".*bad\.tsv": expected an id, a tab and a text/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const dev = sharedPath("msmarco-passage/topics.msmarco-passage.dev-subset.txt");

Deno.test({
  name: "readMsmarcoQueries reads the 6,980 dev (small) queries",
  ignore: dev === undefined,
  fn: async () => {
    const queries = await collect(readMsmarcoQueries(dev!));
    assert.equal(queries.length, 6980);
    assert.deepEqual(queries[0], { id: "1048585", text: "what is paula deen's brother" });
  },
});
