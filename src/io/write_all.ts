/**
 * Writing a whole byte array to a writer whose `write` may take only part of it (Deno.FsFile,
 * Deno.stdout).
 *
 * @module
 */

/** The one method of a writer this needs (structurally `Deno.FsFile`, `Deno.stdout`). */
export interface ByteWriter {
  write(bytes: Uint8Array): Promise<number>;
}

/** Write every byte of `bytes` to `writer`, looping over partial writes. */
export async function writeAll(writer: ByteWriter, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await writer.write(bytes.subarray(offset));
}
