/**
 * Adam and AdamW over named tf.Variables, updated by the engine's fused Adam kernel (`adamStep`,
 * the one Adam formula), with the whole state (first and second moments, step count) saved and
 * restored exactly; plus global-norm gradient clipping.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { adamStep } from "../../engine/mod.ts";
import type { NamedTensor, NamedTensors } from "../../models/mod.ts";

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) with optional L2 weight decay added to the gradient
 * (PyTorch `torch.optim.Adam(weight_decay=...)`), or AdamW (Loshchilov & Hutter 2019) whose decay
 * is decoupled: `p <- p - lr * wd * p` before the Adam update (PyTorch `torch.optim.AdamW`).
 */
export interface OptimizerConfig {
  readonly kind: "adam" | "adamw";
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Added to sqrt(v-hat); default 1e-8 (PyTorch). */
  readonly epsilon?: number;
  /** Default 0 for adam, 0.01 for adamw (PyTorch's AdamW default). */
  readonly weightDecay?: number;
  /**
   * Whether a parameter is decayed; default: every tensor except biases and LayerNorm
   * parameters (the BERT / Hugging Face convention).
   */
  readonly decays?: (name: string) => boolean;
}

/** Everything an optimiser needs to continue exactly where it stopped. */
export interface OptimizerState {
  /** Updates applied so far. */
  readonly step: number;
  /** First moments by parameter name. */
  readonly m: ReadonlyMap<string, NamedTensor>;
  /** Second moments by parameter name. */
  readonly v: ReadonlyMap<string, NamedTensor>;
}

/** The default decay filter: no decay for biases and LayerNorm gains / shifts. */
export function decaysByDefault(name: string): boolean {
  return !(name.endsWith(".bias") || name.includes("LayerNorm"));
}

/** An optimiser configuration with every default filled in (what a run records). */
export type ResolvedOptimizerConfig = Required<Omit<OptimizerConfig, "decays">>;

/** Fill in the defaults of `config` (betas 0.9 / 0.999, epsilon 1e-8, AdamW decay 0.01). */
export function resolveOptimizerConfig(config: OptimizerConfig): ResolvedOptimizerConfig {
  return {
    kind: config.kind,
    beta1: config.beta1 ?? 0.9,
    beta2: config.beta2 ?? 0.999,
    epsilon: config.epsilon ?? 1e-8,
    weightDecay: config.weightDecay ?? (config.kind === "adamw" ? 0.01 : 0),
  };
}

/** Adam / AdamW over a fixed set of named variables. */
export class AdamOptimizer {
  readonly config: ResolvedOptimizerConfig;
  readonly #decays: (name: string) => boolean;
  readonly #variables: ReadonlyMap<string, tf.Variable>;
  readonly #m = new Map<string, tf.Variable>();
  readonly #v = new Map<string, tf.Variable>();
  #step = 0;

  /** Moments start at zero for each of `variables` (the trainable ones only). */
  constructor(variables: ReadonlyMap<string, tf.Variable>, config: OptimizerConfig) {
    this.config = resolveOptimizerConfig(config);
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    for (const [what, value] of [["beta1", beta1], ["beta2", beta2]] as const) {
      if (!(value >= 0 && value < 1)) {
        throw new RangeError(`Cannot use Adam ${what} ${value}: expected a number in [0, 1)`);
      }
    }
    if (!(epsilon > 0) || !(weightDecay >= 0)) {
      throw new RangeError(
        `Cannot use Adam epsilon ${epsilon} and weight decay ${weightDecay}: expected > 0 and >= 0`,
      );
    }
    this.#decays = config.decays ?? decaysByDefault;
    this.#variables = variables;
    for (const [name, variable] of variables) {
      this.#m.set(name, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
      this.#v.set(name, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
    }
  }

  /** Updates applied so far. */
  get step(): number {
    return this.#step;
  }

