/**
 * Resumable verified download of one pinned file: bytes go to `<dest>.partial`; an interrupted
 * download resumes with an HTTP Range request (guarded by If-Range on the ETag/Last-Modified), or
 * restarts from zero when the server ignores Range, the file changed, or a resumed result fails
 * its checksum. Only a file whose size and MD5 (and SHA-256 when pinned) match is renamed to
 * `dest`.
 *
 * @module
 */

import {
  assertDigests,
  ChecksumMismatchError,
  DigestAccumulator,
  type Digests,
  hashFile,
  hashFileInto,
  type PinnedChecksum,
} from "../checksum.ts";
import type { FetchProgress } from "./events.ts";
import { writeAll } from "../../io/mod.ts";

/** What to download and what it must match. */
export interface DownloadRequest extends PinnedChecksum {
  /** File name used in events and errors. */
  readonly name: string;
  /** Source URL (http or https). */
  readonly url: string;
}

/** Options of {@linkcode downloadFile}. */
export interface DownloadOptions {
  /** Progress receiver. */
  readonly onProgress?: FetchProgress;
  /** Aborts the transfer (the `.partial` file is kept for a later resume). */
  readonly signal?: AbortSignal;
  /** Abort when no byte arrives for this long (default 120 s); the `.partial` file is kept. */
  readonly idleTimeoutMs?: number;
}

/** Sidecar of a `.partial` file: what it is a prefix of. */
interface PartialMeta {
  readonly url: string;
  readonly md5: string;
  readonly size: number;
  readonly validator: string | null;
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await Deno.stat(path)).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function readMeta(path: string): Promise<PartialMeta | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as PartialMeta;
  } catch {
    return undefined;
  }
}

async function discard(...paths: string[]): Promise<void> {
  for (const path of paths) {
    await Deno.remove(path).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
}

/** Start of a `Content-Range: bytes <start>-<end>/<total>` header, or undefined. */
function rangeStart(header: string | null): number | undefined {
  const match = header === null ? null : /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header.trim());
  return match === null ? undefined : Number(match[1]);
}

/**
 * The innermost reason of a failed `fetch` (DNS, refused connection, TLS), without the URL that
 * Deno repeats in it: `client error (Connect): tcp connect error: Connection refused`.
 */
function networkCause(error: unknown): string {
  let inner: unknown = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  const text = inner instanceof Error ? inner.message : String(inner);
  return text.replace(/^error sending request for url \([^)]*\): /, "");
}

