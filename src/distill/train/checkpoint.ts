/**
 * Training checkpoints on disk: one directory per saved step (the model directory files, the
 * optimiser's moments as safetensors, and the trainer's state as JSON), written into a temporary
 * directory and renamed into place, then named by an atomically replaced `latest.json`, so a
 * process killed at any instant leaves the last complete checkpoint readable.
 *
 * @module
 */

import { join } from "node:path";
import { pathExists, writeFileAtomic } from "../../io/mod.ts";
import {
  loadModelDir,
  type ModelSpec,
  type NamedTensors,
  readSafetensorsFile,
  saveModelDir,
  writeSafetensorsFile,
} from "../../models/mod.ts";
import { type OptimizerState, optimizerStateFrom, optimizerTensors } from "./optimizer.ts";

/** One dev evaluation during training. */
export interface EvalRecord {
  readonly step: number;
  /** Mean value per measure name, e.g. `{ "RR@10": 0.41, "nDCG@10": 0.5 }`. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** The trainer's own state: with the weights and optimiser it determines the rest of a run. */
export interface TrainerState {
  /** Optimisation steps completed. */
  readonly step: number;
  /** Data-order seed (the batch of any step is a function of it and the step). */
  readonly seed: number;
  /** Epoch and batch of the next step (informational: derived from seed and step). */
  readonly epoch: number;
  readonly batch: number;
  /** Best dev evaluation so far, by the selection measure, or null. */
  readonly best: { readonly step: number; readonly measure: string; readonly value: number } | null;
  /** Every dev evaluation so far. */
  readonly evals: readonly EvalRecord[];
  /** Mean training loss of each completed step (for exact-resume checks and plots). */
  readonly losses: readonly number[];
}

/** A checkpoint read back. */
export interface Checkpoint {
  readonly dir: string;
  readonly spec: ModelSpec;
  readonly weights: NamedTensors;
  readonly optimizer: OptimizerState;
  readonly state: TrainerState;
}

/** What goes into a checkpoint. */
export interface CheckpointContents {
  readonly spec: ModelSpec;
  readonly weights: NamedTensors;
  readonly optimizer: OptimizerState;
  readonly state: TrainerState;
}

/** Options of {@link writeCheckpoint}. */
export interface CheckpointWriteOptions {
  /** Complete checkpoints kept (the newest); default 1. */
  readonly keep?: number;
  /**
   * Called with the temporary directory once every file is written, before it is renamed into
   * place (tests use it to kill the process mid-write).
   */
  readonly beforeCommit?: (tempDir: string) => void | Promise<void>;
}

/** Files inside a checkpoint directory (besides the model directory's). */
export const CHECKPOINT_FILES = {
  optimizer: "optimizer.safetensors",
  state: "trainer_state.json",
  latest: "latest.json",
} as const;

/** Directory name of the checkpoint of `step`. */
export function checkpointName(step: number): string {
  return `step-${String(step).padStart(8, "0")}`;
}

/**
 * Write a checkpoint under `root` and point `latest.json` at it; older checkpoints beyond `keep`
 * and stale temporary directories are removed afterwards. Returns the checkpoint's directory.
 */
export async function writeCheckpoint(
  root: string,
  contents: CheckpointContents,
  options: CheckpointWriteOptions = {},
): Promise<string> {
  const keep = options.keep ?? 1;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(`Cannot keep ${keep} checkpoints: expected a positive integer`);
  }
  await Deno.mkdir(root, { recursive: true });
  const name = checkpointName(contents.state.step);
  const final = join(root, name);
  const temp = join(root, `.${name}.${Deno.pid}.tmp`);
  await Deno.remove(temp, { recursive: true }).catch(() => {});
  await saveModelDir(temp, contents.spec, contents.weights);
  await writeSafetensorsFile(
    join(temp, CHECKPOINT_FILES.optimizer),
    optimizerTensors(contents.optimizer),
    { metadata: { step: String(contents.optimizer.step) } },
  );
  await writeFileAtomic(
    join(temp, CHECKPOINT_FILES.state),
    JSON.stringify({ ...contents.state, optimizerStep: contents.optimizer.step }) + "\n",
  );
  await options.beforeCommit?.(temp);
  if (await pathExists(final)) {
    // The same step saved before (a resumed run re-saving): identical contents, keep the old one.
    await Deno.remove(temp, { recursive: true });
  } else {
    await Deno.rename(temp, final);
  }
  await writeFileAtomic(
    join(root, CHECKPOINT_FILES.latest),
    JSON.stringify({ step: contents.state.step, dir: name }) + "\n",
  );
  const names: string[] = [];
  for await (const entry of Deno.readDir(root)) {
    if (!entry.isDirectory) continue;
    if (/^step-\d{8}$/.test(entry.name)) names.push(entry.name);
    else if (entry.name.startsWith(".step-") && entry.name.endsWith(".tmp")) {
      await Deno.remove(join(root, entry.name), { recursive: true }).catch(() => {});
    }
  }
  names.sort();
  const stale = names.filter((n) => n !== name).slice(0, Math.max(0, names.length - keep));
  for (const n of stale) await Deno.remove(join(root, n), { recursive: true });
  return final;
}

function parseState(json: unknown, source: string): TrainerState {
  const s = json as Partial<TrainerState> | null;
  if (
    s === null || typeof s !== "object" || !Number.isInteger(s.step) ||
    !Number.isInteger(s.seed) || !Array.isArray(s.evals) || !Array.isArray(s.losses)
  ) {
    throw new SyntaxError(`Cannot read the trainer state in "${source}": missing or bad fields`);
  }
  return s as TrainerState;
}

/** Read the checkpoint `latest.json` names under `root`, or undefined when there is none. */
export async function readLatestCheckpoint(root: string): Promise<Checkpoint | undefined> {
  const pointer = join(root, CHECKPOINT_FILES.latest);
  let latest: { dir?: unknown };
  try {
    latest = JSON.parse(await Deno.readTextFile(pointer));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (typeof latest.dir !== "string") {
    throw new SyntaxError(`Cannot read "${pointer}": expected a "dir" string`);
  }
  return await readCheckpoint(join(root, latest.dir));
}

/** Read one checkpoint directory. */
export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  const model = await loadModelDir(dir);
  const statePath = join(dir, CHECKPOINT_FILES.state);
  const state = parseState(JSON.parse(await Deno.readTextFile(statePath)), statePath);
  const { tensors } = await readSafetensorsFile(join(dir, CHECKPOINT_FILES.optimizer));
  return {
    dir,
    spec: model.spec,
    weights: model.weights,
    optimizer: optimizerStateFrom(tensors, state.step),
    state,
  };
}
