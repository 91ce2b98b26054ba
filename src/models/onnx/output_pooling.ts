/**
 * Pooling and normalisation of an ONNX encoder's raw output outside the graph: `cls` / `mean`
 * over right-padded [batch, seq, hidden] token states, or a graph-pooled [batch, dim] output
 * taken as is; then optional L2 normalisation.
 *
 * @module
 */

import type { EncoderPooling } from "./encoder_config.ts";

/**
 * One embedding per row from output `data` of shape `dims`. Rows are right-padded: row b has
 * `lengths[b]` tokens. `cls` takes token 0; `mean` averages the row's tokens in float64
 * (sentence-transformers' mean pooling); `none` expects [batch, dim]. `output` names the output
 * in errors.
 */
export function poolEncoderOutput(
  data: Float32Array,
  dims: readonly number[],
  lengths: readonly number[],
  pooling: EncoderPooling,
  output: string,
): Float32Array {
  const batch = lengths.length;
  if (pooling === "none") {
    if (dims.length !== 2 || dims[0] !== batch) {
      throw new TypeError(
        `Cannot use output "${output}" with pooling "none": expected [${batch}, dim], found [${dims}]`,
      );
    }
    return data.slice();
  }
  const seq = Math.max(...lengths);
  if (dims.length !== 3 || dims[0] !== batch || dims[1] !== seq) {
    throw new TypeError(
      `Cannot ${pooling}-pool output "${output}": expected [${batch}, ${seq}, hidden], found [${dims}]`,
    );
  }
  const h = dims[2]!;
  const out = new Float32Array(batch * h);
  for (let b = 0; b < batch; b++) {
    const row = b * seq * h;
    switch (pooling) {
      case "cls":
        out.set(data.subarray(row, row + h), b * h);
        break;
      case "mean": {
        const n = lengths[b]!;
        const sum = new Float64Array(h);
        for (let t = 0; t < n; t++) {
          for (let i = 0; i < h; i++) sum[i]! += data[row + t * h + i]!;
        }
        for (let i = 0; i < h; i++) out[b * h + i] = sum[i]! / Math.max(n, 1e-9);
        break;
      }
      default: {
        const never: never = pooling;
        throw new TypeError(`Cannot pool with ${JSON.stringify(never)}`);
      }
    }
  }
  return out;
}

/** L2-normalise each row in place: x / max(||x||, 1e-12) (`torch.nn.functional.normalize`). */
export function normalizeRows(vectors: Float32Array, rows: number): Float32Array {
  const dims = vectors.length / rows;
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let i = 0; i < dims; i++) sq += vectors[r * dims + i]! ** 2;
    const scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
    for (let i = 0; i < dims; i++) vectors[r * dims + i]! *= scale;
  }
  return vectors;
}