  /**
   * Apply one update with learning rate `lr` from gradients by name (every optimised variable
   * must have one). Bias corrections use the 1-based step t: m / (1 - beta1^t), v / (1 - beta2^t).
   */
  apply(gradients: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    const { kind, beta1, beta2, epsilon, weightDecay } = this.config;
    const t = this.#step + 1;
    for (const [name, variable] of this.#variables) {
      const grad = gradients.get(name);
      if (grad === undefined) {
        throw new RangeError(`Cannot apply the Adam update: no gradient for "${name}"`);
      }
      const m = this.#m.get(name)!;
      const v = this.#v.get(name)!;
      const decay = weightDecay > 0 && this.#decays(name) ? weightDecay : 0;
      tf.tidy(() => {
        const [p, mNext, vNext] = adamStep(variable, m, v, grad, {
          lr,
          beta1,
          beta2,
          epsilon,
          step: t,
          ...(kind === "adam" ? { weightDecay: decay } : { decoupledWeightDecay: decay }),
        });
        m.assign(mNext);
        v.assign(vNext);
        variable.assign(p);
      });
    }
    this.#step = t;
  }

  /** A copy of the state (synchronous download of every moment). */
  state(): OptimizerState {
    const copy = (source: Map<string, tf.Variable>) =>
      new Map(
        [...source].map((
          [name, x],
        ) => [name, { shape: [...x.shape], data: Float32Array.from(x.dataSync()) }]),
      );
    return { step: this.#step, m: copy(this.#m), v: copy(this.#v) };
  }

  /** Restore a state saved by {@link state}; throws RangeError / TypeError on a mismatch. */
  load(state: OptimizerState): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new RangeError(`Cannot restore an optimiser at step ${state.step}`);
    }
    for (
      const [label, target, source] of [["m", this.#m, state.m], ["v", this.#v, state.v]] as const
    ) {
      for (const [name, variable] of target) {
        const saved = source.get(name);
        if (saved === undefined) {
          throw new RangeError(`Cannot restore the optimiser: no saved ${label} for "${name}"`);
        }
        if (saved.data.length !== variable.size) {
          throw new TypeError(
            `Cannot restore the optimiser's ${label} for "${name}": expected ${variable.size} values, found ${saved.data.length}`,
          );
        }
        tf.tidy(() => variable.assign(tf.tensor(saved.data, variable.shape, "float32")));
      }
    }
    this.#step = state.step;
  }

  /** Free the moments (not the optimised variables). */
  dispose(): void {
    for (const x of this.#m.values()) x.dispose();
    for (const x of this.#v.values()) x.dispose();
  }
}

/** The state as flat named tensors (`m.<name>`, `v.<name>`) for a safetensors file. */
export function optimizerTensors(state: OptimizerState): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name, x] of state.m) out.set(`m.${name}`, x);
  for (const [name, x] of state.v) out.set(`v.${name}`, x);
  return out;
}

/** Rebuild a state from {@link optimizerTensors}' output and the step. */
export function optimizerStateFrom(tensors: NamedTensors, step: number): OptimizerState {
  const m = new Map<string, NamedTensor>();
  const v = new Map<string, NamedTensor>();
  for (const [name, x] of tensors) {
    if (name.startsWith("m.")) m.set(name.slice(2), x);
    else if (name.startsWith("v.")) v.set(name.slice(2), x);
  }
  return { step, m, v };
}

/**
 * Scale gradients so their global L2 norm is at most `maxNorm` (PyTorch `clip_grad_norm_`:
 * factor `min(1, maxNorm / (norm + 1e-6))`). Returns new tensors (the caller disposes them) and
 * the norm before clipping; with `maxNorm` Infinity only the norm is computed.
 */
export function clipByGlobalNorm(
  gradients: ReadonlyMap<string, tf.Tensor>,
  maxNorm: number,
): { readonly gradients: Map<string, tf.Tensor>; readonly norm: number } {
  if (!(maxNorm > 0)) {
    throw new RangeError(`Cannot clip gradients to norm ${maxNorm}: expected a positive number`);
  }
  const norm = Math.sqrt(
    tf.tidy(() => {
      const squares = [...gradients.values()].map((g) => tf.sum(tf.square(g)));
      return squares.length === 0 ? 0 : tf.addN(squares).dataSync()[0]!;
    }),
  );
  const factor = Math.min(1, maxNorm / (norm + 1e-6));
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of gradients) out.set(name, factor < 1 ? tf.mul(g, factor) : tf.clone(g));
  return { gradients: out, norm };
}
