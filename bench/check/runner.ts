/**
 * The real measurer of the check: each case prepared once per process (a re-run reuses it), then
 * timed interleaved with its reference, after warm-up, at the check's threads.
 *
 * @module
 */

import { BENCH_CASES, type BenchCase, type PreparedCase, reference } from "../cases/mod.ts";
import type { Measurement } from "./check.ts";
import { interleave } from "./interleave.ts";

/** How the cases are timed. */
export interface RunnerOptions {
  readonly threads: number;
  readonly repeats: number;
  readonly warmup: number;
  readonly tempDir: string;
  readonly log?: (line: string) => void;
}

/** A measurer over the registry's cases, and the disposal of what it prepared. */
export interface CaseRunner {
  measure(name: string): Promise<Measurement>;
  dispose(): Promise<void>;
}

/** A runner of the registry's cases with `options`. */
export function caseRunner(
  options: RunnerOptions,
  cases: readonly BenchCase[] = BENCH_CASES,
): CaseRunner {
  const prepared = new Map<string, PreparedCase>();
  return {
    async measure(name) {
      const benchCase = cases.find((c) => c.name === name);
      if (benchCase === undefined) throw new RangeError(`Cannot measure unknown bench "${name}"`);
      let ready = prepared.get(name);
      if (ready === undefined) {
        const t0 = performance.now();
        ready = await benchCase.prepare({ threads: options.threads, tempDir: options.tempDir });
        prepared.set(name, ready);
        options.log?.(
          `${name}: prepared in ${
            ((performance.now() - t0) / 1000).toFixed(1)
          } s (${ready.workload})`,
        );
      }
      const ref = reference(benchCase.reference, options.threads);
      const repeats = Math.min(options.repeats, benchCase.maxRepeats ?? Infinity);
      const t0 = performance.now();
      const result = await interleave({ run: ready.run }, ref, { repeats, warmup: options.warmup });
      options.log?.(
        `${name}: ratio ${result.ratio.toFixed(3)} (median ${
          result.medianMs.toFixed(1)
        } ms / ${ref.name} ${result.referenceMedianMs.toFixed(1)} ms), spread ${
          result.spread.toFixed(2)
        }, ${repeats} repeats in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      return {
        bench: name,
        workload: ready.workload,
        medianMs: result.medianMs,
        referenceMedianMs: result.referenceMedianMs,
        ratio: result.ratio,
        spread: result.spread,
        repeats: result.repeats,
        reference: ref.name,
        backend: ready.backend,
        threads: options.threads,
        // A case timed against a BLAS reference depends on that BLAS too.
        blas: ready.blas ?? ref.blas,
      };
    },
    async dispose() {
      for (const p of prepared.values()) await p.dispose?.();
      prepared.clear();
    },
  };
}
