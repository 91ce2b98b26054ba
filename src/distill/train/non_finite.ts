/**
 * `NonFiniteLossError`, the one error of every training path when the loss or the gradient norm
 * stops being finite.
 *
 * @module
 */

/** Thrown when the loss or the gradient norm stops being finite; training stops at that step. */
export class NonFiniteLossError extends Error {
  /** The step (1-based) whose loss was not finite. */
  readonly step: number;
  /** The last checkpoint written, or null. */
  readonly lastCheckpoint: string | null;

  /** See the fields. */
  constructor(message: string, step: number, lastCheckpoint: string | null) {
    super(message);
    this.name = "NonFiniteLossError";
    this.step = step;
    this.lastCheckpoint = lastCheckpoint;
  }
}
