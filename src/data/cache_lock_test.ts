import assert from "node:assert/strict";
import { hostname } from "node:os";
import { join } from "node:path";
import { acquireLock } from "./cache_lock.ts";

async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("a held lock makes a second acquirer wait, then time out; release frees it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "locks", "x.lock");
    const first = await acquireLock(path);
    assert.ok(await first.stillHeld());
    let waitedOn: number | undefined;
    await assert.rejects(
      () => acquireLock(path, { timeoutMs: 150, pollMs: 20, onWait: (o) => waitedOn = o?.pid }),
      Deno.errors.TimedOut,
    );
    assert.equal(waitedOn, Deno.pid);
    await first.release();
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
    const second = await acquireLock(path, { timeoutMs: 150 });
    await second.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock left by a dead process on this host is taken over at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.lock");
    const stale = { pid: await deadPid(), hostname: hostname(), token: "old", startedAt: "" };
    await Deno.writeTextFile(path, JSON.stringify(stale));
    const lock = await acquireLock(path, { timeoutMs: 0 });
    assert.notEqual(JSON.parse(await Deno.readTextFile(path)).token, "old");
    await lock.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock from another host without a heartbeat becomes stale after staleMs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.lock");
    const other = { pid: 1, hostname: "elsewhere", token: "other", startedAt: "" };
    await Deno.writeTextFile(path, JSON.stringify(other));
    await assert.rejects(
      () => acquireLock(path, { timeoutMs: 100, pollMs: 20, staleMs: 60_000 }),
      Deno.errors.TimedOut,
    );
    const past = new Date(Date.now() - 120_000);
    await Deno.utime(path, past, past);
    const lock = await acquireLock(path, { timeoutMs: 100, staleMs: 60_000 });
    // Someone else takes it over: our release must not delete their lock file.
    await Deno.writeTextFile(path, JSON.stringify({ ...other, token: "newer" }));
    assert.equal(await lock.stillHeld(), false);
    await lock.release();
    assert.equal(JSON.parse(await Deno.readTextFile(path)).token, "newer");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
