/**
 * Unpacking a verified download into a staging folder, by the registry's unpack kind
 * (zip | tar.gz | gz | none).
 *
 * @module
 */

import { join } from "node:path";
import type { UnpackKind } from "../registry_types.ts";
import { readByteChunks } from "../../io/mod.ts";
import { memberPath, writeChunks } from "./bytes.ts";
import { extractTar } from "./tar.ts";
import { extractZip } from "./zip.ts";

/** Options of {@linkcode unpackFile}. */
export interface UnpackOptions {
  /** How to unpack. */
  readonly kind: UnpackKind;
  /** File name of the download, as the registry gives it (`gz` strips its `.gz`). */
  readonly name: string;
  /** Move the archive instead of copying it when `kind` is `none` (it is ours to consume). */
  readonly consume: boolean;
  /** Called with each member written. */
  readonly onEntry?: (name: string) => void;
}

/** Unpack `archive` into the folder `dest` (created if needed). */
export async function unpackFile(
  archive: string,
  dest: string,
  options: UnpackOptions,
): Promise<void> {
  await Deno.mkdir(dest, { recursive: true });
  switch (options.kind) {
    case "zip":
      return await extractZip(archive, dest, options.onEntry);
    case "tar.gz":
      return await extractTar(
        readByteChunks(archive, { gzip: true }),
        dest,
        archive,
        options.onEntry,
      );
    case "gz": {
      const name = options.name.replace(/\.gz$/, "");
      await writeChunks(memberPath(dest, name, archive), readByteChunks(archive, { gzip: true }));
      options.onEntry?.(name);
      return;
    }
    case "none": {
      const target = join(dest, options.name);
      if (options.consume) await Deno.rename(archive, target);
      else await Deno.copyFile(archive, target);
      options.onEntry?.(options.name);
      return;
    }
    default: {
      const unreachable: never = options.kind;
      throw new TypeError(`Cannot unpack "${archive}": unknown kind "${unreachable}"`);
    }
  }
}
