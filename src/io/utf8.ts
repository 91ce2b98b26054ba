/**
 * Strict UTF-8 decoding of a byte range, with a fast path for short ASCII (ids, numbers).
 *
 * @module
 */

const decoder = new TextDecoder("utf-8", { fatal: true });
const keepingBom = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decode `bytes[start, end)` as UTF-8 (ASCII fast path). A leading byte-order mark is dropped
 * unless `keepBom`.
 *
 * @throws {TypeError} on invalid UTF-8
 */
export function decodeBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  keepBom = false,
): string {
  if (end - start <= 32) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i]! >= 128) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
    }
  }
  return (keepBom ? keepingBom : decoder).decode(bytes.subarray(start, end));
}

/** The UTF-8 encoding of U+FEFF, the byte-order mark: `EF BB BF`. */
const BOM_BYTES = [0xef, 0xbb, 0xbf] as const;

/** True when `bytes[start, end)` begins with the UTF-8 byte-order mark `EF BB BF`. */
export function startsWithByteOrderMark(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && bytes[start] === BOM_BYTES[0] && bytes[start + 1] === BOM_BYTES[1] &&
    bytes[start + 2] === BOM_BYTES[2];
}

/**
 * The error for a file of whitespace-separated ids (qrels, runs) that starts with a UTF-8
 * byte-order mark: trec_eval reads the mark as part of the first id, so its numbers differ from
 * ones computed without it; refusing is the only answer that never gives silently different
 * numbers. `what` names the format ("qrels", "run").
 */
export function byteOrderMarkError(what: string, source: string): SyntaxError {
  return new SyntaxError(
    `Cannot parse ${what} line 1 of "${source}": expected an id, found a UTF-8 byte-order mark ` +
      `(bytes EF BB BF), which trec_eval would read as part of the first id; strip it with ` +
      `sed -i '1s/^\\xEF\\xBB\\xBF//' "${source}" (gunzip a .gz file first)`,
  );
}
