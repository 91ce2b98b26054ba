import assert from "node:assert/strict";
import {
  decodeFloat16,
  encodeFloat16,
  float16BitsToFloat32,
  float32ToFloat16Bits,
} from "./float16.ts";

// Bit patterns computed by hand from the binary16 layout (1 sign, 5 exponent bits biased by 15,
// 10 mantissa bits; subnormal unit 2^-24).
const CASES: readonly [number, number, string][] = [
  [1, 0x3c00, "one"],
  [-2, 0xc000, "minus two"],
  [0.5, 0x3800, "one half"],
  [0, 0x0000, "zero"],
  [-0, 0x8000, "negative zero"],
  [65504, 0x7bff, "largest finite"],
  [65519, 0x7bff, "just below the overflow tie"],
  [65520, 0x7c00, "overflow tie rounds to even, i.e. infinity"],
  [1e6, 0x7c00, "overflow"],
  [-Infinity, 0xfc00, "negative infinity"],
  [2 ** -14, 0x0400, "smallest normal"],
  [2 ** -14 - 2 ** -25, 0x0400, "tie below the smallest normal rounds up to even 0x400"],
  [2 ** -24, 0x0001, "smallest subnormal"],
  [2 ** -25, 0x0000, "half the smallest subnormal: tie to even zero"],
  [1.5 * 2 ** -25, 0x0001, "0.75 units rounds up"],
  [3 * 2 ** -25, 0x0002, "1.5 units: tie to even 2"],
  [5 * 2 ** -25, 0x0002, "2.5 units: tie to even 2"],
  [2 ** -26, 0x0000, "underflow"],
  [1 + 2 ** -11, 0x3c00, "tie between 0x3c00 and 0x3c01 goes to even 0x3c00"],
  [1 + 3 * 2 ** -11, 0x3c02, "tie between 0x3c01 and 0x3c02 goes to even 0x3c02"],
  [1 + 2 ** -11 + 2 ** -20, 0x3c01, "just above the tie rounds up"],
  [2047.9999, 0x6800, "mantissa carry into the exponent (2048)"],
  [0.1, 0x2e66, "0.1 rounds to 0.0999755859375"],
  [1 / 3, 0x3555, "one third"],
  [-65504, 0xfbff, "most negative finite"],
];

Deno.test("float32ToFloat16Bits matches hand-computed bit patterns", () => {
  for (const [value, bits, label] of CASES) {
    assert.equal(float32ToFloat16Bits(value), bits, `${label}: ${value}`);
  }
});

Deno.test("float32ToFloat16Bits maps NaN to a quiet NaN", () => {
  const bits = float32ToFloat16Bits(NaN);
  assert.equal(bits & 0x7c00, 0x7c00);
  assert.notEqual(bits & 0x3ff, 0);
  assert.ok(Number.isNaN(float16BitsToFloat32(bits)));
});

Deno.test("float16BitsToFloat32 decodes hand-computed values", () => {
  assert.equal(float16BitsToFloat32(0x3c00), 1);
  assert.equal(float16BitsToFloat32(0xc000), -2);
  assert.equal(float16BitsToFloat32(0x7bff), 65504);
  assert.equal(float16BitsToFloat32(0x0001), 2 ** -24);
  assert.equal(float16BitsToFloat32(0x03ff), 1023 * 2 ** -24);
  assert.equal(float16BitsToFloat32(0x2e66), 0.0999755859375);
  assert.equal(float16BitsToFloat32(0x7c00), Infinity);
  assert.ok(Object.is(float16BitsToFloat32(0x8000), -0));
});

Deno.test("every finite half round-trips through float32 bit-exactly", () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const decoded = decodeFloat16(all);
  const encoded = encodeFloat16(decoded);
  for (let b = 0; b < 65536; b++) {
    const isNaN = (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0;
    if (!isNaN) assert.equal(encoded[b], b, `bits 0x${b.toString(16)}`);
  }
});

Deno.test("encodeFloat16 agrees with the runtime's Float16Array on random float32 values", {
  ignore: typeof (globalThis as Record<string, unknown>)["Float16Array"] !== "function",
}, () => {
  const Half = (globalThis as Record<string, unknown>)["Float16Array"] as new (
    n: number,
  ) => { [i: number]: number; buffer: ArrayBuffer };
  let seed = 12345;
  const values = new Float32Array(20000);
  const u32 = new Uint32Array(values.buffer);
  for (let i = 0; i < u32.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    // Exponents spread over the half range and beyond, random mantissas (ties included by chance).
    const exponent = 127 - 28 + (seed % 48);
    u32[i] = ((seed >>> 31) << 31) | (exponent << 23) | ((seed * 7919) & 0x7fffff);
  }
  const reference = new Half(values.length);
  for (let i = 0; i < values.length; i++) reference[i] = values[i]!;
  const referenceBits = new Uint16Array(reference.buffer);
  const ours = encodeFloat16(values);
  for (let i = 0; i < values.length; i++) {
    assert.equal(ours[i], referenceBits[i], `value ${values[i]}`);
  }
});
