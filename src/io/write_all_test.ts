import assert from "node:assert/strict";
import { writeAll } from "./write_all.ts";

Deno.test("writeAll keeps writing until a writer that takes 3 bytes at a time has everything", async () => {
  const received: number[] = [];
  const writer = {
    write: (bytes: Uint8Array) => {
      const taken = bytes.subarray(0, 3);
      received.push(...taken);
      return Promise.resolve(taken.length);
    },
  };
  await writeAll(writer, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  assert.deepEqual(received, [1, 2, 3, 4, 5, 6, 7, 8]);
});
