/**
 * The distill CLI's inputs: the teacher directory's kind and encoder (checked before any work),
 * the student spec the size flags describe, and the BEIR training and dev splits.
 *
 * @module
 */

import { join } from "node:path";
import type { DistillData, StudentSpec } from "../distill/mod.ts";
import { type BertConfig, type ModelSpec, readModelSpec } from "../models/mod.ts";
import { pathExists } from "../io/mod.ts";
import { dataSource, trainAndDev } from "./data_arg.ts";
import { type DistillCliOptions, UsageError } from "./distill_options.ts";

/**
 * The teacher's kind, spec and (query-tower) encoder, read from its `config.json` (a suite model
 * directory, or a Hugging Face / sentence-transformers folder). Checks first that the weights
 * (`model.safetensors`) and a tokenizer (`tokenizer.json`, or `vocab.txt`) are there.
 */
export async function teacherEncoder(
  dir: string,
): Promise<
  { readonly kind: "dual" | "cross"; readonly spec: ModelSpec; readonly encoder: BertConfig }
> {
  const missing = async (files: readonly string[]): Promise<boolean> => {
    for (const f of files) if (await pathExists(join(dir, f))) return false;
    return true;
  };
  const needs = [["config.json"], ["model.safetensors"], ["tokenizer.json", "vocab.txt"]] as const;
  for (const files of needs) {
    if (!(await missing(files))) continue;
    const wanted = "config.json, model.safetensors and tokenizer.json (or vocab.txt)";
    if (await pathExists(join(dir, "model.onnx"))) {
      throw new TypeError(
        `Cannot use teacher "${dir}": it holds an ONNX encoder but distillation needs the teacher's weights (${wanted}), found no ${
          files.join(" or ")
        }`,
      );
    }
    if (files[0] === "model.safetensors" && await pathExists(join(dir, "pytorch_model.bin"))) {
      throw new TypeError(
        `Cannot use teacher "${dir}": found "pytorch_model.bin" (PyTorch pickle), which is not read; convert it to "model.safetensors" (e.g. with safetensors.torch.save_file)`,
      );
    }
    throw new Deno.errors.NotFound(
      `Cannot use teacher "${dir}": expected a model directory with ${wanted}, found no ${
        files.join(" or ")
      }`,
    );
  }
  const spec = await readModelSpec(dir);
  if (spec.kind === "cross") return { kind: "cross", spec, encoder: spec.encoder };
  const towers = spec.towers;
  return {
    kind: "dual",
    spec,
    encoder: towers.kind === "shared" ? towers.tower.encoder : towers.query.encoder,
  };
}

/**
 * The student the options describe: the teacher's encoder with `--layers/--hidden/--heads/
 * --intermediate` overrides (heads default hidden / 64, FFN 4 x hidden when `--hidden` is given),
 * or no encoder for `teacher-layers` init (derived from the teacher).
 */
export function studentSpec(options: DistillCliOptions, teacher: BertConfig): StudentSpec {
  let encoder: BertConfig | undefined;
  if (options.init.kind !== "teacher-layers") {
    const s = options.shape;
    const hidden = s.hidden ?? teacher.hiddenSize;
    const heads = s.heads ??
      (s.hidden === undefined ? teacher.numHeads : hidden % 64 === 0 ? hidden / 64 : undefined) ??
      (hidden % teacher.numHeads === 0 ? teacher.numHeads : 1);
    if (hidden % heads !== 0) {
      throw new UsageError(`--hidden ${hidden} is not divisible by --heads ${heads}`);
    }
    encoder = {
      ...teacher,
      numLayers: s.layers ?? teacher.numLayers,
      hiddenSize: hidden,
      numHeads: heads,
      intermediateSize: s.intermediate ??
        (s.hidden === undefined ? teacher.intermediateSize : 4 * hidden),
    };
  }
  const e = encoder === undefined ? {} : { encoder };
  return options.student === "asymmetric"
    ? { kind: "asymmetric", init: options.init, ...e }
    : { kind: "symmetric", towers: options.towers, init: options.init, ...e };
}

/**
 * The training split and the dev split (`auto`: `dev` when the data has one) of `--data` (a
 * dataset id or a BEIR folder), as distill's data, with the folder read and its checksum.
 */
export async function readData(
  options: DistillCliOptions,
): Promise<{ readonly data: DistillData; readonly dir: string; readonly checksum: string }> {
  const load = options.home === undefined ? {} : { home: options.home };
  const { train, dev } = await trainAndDev(
    await dataSource(options.data, load),
    options.split,
    options.devSplit,
    load,
  );
  const data: DistillData = {
    corpus: train.corpus,
    trainQueries: train.queries,
    trainQrels: train.qrels,
    ...(dev === undefined ? {} : { devQueries: dev.queries, devQrels: dev.qrels }),
  };
  return { data, dir: train.dir, checksum: train.checksum };
}
