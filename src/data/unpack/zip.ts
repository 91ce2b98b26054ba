/**
 * Streaming zip extraction with fflate's `Unzip` (local headers, stored and DEFLATE members):
 * the archive is pushed in 64 KiB pieces and each piece's output is written before the next is
 * pushed, so memory stays bounded for multi-GB BEIR corpora.
 *
 * @module
 */

import { Unzip, UnzipInflate } from "fflate";
import { dirname } from "node:path";
import { memberPath } from "./bytes.ts";
import { writeAll } from "../../io/mod.ts";

/**
 * Extract the zip at `archive` into `dest`. `onEntry` is called with each file member's name.
 * Unsafe member paths and unsupported compression methods are SyntaxErrors.
 */
export async function extractZip(
  archive: string,
  dest: string,
  onEntry?: (name: string) => void,
): Promise<void> {
  let pending: Promise<void> = Promise.resolve();
  let failure: unknown;
  const chain = (step: () => Promise<void>) => {
    pending = pending.then(() => failure === undefined ? step() : undefined).catch((error) => {
      failure ??= error;
    });
  };
  const unzip = new Unzip((member) => {
    if (member.name.endsWith("/")) {
      chain(async () => {
        await Deno.mkdir(memberPath(dest, member.name, archive), { recursive: true });
      });
      return;
    }
    let file: Deno.FsFile | undefined;
    chain(async () => {
      const path = memberPath(dest, member.name, archive);
      await Deno.mkdir(dirname(path), { recursive: true });
      file = await Deno.open(path, { write: true, createNew: true });
    });
    member.ondata = (error, data, final) => {
      if (error !== null) {
        failure ??= new SyntaxError(
          `Cannot unpack "${archive}": member "${member.name}": ${error.message}`,
        );
        return;
      }
      const bytes = data.slice();
      chain(async () => {
        await writeAll(file!, bytes);
        if (final) {
          file!.close();
          file = undefined;
          onEntry?.(member.name);
        }
      });
    };
    try {
      member.start();
    } catch (error) {
      failure ??= new SyntaxError(
        `Cannot unpack "${archive}": member "${member.name}" uses unsupported compression method ${member.compression}: ${
          (error as Error).message
        }`,
      );
    }
  });
  unzip.register(UnzipInflate);

  using input = await Deno.open(archive, { read: true });
  const buffer = new Uint8Array(64 * 1024);
  while (failure === undefined) {
    const n = await input.read(buffer);
    if (n === null) break;
    try {
      unzip.push(buffer.slice(0, n), false);
    } catch (error) {
      failure ??= new SyntaxError(`Cannot unpack "${archive}": ${(error as Error).message}`);
    }
    await pending;
  }
  if (failure === undefined) {
    unzip.push(new Uint8Array(0), true);
    await pending;
  }
  if (failure !== undefined) throw failure;
}
