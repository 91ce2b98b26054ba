/**
 * File input/output, the bottom layer: the one chunked byte source (gzip aware), the one line
 * splitter (byte ranges for parsers, decoded lines for loaders), a streaming JSON array reader,
 * atomic writes, canonical JSON, float16, the one dense {@linkcode Matrix}, and the code version
 * (git commit, dirty flag) results are stamped with.
 *
 * @module
 */

export { isStdinPath, readByteChunks } from "./byte_chunks.ts";
export {
  type Line,
  type LineBlockSink,
  type LineSink,
  LineSplitter,
  readFileLines,
  readLines,
  splitLines,
} from "./lines.ts";
export { byteOrderMarkError, decodeBytes, startsWithByteOrderMark } from "./utf8.ts";
export { readJsonArray } from "./json_array_stream.ts";
export { writeFileAtomic } from "./atomic_write.ts";
export { pathExists } from "./path_exists.ts";
export { type CodeVersion, codeVersion } from "./code_version.ts";
export {
  decodeFloat16,
  encodeFloat16,
  float16BitsToFloat32,
  float16Table,
  float32ToFloat16Bits,
} from "./float16.ts";
export { writeAll } from "./write_all.ts";
export { canonicalJson, sha256Text } from "./canonical_json.ts";
export { checkMatrix, type Matrix, matrixRow } from "./matrix.ts";
export {
  cachedContent,
  type ContentCacheOptions,
  type ContentCodec,
  type ContentEntry,
  contentEntryDir,
  type ContentEntryKind,
} from "./content_cache.ts";
export {
  type ContentCacheEntry,
  type ContentCacheInventory,
  type ContentCacheTemporary,
  listContentCache,
  removeCacheDir,
  treeSize,
} from "./content_cache_inventory.ts";
