import assert from "node:assert/strict";
import { cellKey, formatCellId, parseCellId } from "./cell_id.ts";

Deno.test("cell ids round-trip and validate", () => {
  const cell = { method: "embeddistill", size: "1-10", mode: "asymmetric", seed: 2 };
  assert.equal(formatCellId(cell), "embeddistill/1-10/asymmetric/2");
  assert.deepEqual(parseCellId("embeddistill/1-10/asymmetric/2"), cell);
  assert.deepEqual(parseCellId("teacher/full/-"), { method: "teacher", size: "full", mode: "-" });
  assert.equal(cellKey(cell), "embeddistill/1-10/asymmetric");
  assert.throws(() => parseCellId("labels/1-10"), /expected method\/size\/mode\[\/seed\], found 2/);
  assert.throws(() => parseCellId("labels/1-10/symmetric/x"), /seed "x" is not an integer/);
  assert.throws(() => parseCellId("Labels/1-10/symmetric"), /method "Labels"/);
});
