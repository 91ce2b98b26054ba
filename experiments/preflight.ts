/**
 * What a run needs before it can start, for `--dry-run`: the data of the preset (synthetic data is
 * generated on first use; downloaded data must be fetched) and the teacher (trained by the run, or
 * the `--teacher DIR` a `full` run needs).
 *
 * @module
 */

import { join } from "node:path";
import {
  cacheHome,
  datasetStatus,
  findDataset,
  loadRegistry,
  loadSplit,
  resolveSplitSource,
} from "../src/data/mod.ts";
import { TEACHER_FILES, teacherConfigHash, type TeacherSettings } from "../src/distill/mod.ts";
import { pathExists } from "../src/io/mod.ts";
import type { ExperimentDefinition } from "./definition.ts";
import { crossEncoderSettings, teacherSettings } from "./pipeline.ts";
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

/**
 * Where the teachers a run would train are already cached: `results/teachers/<config hash>` of
 * the DE teacher and of each cross-encoder, finished ones only (their address needs the data's
 * checksums, so only when the data is there). Empty when nothing is cached.
 */
async function cachedTeachers(
  experiment: ExperimentDefinition,
  preset: Preset,
  resultsRoot: string,
  home: string | undefined,
): Promise<Map<string, string>> {
  const data = experiment.data[preset.name];
  const source = await resolveSplitSource(data.dataset);
  const options = home === undefined ? {} : { home };
  const [train, dev] = await Promise.all(
    [data.train, data.dev].map((s) => loadSplit(source, s, options)),
  );
  const finished = async (settings: TeacherSettings): Promise<string | null> => {
    const dir = join(
      resultsRoot,
      "teachers",
      await teacherConfigHash(settings, { train: train!, dev: dev! }),
    );
    return await pathExists(join(dir, TEACHER_FILES.run)) ? dir : null;
  };
  const found = new Map<string, string>();
  const de = await finished(teacherSettings(experiment, preset));
  if (de === null) return found;
  found.set("teacher", de);
  if (experiment.teacher.kind === "cross") {
    for (const role of experiment.teacher.crossEncoders) {
      const dir = await finished(crossEncoderSettings(experiment, role, preset, de));
      if (dir !== null) found.set(role.id, dir);
    }
  }
  return found;
}

/**
 * What a run of `experiment` under `preset` needs and whether each part is there (a teacher
 * already trained into `resultsRoot`'s teachers/ is ready).
 */
export async function requirements(
  experiment: ExperimentDefinition,
  preset: Preset,
  teacherDir: string | undefined,
  resultsRoot: string,
  home?: string,
  /** More datasets the run reads (a zero-shot table's corpora). */
  corpora: readonly string[] = [],
): Promise<Requirement[]> {
  const data = await dataRequirement(experiment.data[preset.name].dataset, home);
  const cached = teacherDir === undefined && preset.name !== "full" && data.state === "ready"
    ? await cachedTeachers(experiment, preset, resultsRoot, home)
    : new Map<string, string>();
  const ready = (what: string, dir: string): Requirement => ({
    what,
    state: "ready",
    detail: dir,
  });
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
    const what = `teacher ${s.layers}L/H${s.hidden}`;
    const dir = cached.get("teacher");
    teacher = dir !== undefined ? ready(what, dir) : {
      what,
      state: "made by the run",
      detail: "trained once, then reused from results/teachers/<config hash>",
    };
  }
  const crossEncoders: Requirement[] = experiment.teacher.kind === "cross"
    ? experiment.teacher.crossEncoders.map((ce) => {
      const what = `cross-encoder ${ce.id} (${ce.label})`;
      const dir = cached.get(ce.id);
      return dir !== undefined ? ready(what, dir) : {
        what,
        state: "made by the run",
        detail:
          "trained once on the DE teacher's negatives, reused from results/teachers/<config hash>",
      };
    })
    : [];
  const others = await Promise.all(corpora.map((id) => dataRequirement(id, home)));
  return [data, ...others, teacher, ...crossEncoders];
}
