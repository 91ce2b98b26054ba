/**
 * Running a bench and its reference interleaved in one process: warm-up rounds, then rounds of
 * bench, reference, bench, reference, ... each timed on its own, so that a slow spell of the
 * machine hits both sides of a round and cancels in their ratio.
 *
 * @module
 */

import { type RatioSummary, summariseRatios } from "./stats.ts";

/** Something to time: one call is one sample. */
export interface Timed {
  run(): void | Promise<void>;
}

/** A millisecond clock (performance.now in real runs; a fake one in the decision tests). */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const PERFORMANCE_CLOCK: Clock = { now: () => performance.now() };

/** How many rounds. */
export interface InterleaveOptions {
  /** Untimed rounds first (default 1). */
  readonly warmup?: number;
  /** Timed rounds (>= 1). */
  readonly repeats: number;
  readonly clock?: Clock;
}

/** The per-round times and their summary. */
export interface Interleaved extends RatioSummary {
  readonly benchMs: readonly number[];
  readonly referenceMs: readonly number[];
}

async function time(clock: Clock, target: Timed): Promise<number> {
  const start = clock.now();
  await target.run();
  return clock.now() - start;
}

/** Time `bench` and `reference` in alternation (bench first in every round). */
export async function interleave(
  bench: Timed,
  reference: Timed,
  options: InterleaveOptions,
): Promise<Interleaved> {
  if (!(Number.isInteger(options.repeats) && options.repeats >= 1)) {
    throw new RangeError(`Cannot interleave ${options.repeats} repeats: expected an integer >= 1`);
  }
  const clock = options.clock ?? PERFORMANCE_CLOCK;
  for (let i = 0; i < (options.warmup ?? 1); i++) {
    await bench.run();
    await reference.run();
  }
  const benchMs: number[] = [];
  const referenceMs: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    benchMs.push(await time(clock, bench));
    referenceMs.push(await time(clock, reference));
  }
  return { ...summariseRatios(benchMs, referenceMs), benchMs, referenceMs };
}
