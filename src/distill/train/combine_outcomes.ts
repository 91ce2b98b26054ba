/**
 * One step's outcome from two batches (the labelled batch and a generated one): losses added,
 * gradients summed per variable, the second batch's terms reported under a prefix.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { StepOutcome } from "./trainable.ts";

/** Prefix of the generated batch's terms in step reports. */
export const GENERATED_TERM_PREFIX = "qg/";

/**
 * `first` and `second` as one outcome: loss and gradients summed (a variable missing from one
 * side keeps the other's gradient), `second`'s terms renamed `<prefix><name>`, `first`'s
 * agreement. Takes ownership of both outcomes' gradients (disposed or moved into the result).
 */
export function combineOutcomes(
  first: StepOutcome,
  second: StepOutcome,
  prefix: string = GENERATED_TERM_PREFIX,
): StepOutcome {
  const gradients = new Map<string, tf.Tensor>();
  for (const [name, g] of first.gradients) {
    const other = second.gradients.get(name);
    if (other === undefined) {
      gradients.set(name, g);
      continue;
    }
    gradients.set(name, tf.add(g, other));
    g.dispose();
    other.dispose();
  }
  for (const [name, g] of second.gradients) if (!first.gradients.has(name)) gradients.set(name, g);
  const terms: Record<string, number> = { ...first.terms };
  for (const [name, value] of Object.entries(second.terms)) terms[`${prefix}${name}`] = value;
  return {
    loss: first.loss + second.loss,
    terms,
    gradients,
    ...(first.agreement === undefined ? {} : { agreement: first.agreement }),
  };
}
