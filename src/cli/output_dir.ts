/**
 * The output folder of a command that writes a run (distill, and later teacher training): a
 * folder that already holds files is refused unless the user asks to resume the run there or to
 * overwrite its outputs (which removes only the files the command writes).
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "./usage_error.ts";

/** What the user asked for an existing output folder: nothing, `--resume` or `--overwrite`. */
export type OutputMode = "new" | "resume" | "overwrite";

/** The state of the output folder after {@link prepareOutputDir}. */
export type OutputDirState =
  | { readonly kind: "empty" }
  | { readonly kind: "resume" }
  | { readonly kind: "overwritten"; readonly removed: readonly string[] };

async function entriesOf(dir: string): Promise<string[] | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (!info.isDirectory) {
    throw new UsageError(`--out "${dir}" is a file, not a folder`);
  }
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/**
 * Check the output folder `dir` for `mode`: a missing or empty folder is fine; a non-empty one is
 * a {@link UsageError} naming it, a few of its files and both flags, unless `mode` is `resume`
 * (kept as is) or `overwrite` (the entries named in `outputs` are removed; other files stay).
 */
export async function prepareOutputDir(
  dir: string,
  mode: OutputMode,
  outputs: readonly string[],
): Promise<OutputDirState> {
  const names = await entriesOf(dir);
  if (names === undefined || names.length === 0) return { kind: "empty" };
  switch (mode) {
    case "new": {
      const shown = names.slice(0, 3).map((n) => `"${n}"`).join(", ");
      const more = names.length > 3 ? `, ... (${names.length} entries)` : "";
      throw new UsageError(
        `--out "${dir}" already holds files (${shown}${more}): pass --resume to continue the run there, or --overwrite to replace its outputs`,
      );
    }
    case "resume":
      return { kind: "resume" };
    case "overwrite": {
      const removed = names.filter((n) => outputs.includes(n));
      for (const name of removed) await Deno.remove(join(dir, name), { recursive: true });
      return { kind: "overwritten", removed };
    }
    default: {
      const unreachable: never = mode;
      throw new TypeError(`Unknown output mode ${JSON.stringify(unreachable)}`);
    }
  }
}
