import { deepStrictEqual, throws } from "node:assert/strict";
import { pairTruncationLengths } from "./truncation.ts";

Deno.test("longest_first matches the Rust tokenizers table (budget 7)", () => {
  // Lengths 0 / 2 / 4 / 8 against each other, expected kept lengths from the Rust crate's
  // `truncate_encodings_longest_first` test.
  const cases: [number, number, number, number][] = [
    [0, 0, 0, 0],
    [0, 2, 0, 2],
    [0, 4, 0, 4],
    [0, 8, 0, 7],
    [2, 0, 2, 0],
    [2, 2, 2, 2],
    [2, 4, 2, 4],
    [2, 8, 2, 5],
    [4, 0, 4, 0],
    [4, 2, 4, 2],
    [4, 4, 3, 4],
    [4, 8, 3, 4],
    [8, 0, 7, 0],
    [8, 2, 5, 2],
    [8, 4, 4, 3],
    [8, 8, 3, 4],
  ];
  for (const [a, b, n1, n2] of cases) {
    deepStrictEqual(pairTruncationLengths(a, b, 7, "longest_first"), [n1, n2], `${a}, ${b}`);
  }
  deepStrictEqual(pairTruncationLengths(5, 9, 0, "longest_first"), [0, 0]);
});

Deno.test("only_first / only_second cut one side; too short is an error", () => {
  deepStrictEqual(pairTruncationLengths(10, 4, 8, "only_first"), [4, 4]);
  deepStrictEqual(pairTruncationLengths(4, 10, 8, "only_second"), [4, 4]);
  deepStrictEqual(pairTruncationLengths(3, 3, 8, "only_second"), [3, 3]);
  throws(() => pairTruncationLengths(2, 10, 8, "only_first"), RangeError);
  throws(() => pairTruncationLengths(2, 2, -1, "longest_first"), RangeError);
});
