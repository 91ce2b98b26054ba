/**
 * File input/output: streaming text and numbered lines (gzip aware), a streaming JSON array
 * parser, and atomic writes.
 *
 * @module
 */

export {
  type ByteChunkOptions,
  isGzip,
  isGzipFile,
  readByteChunks,
  readTextChunks,
} from "./byte_chunks.ts";
export {
  DEFAULT_MAX_LINE_LENGTH,
  type Line,
  type LineBlockSink,
  type LineOptions,
  type LineSink,
  LineSplitter,
  readFileLines,
  readLines,
  splitLines,
} from "./lines.ts";
export { decodeBytes } from "./utf8.ts";
export {
  DEFAULT_MAX_ELEMENT_LENGTH,
  type JsonArrayElement,
  type JsonArrayOptions,
  parseJsonArray,
  readJsonArray,
} from "./json_array_stream.ts";
export {
  type AtomicContent,
  type AtomicWriteOptions,
  temporaryPathFor,
  writeFileAtomic,
} from "./atomic_write.ts";
export { pathExists } from "./path_exists.ts";
export {
  decodeFloat16,
  encodeFloat16,
  float16BitsToFloat32,
  float16Table,
  float32ToFloat16Bits,
} from "./float16.ts";
export { type ByteWriter, writeAll } from "./write_all.ts";
export { canonicalJson, sha256Text } from "./canonical_json.ts";
export { checkMatrix, type Matrix, matrixRow } from "./matrix.ts";
