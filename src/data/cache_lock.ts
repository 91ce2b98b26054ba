/**
 * Inter-process lock for fetching one dataset: exclusive creation of a lock file holding the
 * owner's pid, host and a random token, a heartbeat on its mtime, and stale-lock takeover when the
 * owner died (same host, pid gone) or stopped heart-beating.
 *
 * The lock prevents duplicated work and two writers on one `.partial` file; correctness does not
 * rest on it alone: every file is checksum-verified and a dataset appears by one atomic rename.
 *
 * @module
 */

import { hostname } from "node:os";
import { dirname } from "node:path";
import process from "node:process";

/** Who holds a lock (the lock file's JSON content). */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
  readonly startedAt: string;
}

/** Options for {@linkcode acquireLock}. */
export interface LockOptions {
  /** Give up after this many milliseconds of waiting (default: wait forever). */
  readonly timeoutMs?: number;
  /** Poll interval while waiting (default 250 ms). */
  readonly pollMs?: number;
  /** A lock whose mtime is older than this is stale (default 120 s; heartbeat every third). */
  readonly staleMs?: number;
  /** Called once when the lock is found held by someone else. */
  readonly onWait?: (owner: LockOwner | undefined) => void;
}

/** A held lock. Release it in a `finally`. */
export interface HeldLock {
  /** The lock file. */
  readonly path: string;
  /** This holder's identity. */
  readonly owner: LockOwner;
  /** Whether the lock file still names this holder. */
  stillHeld(): Promise<boolean>;
  /** Stop the heartbeat and remove the lock file if it is still ours. */
  release(): Promise<void>;
}

/**
 * Whether process `pid` on this host is running: `/proc/<pid>` on Linux (needs only read
 * permission), else signal 0. When neither can tell (no permission), assume it is alive and let
 * the heartbeat decide.
 */
export function processAlive(pid: number): boolean {
  if (Deno.build.os === "linux") {
    try {
      Deno.statSync(`/proc/${pid}`);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code !== "ESRCH";
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path)) as LockOwner;
    return typeof parsed.pid === "number" && typeof parsed.token === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Why the lock at `path` may be taken over, or `undefined` when its owner looks alive. */
async function staleReason(
  path: string,
  owner: LockOwner | undefined,
  staleMs: number,
): Promise<string | undefined> {
  let mtime: number;
  try {
    mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "gone";
    throw error;
  }
  const age = Date.now() - mtime;
  if (owner === undefined) return age > 5_000 ? "unreadable lock file" : undefined;
  if (owner.hostname === hostname() && !processAlive(owner.pid)) {
    return `process ${owner.pid} is not running`;
  }
  if (age > staleMs) return `no heartbeat for ${Math.round(age / 1000)} s`;
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Acquire the lock file at `path`, waiting while another live process holds it and taking over a
 * stale one. Throws `Deno.errors.TimedOut` after `timeoutMs`.
 */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const pollMs = options.pollMs ?? 250;
  const staleMs = options.staleMs ?? 120_000;
  const deadline = Date.now() + (options.timeoutMs ?? Infinity);
  const owner: LockOwner = {
    pid: Deno.pid,
    hostname: hostname(),
    token: crypto.randomUUID(),
    startedAt: new Date().toISOString(),
  };
  await Deno.mkdir(dirname(path), { recursive: true });
  let announced = false;
  while (true) {
    try {
      await Deno.writeTextFile(path, JSON.stringify(owner), { createNew: true });
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const holder = await readOwner(path);
    const reason = await staleReason(path, holder, staleMs);
    if (reason !== undefined) {
      await Deno.remove(path).catch(() => {});
      continue;
    }
    if (!announced) {
      announced = true;
      options.onWait?.(holder);
    }
    if (Date.now() >= deadline) {
      const who = holder === undefined ? "another process" : `process ${holder.pid}`;
      throw new Deno.errors.TimedOut(`Cannot lock "${path}": held by ${who}`);
    }
    await sleep(pollMs);
  }

  const heartbeat = setInterval(() => {
    const now = new Date();
    Deno.utime(path, now, now).catch(() => {});
  }, Math.max(1_000, Math.floor(staleMs / 3)));
  Deno.unrefTimer(heartbeat);

  const stillHeld = async () => (await readOwner(path))?.token === owner.token;
  return {
    path,
    owner,
    stillHeld,
    async release() {
      clearInterval(heartbeat);
      if (await stillHeld()) await Deno.remove(path).catch(() => {});
    },
  };
}
