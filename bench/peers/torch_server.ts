/**
 * The long-lived PyTorch peer (torch_server.py) from Deno: started once at a thread count, then
 * asked for one timed training step or encoding at a time, so that ours and the peer's can be
 * interleaved. Reports the BLAS the peer's process mapped, classified as OpenBLAS or the
 * reference (non-optimised) BLAS.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { findTorchPython } from "./torch_peer.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/** The peer's model and workloads (defaults: the bench cases' student and encoding shapes). */
export interface TorchServerOptions {
  readonly threads: number;
  readonly layers?: number;
  readonly hidden?: number;
  readonly heads?: number;
  readonly seq?: number;
  readonly batch?: number;
  readonly encodeDocs?: number;
  readonly encodeSeq?: number;
}

/** A running peer. */
export interface TorchServer {
  readonly torch: string;
  readonly threads: number;
  /** `openblas (path)`, `reference BLAS (path)`, or the mapped files. */
  readonly blas: string;
  /** Whether the peer runs on a reference (non-optimised) BLAS. */
  readonly referenceBlas: boolean;
  /** One timed command; the peer's own seconds for the work (no pipe time). */
  time(command: "train" | "encode"): Promise<number>;
  close(): Promise<void>;
}

/** Classify the BLAS files a process mapped. */
export function classifyBlas(files: readonly string[]): { blas: string; reference: boolean } {
  const openblas = files.find((f) => /openblas/i.test(f));
  if (openblas !== undefined) return { blas: `openblas (${openblas})`, reference: false };
  const reference = files.find((f) => /\/blas\/libblas\.so/.test(f));
  if (reference !== undefined) return { blas: `reference BLAS (${reference})`, reference: true };
  return { blas: files.length === 0 ? "none mapped" : files.join(", "), reference: false };
}

/** Start torch_server.py; rejects with the peer's stderr when it cannot start. */
export async function startTorchServer(options: TorchServerOptions): Promise<TorchServer> {
  const found = await findTorchPython();
  if (found.kind === "absent") throw new Error(`no Python with torch (${found.reason})`);
  const flags: [string, number | undefined][] = [
    ["--threads", options.threads],
    ["--layers", options.layers],
    ["--hidden", options.hidden],
    ["--heads", options.heads],
    ["--seq", options.seq],
    ["--batch", options.batch],
    ["--encode-docs", options.encodeDocs],
    ["--encode-seq", options.encodeSeq],
  ];
  const child = new Deno.Command(found.python, {
    args: [
      `${HERE}torch_server.py`,
      ...flags.flatMap(([f, v]) => v === undefined ? [] : [f, String(v)]),
    ],
    cwd: HERE,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  let buffer = "";
  const nextLine = async (): Promise<string> => {
    while (!buffer.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) {
        const status = await child.status;
        const tail = (await stderr).trim().split("\n").slice(-3).join(" | ");
        throw new Error(`the PyTorch peer exited (code ${status.code}): ${tail}`);
      }
      buffer += value;
    }
    const at = buffer.indexOf("\n");
    const line = buffer.slice(0, at);
    buffer = buffer.slice(at + 1);
    return line;
  };
  const ready = JSON.parse(await nextLine()) as { torch: string; threads: number; blas: string[] };
  const { blas, reference } = classifyBlas(ready.blas);
  const encoder = new TextEncoder();
  return {
    torch: ready.torch,
    threads: ready.threads,
    blas,
    referenceBlas: reference,
    async time(command) {
      await writer.write(encoder.encode(`${command}\n`));
      const reply = JSON.parse(await nextLine()) as { seconds?: number; error?: string };
      if (reply.seconds === undefined) throw new Error(`the PyTorch peer: ${reply.error}`);
      return reply.seconds;
    },
    async close() {
      await writer.write(encoder.encode("quit\n"));
      await writer.close();
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.status;
      await stderr;
    },
  };
}
