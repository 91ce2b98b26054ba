/**
 * What a trained teacher records about how it was made: hashes (model, resolved configuration,
 * data), the engine (backend, threads, BLAS), the seed, wall time per phase and the process's peak
 * resident memory (`PeakMemory`).
 *
 * @module
 */

import type { EngineState } from "../../engine/mod.ts";

/** The engine a teacher was trained on (the part that can change its bits). */
export interface EngineSummary {
  readonly backend: string;
  readonly threads: number;
  readonly blas: {
    readonly found: boolean;
    readonly threads: number;
    /** OpenBLAS's configuration string, or why it was not found. */
    readonly detail: string;
  };
  readonly tfjsVersion: string;
}

/** The engine part of a state. */
export function engineSummary(state: EngineState): EngineSummary {
  return {
    backend: state.backend,
    threads: state.threads,
    blas: { found: state.blas.found, threads: state.blas.threads, detail: state.blas.detail },
    tfjsVersion: state.tfjsVersion,
  };
}

/** Wall time per phase, seconds. */
export interface PhaseSeconds {
  /** Data, vocabulary, tokenisation and hard negatives. */
  readonly tokenise: number;
  readonly train: number;
  /** Model directory, tokenizer and ONNX export. */
  readonly export: number;
}

/** Provenance of a trained teacher. */
export interface TeacherProvenance {
  /** `modelHash` of the saved weights. */
  readonly modelHash: string;
  /** `teacherConfigHash`: resolved settings + data checksums + code salt. */
  readonly configHash: string;
  readonly codeSalt: string;
  /** The training split's checksum (`LoadedSplit.checksum`). */
  readonly datasetChecksum: string;
  /** The dev split's checksum, or null without a dev split. */
  readonly devChecksum: string | null;
  readonly engine: EngineSummary;
  /** Data-order seed. */
  readonly seed: number;
  /** Seed of the initial weights. */
  readonly initSeed: number;
  readonly seconds: PhaseSeconds;
  /**
   * Peak resident set size of the process in bytes: the kernel's VmHWM (Linux, since the process
   * started), else the largest `Deno.memoryUsage().rss` sampled during the run.
   */
  readonly peakRssBytes: number;
}

/** Linux's high-water mark of the resident set (`VmHWM` of /proc/self/status), in bytes. */
export function kernelPeakRss(): number | null {
  let text: string;
  try {
    text = Deno.readTextFileSync("/proc/self/status");
  } catch {
    return null;
  }
  const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(text);
  return m === null ? null : Number(m[1]) * 1024;
}

/** The process's peak resident memory: sampled `rss` and, where the kernel tells, VmHWM. */
export class PeakMemory {
  #sampled = 0;

  /** Record the current resident set size. */
  sample(): void {
    this.#sampled = Math.max(this.#sampled, Deno.memoryUsage().rss);
  }

  /** The peak in bytes (the kernel's when known, else the largest sample). */
  peak(): number {
    this.sample();
    return Math.max(this.#sampled, kernelPeakRss() ?? 0);
  }
}
