import { ok } from "node:assert/strict";
import { erf } from "./erf.ts";
import { geluSimd, geluSimdModule } from "./gelu_simd.ts";

Deno.test("the hand-assembled SIMD module validates", () => {
  ok(WebAssembly.validate(geluSimdModule()));
});

Deno.test("SIMD GELU, Phi and GELU' match float64 on [-12, 12] (tails included)", () => {
  const memory = new WebAssembly.Memory({ initial: 40 });
  const kernels = geluSimd(memory);
  ok(kernels !== undefined);
  const n = 100_003; // not a multiple of 4: the last 3 elements must stay untouched
  const f = new Float32Array(memory.buffer);
  const [x, y, cdf, dy, dx] = [0, n, 2 * n, 3 * n, 4 * n];
  for (let i = 0; i < n; i++) {
    f[x + i] = -12 + (24 * i) / n;
    f[dy + i] = 1 + (i % 7) / 7;
    f[y + i] = Number.NaN;
    f[dx + i] = Number.NaN;
  }
  kernels.forward(4 * x, 4 * y, 4 * cdf, n);
  kernels.backward(4 * dy, 4 * x, 4 * cdf, 4 * dx, n);
  const done = n - (n % 4);
  let [eCdf, eY, eDx] = [0, 0, 0];
  for (let i = 0; i < done; i++) {
    const v = f[x + i]!;
    const phi = 0.5 * (1 + erf(v / Math.SQRT2));
    const pdf = Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
    eCdf = Math.max(eCdf, Math.abs(f[cdf + i]! - phi));
    eY = Math.max(eY, Math.abs(f[y + i]! - v * phi) / Math.max(1, Math.abs(v)));
    eDx = Math.max(eDx, Math.abs(f[dx + i]! - f[dy + i]! * (phi + v * pdf)));
  }
  ok(eCdf < 1e-6 && eY < 1e-6 && eDx < 2e-6, `errors: Phi ${eCdf}, GELU ${eY}, GELU' ${eDx}`);
  for (let i = done; i < n; i++) ok(Number.isNaN(f[y + i]!) && Number.isNaN(f[dx + i]!));
});
