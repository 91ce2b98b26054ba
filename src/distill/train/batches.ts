/**
 * The order training examples are visited in: each epoch a fresh seeded shuffle, batches cut in
 * order (the last incomplete batch dropped), so the batch of any step is a pure function of the
 * seed and the step, which is all the data-order state a checkpoint needs.
 *
 * @module
 */

import { deriveSeed, seededRandom, shuffled } from "../../engine/mod.ts";

/** Where a step falls in the data. */
export interface DataPosition {
  readonly epoch: number;
  /** Batch index inside the epoch. */
  readonly batch: number;
}

/** Full batches per epoch; throws RangeError when there are fewer examples than one batch. */
export function batchesPerEpoch(examples: number, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Cannot use batch size ${batchSize}: expected a positive integer`);
  }
  const n = Math.floor(examples / batchSize);
  if (n < 1) {
    throw new RangeError(
      `Cannot form a batch of ${batchSize} from ${examples} training examples: expected at least ${batchSize}`,
    );
  }
  return n;
}

/** The epoch and batch of a (0-based) step. */
export function dataPosition(examples: number, batchSize: number, step: number): DataPosition {
  const per = batchesPerEpoch(examples, batchSize);
  return { epoch: Math.floor(step / per), batch: step % per };
}

/**
 * Example indices of each step's batch: epoch `e` visits a Fisher-Yates shuffle seeded by
 * `deriveSeed(seed, "order/epoch-e")`. Keeps the current epoch's order to avoid reshuffling.
 */
export class BatchOrder {
  readonly #examples: number;
  readonly #batchSize: number;
  readonly #seed: number;
  #epoch = -1;
  #order: number[] = [];

  /** Order `examples` examples in batches of `batchSize`, seeded by `seed`. */
  constructor(examples: number, batchSize: number, seed: number) {
    batchesPerEpoch(examples, batchSize);
    this.#examples = examples;
    this.#batchSize = batchSize;
    this.#seed = seed;
  }

  /** Example indices of step `step`'s batch. */
  batch(step: number): number[] {
    const { epoch, batch } = dataPosition(this.#examples, this.#batchSize, step);
    if (epoch !== this.#epoch) {
      const all = Array.from({ length: this.#examples }, (_, i) => i);
      this.#order = shuffled(all, seededRandom(deriveSeed(this.#seed, `order/epoch-${epoch}`)));
      this.#epoch = epoch;
    }
    return this.#order.slice(batch * this.#batchSize, (batch + 1) * this.#batchSize);
  }
}
