/**
 * The document embeddings an asymmetric student of a cross-encoder scores against (the CE's
 * document-alone dual pooling, one row per corpus document), shipped beside the student's model
 * directory: `document-embeddings.safetensors` and `document-ids.txt`, written atomically.
 *
 * @module
 */

import { join } from "node:path";
import { type Matrix, writeFileAtomic } from "../../io/mod.ts";
import { readSafetensorsFile, writeSafetensorsFile } from "../../models/mod.ts";

/** File names inside the student's directory. */
export const CE_DOCUMENT_FILES = {
  embeddings: "document-embeddings.safetensors",
  ids: "document-ids.txt",
} as const;

/** Write `embeddings` [documents, dims] (tensor "embeddings") and their ids, one per line. */
export async function writeDocumentEmbeddings(
  dir: string,
  ids: readonly string[],
  embeddings: Matrix,
): Promise<string> {
  if (ids.length !== embeddings.count) {
    throw new TypeError(
      `Cannot write document embeddings: ${ids.length} ids for ${embeddings.count} rows`,
    );
  }
  const path = join(dir, CE_DOCUMENT_FILES.embeddings);
  await writeSafetensorsFile(
    path,
    new Map([["embeddings", {
      shape: [embeddings.count, embeddings.dims],
      data: embeddings.vectors,
    }]]),
    { metadata: { source: "cross-encoder document-alone dual pooling" } },
  );
  await writeFileAtomic(join(dir, CE_DOCUMENT_FILES.ids), ids.map((id) => `${id}\n`));
  return path;
}

/** Read what {@link writeDocumentEmbeddings} wrote; TypeError when the two files disagree. */
export async function readDocumentEmbeddings(
  dir: string,
): Promise<{ readonly ids: readonly string[]; readonly embeddings: Matrix }> {
  const { tensors } = await readSafetensorsFile(join(dir, CE_DOCUMENT_FILES.embeddings));
  const ids = (await Deno.readTextFile(join(dir, CE_DOCUMENT_FILES.ids))).split("\n");
  if (ids.at(-1) === "") ids.pop();
  const x = tensors.get("embeddings");
  if (x === undefined || x.shape.length !== 2 || x.shape[0] !== ids.length) {
    throw new TypeError(
      `Cannot read document embeddings in "${dir}": expected "embeddings" [${ids.length}, dims], found ${
        JSON.stringify(x?.shape ?? null)
      }`,
    );
  }
  return { ids, embeddings: { count: ids.length, dims: x.shape[1]!, vectors: x.data } };
}
