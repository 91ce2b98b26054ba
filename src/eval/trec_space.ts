/**
 * The field separator of TREC files: whitespace as C's isspace.
 *
 * @module
 */

/** Whitespace as C's isspace (space, \t, \n, \v, \f, \r), the field separators of TREC files. */
export function isSpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}
