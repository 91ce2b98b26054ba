/**
 * Learning-rate schedule: linear warm-up from 0 to the peak rate, then linear decay to 0 at the
 * last step (BERT's schedule, Devlin et al. 2019; Hugging Face `get_linear_schedule_with_warmup`).
 *
 * @module
 */

/** A linear warm-up + linear decay schedule. */
export interface LinearSchedule {
  readonly kind: "linear";
  /** Peak learning rate, reached at the end of warm-up. */
  readonly peak: number;
  /** Steps of linear warm-up (0 = start at the peak). */
  readonly warmupSteps: number;
  /** Total optimisation steps; the rate reaches 0 after the last one. */
  readonly totalSteps: number;
}

/** A constant learning rate (tests, short fine-tuning). */
export interface ConstantSchedule {
  readonly kind: "constant";
  readonly rate: number;
}

/** Any learning-rate schedule, discriminated by `kind`. */
export type Schedule = LinearSchedule | ConstantSchedule;

/** Throw a RangeError when a schedule's numbers cannot describe a schedule. */
export function validateSchedule(schedule: Schedule): void {
  switch (schedule.kind) {
    case "linear": {
      const { peak, warmupSteps, totalSteps } = schedule;
      if (!(peak > 0 && Number.isFinite(peak))) {
        throw new RangeError(`Cannot use a learning rate of ${peak}: expected a positive number`);
      }
      if (!Number.isInteger(totalSteps) || totalSteps < 1) {
        throw new RangeError(`Cannot schedule ${totalSteps} steps: expected a positive integer`);
      }
      if (!Number.isInteger(warmupSteps) || warmupSteps < 0 || warmupSteps > totalSteps) {
        throw new RangeError(
          `Cannot use ${warmupSteps} warm-up steps: expected an integer in [0, ${totalSteps}]`,
        );
      }
      return;
    }
    case "constant":
      if (!(schedule.rate >= 0 && Number.isFinite(schedule.rate))) {
        throw new RangeError(
          `Cannot use a learning rate of ${schedule.rate}: expected a finite number >= 0`,
        );
      }
      return;
    default: {
      const unreachable: never = schedule;
      throw new TypeError(`Unknown schedule ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Learning rate of optimisation step `step` (0-based: the rate used for the first update is
 * `learningRate(s, 0)`). Linear: `peak * (step + 1) / warmup` during warm-up, then
 * `peak * (total - step) / (total - warmup)`, as Hugging Face's `LambdaLR` applied after each
 * update (the first update uses rate 0 there; here it uses `peak / warmup` so no step is wasted).
 */
export function learningRate(schedule: Schedule, step: number): number {
  switch (schedule.kind) {
    case "linear": {
      const { peak, warmupSteps, totalSteps } = schedule;
      if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
      return Math.max(0, (peak * (totalSteps - step)) / Math.max(1, totalSteps - warmupSteps));
    }
    case "constant":
      return schedule.rate;
    default: {
      const unreachable: never = schedule;
      throw new TypeError(`Unknown schedule ${JSON.stringify(unreachable)}`);
    }
  }
}
