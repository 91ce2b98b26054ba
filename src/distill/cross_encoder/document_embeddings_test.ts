import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CE_DOCUMENT_FILES,
  readDocumentEmbeddings,
  writeDocumentEmbeddings,
} from "./document_embeddings.ts";

Deno.test("document embeddings round-trip with their ids; mismatches are TypeErrors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-ce-docs-" });
  try {
    const embeddings = { count: 2, dims: 3, vectors: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    await assert.rejects(() => writeDocumentEmbeddings(dir, ["a"], embeddings), TypeError);
    await writeDocumentEmbeddings(dir, ["d1", "d2"], embeddings);
    const back = await readDocumentEmbeddings(dir);
    assert.deepEqual(back.ids, ["d1", "d2"]);
    assert.deepEqual(back.embeddings, embeddings);
    await Deno.writeTextFile(join(dir, CE_DOCUMENT_FILES.ids), "d1\n");
    await assert.rejects(() => readDocumentEmbeddings(dir), TypeError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
