/**
 * Calling the PyTorch peer (bench/peers/*.py, Debian `python3-torch`) from Deno: the BERT forward
 * pass of a safetensors checkpoint, and timed training steps of a dual encoder. Used by
 * peer_compare.ts and by bench/train_step_bench.ts.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/** Where the peer found a Python with torch, or why it did not. */
export type TorchPython =
  | { readonly kind: "found"; readonly python: string; readonly torch: string }
  | { readonly kind: "absent"; readonly reason: string };

/** How to install the peer's dependency, quoted when it is missing. */
export const TORCH_HINT = 'run "deno task setup-peers" (apt-get install python3-torch)';

let cached: Promise<TorchPython> | undefined;

/**
 * Find a Python that imports torch: `EMBEDDISTILL_PYTHON`, else `python3` on PATH, else
 * `/usr/bin/python3` (Debian's, where python3-torch installs when PATH holds another Python).
 */
export function findTorchPython(): Promise<TorchPython> {
  cached ??= (async () => {
    const configured = Deno.env.get("EMBEDDISTILL_PYTHON");
    const candidates = configured ? [configured] : ["python3", "/usr/bin/python3"];
    const failures: string[] = [];
    for (const python of candidates) {
      try {
        const out = await new Deno.Command(python, {
          args: ["-c", "import torch; print(torch.__version__)"],
          stdout: "piped",
          stderr: "piped",
        }).output();
        if (out.success) {
          return { kind: "found", python, torch: new TextDecoder().decode(out.stdout).trim() };
        }
        failures.push(
          `${python}: ${new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)}`,
        );
      } catch (error) {
        failures.push(`${python}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { kind: "absent", reason: `${failures.join("; ")}; ${TORCH_HINT}` };
  })();
  return cached;
}

async function runPeer(script: string, args: string[], stdin?: string): Promise<unknown> {
  const found = await findTorchPython();
  if (found.kind === "absent") {
    throw new Error(
      `Cannot run the PyTorch peer ${script}: no Python with torch (${found.reason})`,
    );
  }
  const child = new Deno.Command(found.python, {
    args: [`${HERE}${script}`, ...args],
    cwd: HERE,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" | ");
    throw new Error(`Cannot run the PyTorch peer ${script}: exit code ${out.code}: ${err}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** A batch for the forward pass, as nested rows (Hugging Face field names in the JSON). */
export interface PeerBatch {
  readonly inputIds: readonly (readonly number[])[];
  readonly attentionMask: readonly (readonly number[])[];
  readonly tokenTypeIds?: readonly (readonly number[])[];
}

/** Options of {@link torchForward}. */
export interface TorchForwardOptions {
  /** model.safetensors with Hugging Face BertModel names (bare or `bert.` prefix). */
  readonly weights: string;
  /** Hugging Face config.json. */
  readonly config: string;
  readonly batch: PeerBatch;
  readonly pooling?: "cls" | "mean" | "pooler";
  /** Compute in float64 (a sharper reference) instead of float32. */
  readonly float64?: boolean;
  /** Also return the last hidden states. */
  readonly hidden?: boolean;
}

/** PyTorch's pooled embeddings [B][H] and, if asked, last hidden states [B][S][H]. */
export interface TorchForwardResult {
  readonly pooled: number[][];
  readonly lastHiddenState?: number[][][];
  readonly torch: string;
}

/** Run `bert_forward.py` on a checkpoint and a batch. */
export async function torchForward(options: TorchForwardOptions): Promise<TorchForwardResult> {
  const args = [
    "--weights",
    options.weights,
    "--config",
    options.config,
    "--pooling",
    options.pooling ?? "cls",
    "--dtype",
    options.float64 === true ? "float64" : "float32",
    ...(options.hidden === true ? ["--hidden"] : []),
  ];
  const batch = {
    input_ids: options.batch.inputIds,
    attention_mask: options.batch.attentionMask,
    ...(options.batch.tokenTypeIds === undefined
      ? {}
      : { token_type_ids: options.batch.tokenTypeIds }),
  };
  const raw = await runPeer("bert_forward.py", args, JSON.stringify(batch)) as {
    pooled: number[][];
    last_hidden_state?: number[][][];
    torch: string;
  };
  return {
    pooled: raw.pooled,
    ...(raw.last_hidden_state === undefined ? {} : { lastHiddenState: raw.last_hidden_state }),
    torch: raw.torch,
  };
}

/** The dual-encoder training step the peer times (defaults: the issue's benchmark config). */
export interface TorchTrainStepOptions {
  readonly layers?: number;
  readonly hidden?: number;
  readonly heads?: number;
  /** Default 4 x hidden. */
  readonly intermediate?: number;
  readonly vocab?: number;
  readonly seq?: number;
  readonly batch?: number;
  /** One encoder for both towers, or two (default). */
  readonly towers?: "shared" | "separate";
  readonly pooling?: "cls" | "mean";
  /** torch / OpenBLAS / OpenMP threads (default 1: ENGINES.md measured 2 threads slower). */
  readonly threads?: number;
  readonly steps?: number;
  readonly warmup?: number;
  readonly lr?: number;
  readonly seed?: number;
}

/** What `train_step.py` measured. */
export interface TorchTrainStepResult {
  readonly secondsPerStep: number;
  readonly stepSeconds: number[];
  readonly losses: number[];
  readonly threads: number;
  readonly parameters: number;
  readonly torch: string;
  readonly config: Record<string, unknown>;
}

/** Time `steps` training steps (after `warmup`) of the PyTorch dual encoder; median seconds. */
export async function torchTrainStep(
  options: TorchTrainStepOptions = {},
): Promise<TorchTrainStepResult> {
  const flags: [string, string | number | undefined][] = [
    ["--layers", options.layers],
    ["--hidden", options.hidden],
    ["--heads", options.heads],
    ["--intermediate", options.intermediate],
    ["--vocab", options.vocab],
    ["--seq", options.seq],
    ["--batch", options.batch],
    ["--towers", options.towers],
    ["--pooling", options.pooling],
    ["--threads", options.threads],
    ["--steps", options.steps],
    ["--warmup", options.warmup],
    ["--lr", options.lr],
    ["--seed", options.seed],
  ];
  const args = flags.flatMap(([flag, value]) => (value === undefined ? [] : [flag, String(value)]));
  const raw = await runPeer("train_step.py", args) as {
    seconds_per_step: number;
    step_seconds: number[];
    losses: number[];
    threads: number;
    parameters: number;
    torch: string;
    config: Record<string, unknown>;
  };
  return {
    secondsPerStep: raw.seconds_per_step,
    stepSeconds: raw.step_seconds,
    losses: raw.losses,
    threads: raw.threads,
    parameters: raw.parameters,
    torch: raw.torch,
    config: raw.config,
  };
}
