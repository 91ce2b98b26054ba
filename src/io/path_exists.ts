/**
 * Whether a path exists, telling "not there" apart from real errors (permissions, I/O).
 *
 * @module
 */

/** True when `path` exists; false when it does not; rethrows any other error of `Deno.stat`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
