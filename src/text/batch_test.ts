import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { padBatch } from "./batch.ts";

const A = { ids: [101, 7592, 102], tokenTypeIds: [0, 0, 0] };
const B = { ids: [101, 7592, 102, 2088, 102], tokenTypeIds: [0, 0, 0, 1, 1] };

Deno.test("pads to the longest sequence, row-major, mask and lengths", () => {
  const b = padBatch([A, B], { kind: "longest" }, 0);
  deepStrictEqual(b.shape, [2, 5]);
  deepStrictEqual([...b.inputIds], [101, 7592, 102, 0, 0, 101, 7592, 102, 2088, 102]);
  deepStrictEqual([...b.attentionMask], [1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
  deepStrictEqual([...b.tokenTypeIds], [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  deepStrictEqual([...b.lengths], [3, 5]);
  // The arrays are read-only to callers but usable where an Int32Array is expected.
  const asTyped: Int32Array = b.inputIds;
  strictEqual(asTyped.length, 10);
  // @ts-expect-error: batch arrays are readonly
  b.inputIds[0] = 1;
});

Deno.test("multipleOf rounds up, fixed pads to a length, pad id is used", () => {
  strictEqual(padBatch([A, B], { kind: "longest", multipleOf: 8 }, 0).seqLength, 8);
  const f = padBatch([A], { kind: "fixed", length: 6 }, 9);
  deepStrictEqual([...f.inputIds], [101, 7592, 102, 9, 9, 9]);
  throws(() => padBatch([B], { kind: "fixed", length: 4 }, 0), RangeError);
  throws(() => padBatch([B], { kind: "longest", multipleOf: 0 }, 0), RangeError);
  deepStrictEqual(padBatch([], { kind: "longest" }, 0).shape, [0, 0]);
});
