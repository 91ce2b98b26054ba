import { deepStrictEqual, ok } from "node:assert/strict";
import { assembleModule, leb, sleb, splat } from "./wasm_simd.ts";

Deno.test("LEB128 encodings match the DWARF / Wikipedia examples", () => {
  deepStrictEqual(leb(624485), [0xe5, 0x8e, 0x26]);
  deepStrictEqual(sleb(-123456), [0xc0, 0xbb, 0x78]);
  deepStrictEqual(leb(0), [0]);
  deepStrictEqual(sleb(-16), [0x70]);
  deepStrictEqual(sleb(64), [0xc0, 0x00]);
});

Deno.test("an assembled module validates and runs: store splat(2.5) at offset 16", () => {
  // f(ptr): v128.store(ptr, splat 2.5); local.get 0 = [0x20, 0].
  const bytes = assembleModule([{
    name: "fill",
    params: [0x7f],
    locals: [],
    body: [0x20, 0, ...splat(2.5), 0xfd, 11, 2, 0],
  }]);
  ok(WebAssembly.validate(bytes));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  (instance.exports["fill"] as (p: number) => void)(16);
  deepStrictEqual([...new Float32Array(memory.buffer, 0, 9)], [0, 0, 0, 0, 2.5, 2.5, 2.5, 2.5, 0]);
});
