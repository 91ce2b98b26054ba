/**
 * Test fixture of the search tests: a temp folder holding a tiny synthetic BEIR dataset and tiny
 * model directories (a dual-encoder teacher and a `cls` cross-encoder, random weights, with their
 * tokenizer.json), made in well under a second.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { synthetic } from "../data/mod.ts";
import { type CrossEncoderSpec, initModelWeights, saveModelDir } from "../models/mod.ts";
import { saveTokenizerJson } from "../text/mod.ts";
import { encoderConfig, teacherSpec, type TinyTask, tinyTask } from "./tiny_task.ts";

/** Where the fixture's files are. */
export interface SearchFixture {
  readonly root: string;
  readonly task: TinyTask;
  /** BEIR folder (corpus.jsonl, queries.jsonl, qrels/{train,dev,test}.tsv). */
  readonly data: string;
  /** Dual-encoder teacher model directory (config.json, model.safetensors, tokenizer.json). */
  readonly teacher: string;
  /** Cross-encoder model directory. */
  readonly crossEncoder: string;
}

/** Make the fixture in a new temp folder (the caller removes `root`). */
export async function searchFixture(
  options: { readonly documents?: number; readonly test?: number } = {},
): Promise<SearchFixture> {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-search-" });
  const task = tinyTask({
    train: 40,
    documents: options.documents ?? 300,
    dev: 8,
    test: options.test ?? 30,
    pool: 0,
    vocabSize: 600,
  });
  const data = join(root, "data");
  for (const [path, text] of synthetic.syntheticFiles(task.dataset)) {
    await Deno.mkdir(dirname(join(data, path)), { recursive: true });
    await Deno.writeTextFile(join(data, path), text);
  }
  const encoder = encoderConfig(task.vocabSize, 16, 1, 2);
  const teacher = join(root, "teacher");
  const spec = teacherSpec(task, encoder);
  await saveModelDir(teacher, spec, initModelWeights(spec, 3));
  await saveTokenizerJson(join(teacher, "tokenizer.json"), task.tokenizer.config);
  const crossEncoder = join(root, "cross");
  const ce: CrossEncoderSpec = { kind: "cross", encoder, scorer: { kind: "cls" }, maxLength: 48 };
  await saveModelDir(crossEncoder, ce, initModelWeights(ce, 4));
  await saveTokenizerJson(join(crossEncoder, "tokenizer.json"), task.tokenizer.config);
  return { root, task, data, teacher, crossEncoder };
}
