/**
 * Test fixture: a tiny task on disk as a user hands it to the CLIs: a random dual-encoder teacher
 * model directory (config.json, model.safetensors, tokenizer.json) and the task's data as a BEIR
 * folder, in a fresh temporary directory the caller removes.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { syntheticFiles } from "../data/synthetic/mod.ts";
import { initModelWeights, saveModelDir } from "../models/mod.ts";
import { saveTokenizerJson } from "../text/mod.ts";
import { encoderConfig, teacherSpec, type TinyTask } from "./tiny_task.ts";

/** Where the fixture was written. */
export interface TeacherOnDisk {
  /** The temporary directory holding both (remove it when done). */
  readonly root: string;
  /** The teacher's model directory. */
  readonly teacher: string;
  /** The BEIR folder (corpus.jsonl, queries.jsonl, qrels/, pool.jsonl). */
  readonly data: string;
}

/** Write a `layers`-layer, width-16 random teacher of `task` and its data under a new temp dir. */
export async function teacherOnDisk(
  task: TinyTask,
  layers: number,
  prefix: string,
): Promise<TeacherOnDisk> {
  const root = await Deno.makeTempDir({ prefix });
  const spec = teacherSpec(task, encoderConfig(task.vocabSize, 16, layers, 2));
  const teacher = join(root, "teacher");
  await saveModelDir(teacher, spec, initModelWeights(spec, 3));
  await saveTokenizerJson(join(teacher, "tokenizer.json"), task.tokenizer.config);
  const data = join(root, "data");
  for (const [path, text] of syntheticFiles(task.dataset)) {
    await Deno.mkdir(dirname(join(data, path)), { recursive: true });
    await Deno.writeTextFile(join(data, path), text);
  }
  return { root, teacher, data };
}
