/**
 * What a run needs before it can start, for `--dry-run`: the data of the preset (synthetic data is
 * generated on first use; downloaded data must be fetched) and the teacher (trained by the run, or
 * the `--teacher DIR` a `full` run needs).
 *
 * @module
 */

import { join } from "node:path";
import { cacheHome, datasetStatus, findDataset, loadRegistry } from "../src/data/mod.ts";
import { pathExists } from "../src/io/mod.ts";
import type { ExperimentDefinition } from "./definition.ts";
import type { Preset } from "./presets.ts";

/** One input of a run and whether it is there. */
export interface Requirement {
  readonly what: string;
  readonly state: "ready" | "made by the run" | "missing";
  /** How to get it, when missing. */
  readonly detail: string;
}

async function dataRequirement(id: string, home: string | undefined): Promise<Requirement> {
  const what = `data ${id}`;
  if (await pathExists(id)) return { what, state: "ready", detail: "a folder" };
  const registry = await loadRegistry();
  const entry = findDataset(registry, id);
  const status = await datasetStatus(cacheHome(home), entry);
  if (status.kind === "present") return { what, state: "ready", detail: status.dir };
  return entry.kind === "synthetic"
    ? { what, state: "made by the run", detail: "generated on first use (no download)" }
    : { what, state: "missing", detail: `run \`deno task fetch ${id}\`` };
}

/** What a run of `experiment` under `preset` needs and whether each part is there. */
export async function requirements(
  experiment: ExperimentDefinition,
  preset: Preset,
  teacherDir: string | undefined,
  home?: string,
  /** More datasets the run reads (a zero-shot table's corpora). */
  corpora: readonly string[] = [],
): Promise<Requirement[]> {
  const data = await dataRequirement(experiment.data[preset.name].dataset, home);
  let teacher: Requirement;
  if (teacherDir !== undefined) {
    teacher = await pathExists(join(teacherDir, "config.json"))
      ? { what: `teacher ${teacherDir}`, state: "ready", detail: "given with --teacher" }
      : {
        what: `teacher ${teacherDir}`,
        state: "missing",
        detail:
          "no config.json there: expected a model directory (config.json, model.safetensors, tokenizer.json)",
      };
  } else if (preset.name === "full") {
    teacher = {
      what: "teacher checkpoint",
      state: "missing",
      detail: "the full preset distils a teacher you bring: --teacher DIR (a model directory)",
    };
  } else {
    const s = preset.teacher.shape;
    teacher = {
      what: `teacher ${s.layers}L/H${s.hidden}`,
      state: "made by the run",
      detail: "trained once, then reused from results/teachers/<config hash>",
    };
  }
  const crossEncoders: Requirement[] = experiment.teacher.kind === "cross"
    ? experiment.teacher.crossEncoders.map((ce) => ({
      what: `cross-encoder ${ce.id} (${ce.label})`,
      state: "made by the run",
      detail:
        "trained once on the DE teacher's negatives, reused from results/teachers/<config hash>",
    }))
    : [];
  const others = await Promise.all(corpora.map((id) => dataRequirement(id, home)));
  return [data, ...others, teacher, ...crossEncoders];
}
