/**
 * IEEE 754 binary16 (half precision) conversion: float32 to float16 bits with
 * round-to-nearest-even, and float16 bits back to float32 (fp16 embedding stores, F16
 * safetensors).
 *
 * @module
 */

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/**
 * The binary16 bit pattern nearest to `value` (IEEE 754-2008 §4.3.1 roundTiesToEven): values
 * beyond the largest finite half (65504) round to infinity once they reach 65520, tiny values
 * become subnormals or signed zero, and NaN becomes a quiet NaN (0x7e00 with the sign kept).
 * `value` is first rounded to float32, as a Float32Array store would.
 */
export function float32ToFloat16Bits(value: number): number {
  scratchF32[0] = value;
  const bits = scratchU32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00;
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: the value in units of 2^-24 is (1.mantissa) >> (14 - halfExponent).
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    let quotient = full >>> shift;
    const remainder = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && (quotient & 1) === 1)) quotient++;
    return sign | quotient;
  }
  let half = sign | (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // A carry out of the mantissa bumps the exponent, and from 0x7bff reaches infinity (0x7c00).
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half++;
  return half;
}

/** The float32 value of binary16 bits (exact: every half is representable in float32). */
export function float16BitsToFloat32(bits: number): number {
  const sign = (bits & 0x8000) !== 0 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let decodeTable: Float32Array | undefined;

/** The float32 value of every binary16 bit pattern (built once, 256 KB). */
export function float16Table(): Float32Array {
  if (decodeTable === undefined) {
    decodeTable = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) decodeTable[b] = float16BitsToFloat32(b);
  }
  return decodeTable;
}

/** Convert a float32 array to binary16 bits (round-to-nearest-even), into `out` if given. */
export function encodeFloat16(values: Float32Array, out?: Uint16Array): Uint16Array {
  const target = out ?? new Uint16Array(values.length);
  if (target.length < values.length) {
    throw new RangeError(
      `Cannot encode ${values.length} values to float16: output holds only ${target.length}`,
    );
  }
  for (let i = 0; i < values.length; i++) target[i] = float32ToFloat16Bits(values[i]!);
  return target;
}

/** Convert binary16 bits to float32 values (table lookup), into `out` if given. */
export function decodeFloat16(bits: Uint16Array, out?: Float32Array): Float32Array {
  const target = out ?? new Float32Array(bits.length);
  if (target.length < bits.length) {
    throw new RangeError(
      `Cannot decode ${bits.length} float16 values: output holds only ${target.length}`,
    );
  }
  const table = float16Table();
  for (let i = 0; i < bits.length; i++) target[i] = table[bits[i]!]!;
  return target;
}
