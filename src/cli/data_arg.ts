/**
 * The `--data ID|DIR` argument every command takes: a dataset id of datasets.lock as given, else a
 * BEIR folder relative to the directory the user ran the task from; and the train / dev splits a
 * training command reads from it.
 *
 * @module
 */

import {
  type LoadedSplit,
  loadRegistry,
  loadSplit,
  type LoadSplitOptions,
  resolveSplitSource,
  type SplitSource,
} from "../data/mod.ts";
import { userPath } from "./command_args.ts";

/** A `--data` value: a datasets.lock id, else a folder relative to where the user ran the task. */
export async function dataSource(
  text: string,
  options: LoadSplitOptions = {},
): Promise<SplitSource> {
  const registry = options.registry ?? await loadRegistry();
  if (registry.datasets.some((d) => d.id === text)) return { kind: "dataset", id: text };
  return await resolveSplitSource(userPath(text), { ...options, registry });
}

/**
 * The training split and the dev split of `source`: `dev` names one (an error when absent), null
 * none, `auto` the `dev` split when the data has one.
 */
export async function trainAndDev(
  source: SplitSource,
  split: string,
  dev: string | null | "auto",
  options: LoadSplitOptions = {},
): Promise<{ readonly train: LoadedSplit; readonly dev?: LoadedSplit }> {
  const train = await loadSplit(source, split, options);
  if (dev === null) return { train };
  if (dev !== "auto") return { train, dev: await loadSplit(source, dev, options) };
  try {
    return { train, dev: await loadSplit(source, "dev", options) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof RangeError) return { train };
    throw error;
  }
}
