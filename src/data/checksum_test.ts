import assert from "node:assert/strict";
import { join } from "node:path";
import { assertDigests, ChecksumMismatchError, hashFile } from "./checksum.ts";

Deno.test("hashFile matches the RFC 1321 and FIPS 180-2 test vectors, streaming across chunks", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const abc = join(dir, "abc");
    await Deno.writeTextFile(abc, "abc");
    const d = await hashFile(abc);
    assert.equal(d.md5, "900150983cd24fb0d6963f7d28e17f72"); // RFC 1321 appendix A.5
    assert.equal(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // FIPS 180-2 B.1
    assert.equal(d.size, 3);
    // "a" x 1,000,000: FIPS 180-2 B.3 (sha256); its md5 is the well-known companion value.
    const million = join(dir, "million");
    await Deno.writeTextFile(million, "a".repeat(1_000_000));
    const m = await hashFile(million);
    assert.equal(m.sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    assert.equal(m.md5, "7707d6ae4e027c70eea2a935c2296f21");
    const empty = join(dir, "empty");
    await Deno.writeFile(empty, new Uint8Array());
    assert.equal((await hashFile(empty)).md5, "d41d8cd98f00b204e9800998ecf8427e");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hashFile agrees with coreutils md5sum and sha256sum on a file of several reads", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "big");
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    await Deno.writeFile(path, bytes);
    const tool = async (name: string) => {
      const out = await new Deno.Command(name, { args: [path], stdout: "piped" }).output();
      return new TextDecoder().decode(out.stdout).split(" ")[0];
    };
    const d = await hashFile(path);
    assert.equal(d.md5, await tool("md5sum"));
    assert.equal(d.sha256, await tool("sha256sum"));
    assert.equal(d.size, bytes.length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("assertDigests checks md5, then size, then a pinned sha256", () => {
  const actual = { md5: "a".repeat(32), sha256: "b".repeat(64), size: 10 };
  assertDigests("f", { md5: "a".repeat(32), sha256: null, size: 10 }, actual);
  assert.throws(
    () => assertDigests("f", { md5: "c".repeat(32), sha256: null, size: 11 }, actual),
    (e: unknown) => e instanceof ChecksumMismatchError && e.property === "md5",
  );
  assert.throws(
    () => assertDigests("f", { md5: "a".repeat(32), sha256: null, size: 11 }, actual),
    (e: unknown) =>
      e instanceof ChecksumMismatchError && e.property === "size" && e.actual === "10",
  );
  assert.throws(
    () => assertDigests("f", { md5: "c".repeat(32), sha256: null, size: 10 }, actual),
    (e: unknown) =>
      e instanceof ChecksumMismatchError && e.expected === "c".repeat(32) &&
      e.message ===
        `Cannot accept "f": md5 mismatch, expected "${"c".repeat(32)}", found "${"a".repeat(32)}"`,
  );
  assert.throws(
    () => assertDigests("f", { md5: "a".repeat(32), sha256: "d".repeat(64), size: 10 }, actual),
    (e: unknown) => e instanceof ChecksumMismatchError && e.property === "sha256",
  );
});
