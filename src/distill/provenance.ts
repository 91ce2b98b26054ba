/**
 * What a `distill` run records about how its student was made: the student's model hash, the
 * hash of the resolved settings (canonical JSON), the teacher's hash, the dataset checksum when
 * the caller knows it, the engine, the seed, wall time per phase and peak resident memory. The
 * engine summary and the memory probe are the teacher's (teacher/provenance.ts).
 *
 * @module
 */

import { engineState, initEngine } from "../engine/mod.ts";
import { canonicalJson, sha256Text } from "../io/mod.ts";
import { type EngineSummary, engineSummary } from "./teacher/mod.ts";

/** Wall time per phase of a `distill` run, seconds. */
export interface DistillPhaseSeconds {
  /** The teacher's signal: tokenisation, cached embeddings or CE scores, query generation. */
  readonly prepare: number;
  readonly train: number;
  /** Model directory, tokenizer, document embeddings and ONNX export. */
  readonly export: number;
}

/** Provenance of a distilled student. */
export interface DistillProvenance {
  /** `modelHash` of the saved student (the best dev checkpoint, else the last step). */
  readonly modelHash: string;
  /** SHA-256 of the canonical JSON of the run's resolved settings (`DistillSettings`). */
  readonly configHash: string;
  /** `modelHash` of the teacher (dual encoder or cross-encoder). */
  readonly teacherHash: string;
  /** The dataset's checksum as the caller gave it (`DistillConfig.datasetChecksum`), else null. */
  readonly datasetChecksum: string | null;
  readonly engine: EngineSummary;
  /** Data-order seed. */
  readonly seed: number;
  readonly seconds: DistillPhaseSeconds;
  /**
   * Peak resident set size of the process in bytes: the kernel's VmHWM (Linux, since the process
   * started), else the largest `Deno.memoryUsage().rss` sampled at the phases' ends.
   */
  readonly peakRssBytes: number;
}

/** SHA-256 (hex) of the canonical JSON of resolved settings. */
export function settingsHash(settings: unknown): string {
  return sha256Text(canonicalJson(settings));
}

/** The engine as it runs now (initialised with its defaults if nothing initialised it). */
export async function currentEngineSummary(): Promise<EngineSummary> {
  return engineSummary(engineState() ?? await initEngine());
}
