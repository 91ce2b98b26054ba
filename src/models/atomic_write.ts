/**
 * Atomic file writes (temporary file in the same folder, then rename), so a reader or a second
 * process never sees a half-written checkpoint.
 *
 * @module
 */

import { dirname, join } from "node:path";

/**
 * Write `data` to `path` atomically: the bytes go to a unique `*.tmp` file beside `path`, which is
 * then renamed over it (rename is atomic within one file system). The temporary file is removed
 * when writing fails.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const unique = `${Deno.pid}-${Date.now().toString(36)}-${
    Math.floor(Math.random() * 2 ** 32).toString(36)
  }`;
  const base = path.split(/[\\/]/).pop() ?? "file";
  const temp = join(dirname(path), `.${base}.${unique}.tmp`);
  try {
    if (typeof data === "string") await Deno.writeTextFile(temp, data);
    else await Deno.writeFile(temp, data);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
