/**
 * `FusedAdam`, a `tf.Optimizer` whose update is one fused kernel per variable (adam.ts): a drop-in
 * for `tf.train.adam` in `minimize` / `applyGradients`, with optional (decoupled) weight decay.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { type AdamHyper, adamStep } from "./adam.ts";

/** A named tensor as optimizers pass gradients and weights (tfjs-core's `NamedTensor`). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Slot {
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

/**
 * Adam whose update runs as one fused kernel per variable where the backend has it (see
 * `initEngine`), else as the same formula in stock ops. A drop-in for `tf.train.adam` in
 * `minimize` / `applyGradients`; epsilon defaults to 1e-8 (PyTorch, Kingma & Ba) where tfjs uses 1e-7.
 */
export class FusedAdam extends tf.Optimizer {
  /** Serialization name. */
  static get className(): string {
    return "EmbeddistillFusedAdam";
  }

  readonly #slots = new Map<string, Slot>();
  #step = 0;

  /**
   * Adam with learning rate `lr`, decay rates `beta1` / `beta2`, `epsilon` and optional weight
   * decay (L2 `weightDecay` as PyTorch Adam, or `decoupledWeightDecay` as AdamW).
   */
  constructor(
    readonly lr: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
    readonly decay: { readonly weightDecay?: number; readonly decoupledWeightDecay?: number } = {},
  ) {
    super();
    if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
      throw new RangeError(
        `Cannot create Adam with lr ${lr}, beta1 ${beta1}, beta2 ${beta2}, epsilon ${epsilon}: expected lr > 0, betas in [0, 1), epsilon > 0`,
      );
    }
  }

  /** Apply one Adam step to each named variable's gradient (null gradients are skipped). */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const pairs: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    this.#step++;
    const step = this.#step;
    const hyper: AdamHyper = {
      lr: this.lr,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      step,
      ...this.decay,
    };
    tf.tidy(() => {
      for (const [name, grad] of pairs) {
        if (grad === undefined || grad === null) continue;
        const param = tf.engine().registeredVariables[name];
        if (param === undefined) {
          throw new TypeError(`Cannot apply Adam: no variable named "${name}"`);
        }
        const slot = this.#slot(name, param);
        const [p, m, v] = adamStep(param, slot.m, slot.v, grad, hyper);
        param.assign(p);
        slot.m.assign(m);
        slot.v.assign(v);
      }
    });
    this.incrementIterations();
  }

  #slot(name: string, param: tf.Variable): Slot {
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      slot = {
        m: tf.variable(tf.zerosLike(param), false, `${name}/m`),
        v: tf.variable(tf.zerosLike(param), false, `${name}/v`),
      };
      this.#slots.set(name, slot);
    }
    return slot;
  }

  /** Free the moment variables. */
  override dispose(): void {
    for (const slot of this.#slots.values()) tf.dispose([slot.m, slot.v]);
    this.#slots.clear();
    super.dispose();
  }

  /** Hyperparameters, for serialization. */
  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** The step count and moments, as `tf.train.adam` saves them (`<name>/m`, `<name>/v`). */
  override async getWeights(): Promise<NamedTensor[]> {
    const moments = [...this.#slots].flatMap(([name, s]) => [
      { name: `${name}/m`, tensor: s.m as tf.Tensor },
      { name: `${name}/v`, tensor: s.v as tf.Tensor },
    ]);
    return [await this.saveIterations(), ...moments];
  }

  /** Restore what {@link getWeights} returned (variables must exist under the same names). */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.#step = this.iterations;
    for (const { name, tensor } of rest) {
      const slash = name.lastIndexOf("/");
      const varName = name.slice(0, slash);
      const param = tf.engine().registeredVariables[varName];
      if (param === undefined) {
        throw new TypeError(`Cannot restore Adam state "${name}": no variable named "${varName}"`);
      }
      const slot = this.#slot(varName, param);
      (name.endsWith("/m") ? slot.m : slot.v).assign(tensor);
    }
  }
}
