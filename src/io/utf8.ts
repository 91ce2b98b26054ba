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
