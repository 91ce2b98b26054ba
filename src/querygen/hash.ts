/**
 * The SHA-256 hashes that name generated queries in caches: a generator's config hash and a
 * corpus hash, both over canonical JSON (src/io/canonical_json.ts).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { canonicalJson, sha256Text } from "../io/mod.ts";
import type { Document } from "../data/mod.ts";

/** SHA-256 (lowercase hex) of the canonical JSON of a config: its stable name in caches. */
export function configHash(config: unknown): string {
  return sha256Text(canonicalJson(config));
}

/**
 * SHA-256 (lowercase hex) naming a corpus as a generator sees it: over one canonical JSON line
 * `{"id","text","title"}` per document, in the given order.
 */
export function corpusHash(documents: Iterable<Document>): string {
  const hash = createHash("sha256");
  for (const d of documents) {
    hash.update(canonicalJson({ id: d.id, title: d.title, text: d.text }) + "\n", "utf8");
  }
  return hash.digest("hex");
}
