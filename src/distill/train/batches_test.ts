import assert from "node:assert/strict";
import { batchesPerEpoch, BatchOrder, dataPosition } from "./batches.ts";

Deno.test("each epoch visits a permutation in full batches, reproducibly", () => {
  const order = new BatchOrder(10, 3, 7);
  assert.equal(batchesPerEpoch(10, 3), 3);
  const epoch0 = [0, 1, 2].flatMap((s) => order.batch(s));
  const epoch1 = [3, 4, 5].flatMap((s) => order.batch(s));
  assert.equal(new Set(epoch0).size, 9);
  assert.equal(new Set(epoch1).size, 9);
  assert.notDeepEqual(epoch0, epoch1);
  // A fresh order (as after a resume) gives the same batch for any step, in any visiting order.
  const again = new BatchOrder(10, 3, 7);
  assert.deepEqual(again.batch(4), order.batch(4));
  assert.deepEqual(again.batch(1), epoch0.slice(3, 6));
  assert.notDeepEqual(new BatchOrder(10, 3, 8).batch(0), order.batch(0));
});

Deno.test("data position and too-small data", () => {
  assert.deepEqual(dataPosition(10, 3, 7), { epoch: 2, batch: 1 });
  assert.throws(() => new BatchOrder(2, 3, 1), RangeError);
  assert.throws(() => batchesPerEpoch(10, 0), RangeError);
});
