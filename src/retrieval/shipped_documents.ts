/**
 * Document embeddings shipped inside a student's directory (an asymmetric student of a
 * cross-encoder: `document-embeddings.safetensors` with tensor "embeddings" [documents, dims] and
 * `document-ids.txt`, one id per line, as distill writes them), turned into an embedding store
 * cached under `$EMBEDDISTILL_HOME/artifacts` by the two files' content hash.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { cachedContent, pathExists } from "../io/mod.ts";
import { readSafetensorsFile } from "../models/mod.ts";
import { EmbeddingStore, writeEmbeddingStore } from "./embedding_store/mod.ts";

/** File names of shipped document embeddings inside a model directory. */
export const SHIPPED_DOCUMENT_FILES = {
  embeddings: "document-embeddings.safetensors",
  ids: "document-ids.txt",
} as const;

/**
 * The embedding store of the document embeddings shipped in `dir`, or undefined when `dir` ships
 * none. TypeError when the ids and rows disagree.
 */
export async function shippedDocumentStore(
  dir: string,
  artifacts: string,
): Promise<{ readonly dir: string; readonly hash: string } | undefined> {
  const tensorPath = join(dir, SHIPPED_DOCUMENT_FILES.embeddings);
  const idsPath = join(dir, SHIPPED_DOCUMENT_FILES.ids);
  if (!await pathExists(tensorPath)) return undefined;
  const tensorBytes = await Deno.readFile(tensorPath);
  const idsText = await Deno.readTextFile(idsPath);
  const hash = createHash("sha256");
  hash.update(`shipped-document-embeddings:1;${tensorBytes.length};`);
  hash.update(tensorBytes);
  hash.update(idsText);
  const key = hash.digest("hex");
  const entry = await cachedContent(artifacts, key, () => Promise.resolve(true), {
    read: async (d) => {
      await EmbeddingStore.open(d);
      return true;
    },
    write: async (d) => {
      const { tensors } = await readSafetensorsFile(tensorPath);
      const embeddings = tensors.get("embeddings");
      const ids = idsText.split("\n").filter((l) => l !== "");
      if (embeddings === undefined || embeddings.shape.length !== 2) {
        throw new TypeError(
          `Cannot read "${tensorPath}": expected a 2-D tensor "embeddings", found ${
            embeddings === undefined ? "none" : `shape [${embeddings.shape.join(", ")}]`
          }`,
        );
      }
      if (embeddings.shape[0] !== ids.length) {
        throw new TypeError(
          `Cannot use the document embeddings of "${dir}": ${
            embeddings.shape[0]
          } rows but ${ids.length} ids in "${idsPath}"`,
        );
      }
      await writeEmbeddingStore(d, { ids, dims: embeddings.shape[1]!, vectors: embeddings.data });
    },
  });
  return { dir: entry.dir, hash: key };
}
