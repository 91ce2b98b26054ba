/**
 * Pair truncation: how many tokens of each sequence of a pair are kept under a total budget
 * (HF `tokenizers` `truncate_encodings`).
 *
 * @module
 */

/**
 * Which side of a pair loses tokens: `longest_first` shares the budget (the shorter sequence is
 * kept whole when it fits in half), `only_first` / `only_second` cut one side only.
 */
export type TruncationStrategy = "longest_first" | "only_first" | "only_second";

/**
 * The lengths to keep of a pair of sequences of `first` and `second` tokens so that together they
 * have at most `budget` tokens (special tokens excluded). Follows the Rust `tokenizers`
 * `truncate_encodings`: for `longest_first`, with n1 <= n2 the lengths, keep (n1, budget - n1) when
 * n1 <= budget / 2, else (floor(budget / 2), ceil(budget / 2)) with the ceiling going to the
 * longer sequence, or to the second on a tie. Throws a RangeError when `only_first` / `only_second`
 * cannot remove enough tokens from its side (Rust `SequenceTooShort`).
 *
 * @example
 * ```ts
 * pairTruncationLengths(4, 8, 7, "longest_first"); // [3, 4]
 * ```
 */
export function pairTruncationLengths(
  first: number,
  second: number,
  budget: number,
  strategy: TruncationStrategy,
): readonly [number, number] {
  if (!Number.isInteger(budget) || budget < 0) {
    throw new RangeError(
      `Cannot truncate a pair: budget must be a non-negative integer, found ${budget}`,
    );
  }
  const total = first + second;
  if (total <= budget) return [first, second];
  const excess = total - budget;
  switch (strategy) {
    case "longest_first": {
      const swap = first > second;
      let n1 = swap ? second : first;
      let n2: number;
      n2 = n1 > budget ? n1 : Math.max(n1, budget - n1);
      if (n1 + n2 > budget) {
        n1 = Math.floor(budget / 2);
        n2 = n1 + (budget % 2);
      }
      return swap ? [n2, n1] : [n1, n2];
    }
    case "only_first":
    case "only_second": {
      const side = strategy === "only_first" ? first : second;
      if (side <= excess) {
        throw new RangeError(
          `Cannot truncate a pair with "${strategy}": ${excess} tokens must go but that side has ${side}`,
        );
      }
      return strategy === "only_first" ? [first - excess, second] : [first, second - excess];
    }
    default: {
      const never: never = strategy;
      throw new TypeError(`Unknown truncation strategy "${String(never)}"`);
    }
  }
}