/** One attempt; returns the digests of the complete `.partial` file. */
async function attempt(
  request: DownloadRequest,
  partial: string,
  metaPath: string,
  options: DownloadOptions,
): Promise<{ digests: Digests; resumed: boolean }> {
  const emit = options.onProgress ?? (() => {});
  const meta = await readMeta(metaPath);
  let offset = (await fileSize(partial)) ?? 0;
  const sameTarget = meta !== undefined && meta.url === request.url && meta.md5 === request.md5;
  if (offset > 0 && (!sameTarget || offset > request.size)) {
    emit({
      kind: "download-restart",
      file: request.name,
      reason: "partial file is not for this pin",
    });
    await discard(partial, metaPath);
    offset = 0;
  }
  const accumulator = new DigestAccumulator();
  const resumed = offset > 0;
  if (offset > 0 && offset === request.size) {
    await hashFileInto(partial, accumulator);
    return { digests: accumulator.digest(), resumed };
  }

  const headers = new Headers();
  if (offset > 0) {
    headers.set("Range", `bytes=${offset}-`);
    if (meta?.validator) headers.set("If-Range", meta.validator);
  }
  const idle = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 120_000;
  let timer = setTimeout(() => idle.abort(), idleMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), idleMs);
  };
  const signals = options.signal === undefined ? [idle.signal] : [idle.signal, options.signal];
  try {
    return await transfer(request, partial, metaPath, options, {
      offset,
      accumulator,
      headers,
      signal: AbortSignal.any(signals),
      touch,
    });
  } catch (error) {
    if (idle.signal.aborted) {
      throw new Deno.errors.TimedOut(
        `Cannot download "${request.name}" from ${request.url}: no data for ${idleMs} ms`,
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** State handed from {@linkcode attempt} to {@linkcode transfer}. */
interface TransferState {
  readonly offset: number;
  readonly accumulator: DigestAccumulator;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  /** Called whenever bytes arrive (idle timer reset). */
  readonly touch: () => void;
}

/** The HTTP request and body transfer of one attempt. */
async function transfer(
  request: DownloadRequest,
  partial: string,
  metaPath: string,
  options: DownloadOptions,
  state: TransferState,
): Promise<{ digests: Digests; resumed: boolean }> {
  const emit = options.onProgress ?? (() => {});
  let offset = state.offset;
  const accumulator = state.accumulator;
  let response: Response;
  try {
    response = await fetch(request.url, { headers: state.headers, signal: state.signal });
  } catch (error) {
    if (state.signal.aborted) throw error;
    throw new Error(
      `Cannot download "${request.name}" from ${request.url}: ${networkCause(error)}`,
      { cause: error },
    );
  }
  let fresh = offset === 0;
  if (response.status === 416 && offset > 0) {
    // The server cannot serve the rest of the partial file: it changed. Start again.
    await response.body?.cancel();
    emit({ kind: "download-restart", file: request.name, reason: "server refused the range" });
    await discard(partial, metaPath);
    return await attempt(request, partial, metaPath, options);
  }
  if (response.status === 206) {
    if (rangeStart(response.headers.get("content-range")) !== offset) {
      await response.body?.cancel();
      throw new RangeError(
        `Cannot resume "${request.name}" from ${request.url}: server answered a range not starting at byte ${offset}`,
      );
    }
  } else if (response.status === 200) {
    if (offset > 0) {
      emit({
        kind: "download-restart",
        file: request.name,
        reason: "server ignored the Range request or the file changed",
      });
      fresh = true;
    }
  } else {
    await response.body?.cancel();
    throw new Error(
      `Cannot download "${request.name}" from ${request.url}: HTTP ${response.status} ${response.statusText}`,
    );
  }
  const body = response.body;
  if (body === null) {
    throw new Error(`Cannot download "${request.name}" from ${request.url}: response has no body`);
  }
  const validator = response.headers.get("etag") ?? response.headers.get("last-modified");
  const newMeta: PartialMeta = {
    url: request.url,
    md5: request.md5,
    size: request.size,
    validator,
  };
  await Deno.writeTextFile(metaPath, JSON.stringify(newMeta));

  let target = accumulator;
  if (fresh) {
    target = new DigestAccumulator();
    offset = 0;
  } else if (offset > 0) {
    // The server honours the range: the kept bytes count toward the checksum. (Hashed only now,
    // so a server that sends the whole file again costs no pass over a partial it replaces.)
    await hashFileInto(partial, target);
  }
  emit({
    kind: "download-start",
    file: request.name,
    url: request.url,
    total: request.size,
    resumeFrom: offset,
  });
  const openOptions: Deno.OpenOptions = fresh
    ? { write: true, create: true, truncate: true }
    : { write: true, append: true };
  const file = await Deno.open(partial, openOptions);
  try {
    for await (const chunk of body) {
      await writeAll(file, chunk);
      target.update(chunk);
      state.touch();
      if (target.size > request.size) {
        throw new ChecksumMismatchError(
          request.name,
          "size",
          String(request.size),
          `more than ${request.size}`,
        );
      }
      emit({
        kind: "download-progress",
        file: request.name,
        bytes: target.size,
        total: request.size,
      });
    }
  } finally {
    file.close();
  }
  emit({ kind: "download-done", file: request.name, bytes: target.size });
  return { digests: target.digest(), resumed: !fresh };
}

/**
 * Download `request.url` to `dest`, resuming an earlier `.partial` when possible, and verify it.
 * An existing `dest` that matches the pin is reused without a request. A network failure leaves
 * the `.partial` file for the next call; a checksum failure removes it (after one automatic fresh
 * retry when the failing file was a resumed one) and throws {@linkcode ChecksumMismatchError}.
 */
export async function downloadFile(
  request: DownloadRequest,
  dest: string,
  options: DownloadOptions = {},
): Promise<Digests> {
  const emit = options.onProgress ?? (() => {});
  const partial = `${dest}.partial`;
  const metaPath = `${dest}.partial.json`;
  if ((await fileSize(dest)) !== undefined) {
    const digests = await hashFile(dest);
    try {
      assertDigests(request.name, request, digests);
      return digests;
    } catch (error) {
      if (!(error instanceof ChecksumMismatchError)) throw error;
      await discard(dest);
    }
  }
  for (let round = 0;; round++) {
    let resumed = false;
    let digests: Digests;
    try {
      const result = await attempt(request, partial, metaPath, options);
      resumed = result.resumed;
      digests = result.digests;
      assertDigests(request.name, request, digests);
    } catch (error) {
      if (!(error instanceof ChecksumMismatchError)) throw error;
      await discard(partial, metaPath);
      if (resumed && round === 0) {
        emit({
          kind: "download-restart",
          file: request.name,
          reason: "resumed file failed its checksum",
        });
        continue;
      }
      throw error;
    }
    emit({ kind: "verified", file: request.name, md5: digests.md5 });
    await Deno.rename(partial, dest);
    await discard(metaPath);
    return digests;
  }
}
