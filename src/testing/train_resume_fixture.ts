/**
 * Test fixture run as a subprocess by the resume test: trains a small asymmetric student with
 * checkpoints (resuming when one exists) and writes the sha256 of its final weights and its
 * losses to `<dir>/result.json`. `EMBEDDISTILL_FIXTURE_KILL_STEP=k` makes the process SIGKILL
 * itself after step k; `EMBEDDISTILL_FIXTURE_KILL_COMMIT=k` while checkpoint k is half written
 * (files in the temporary directory, not yet renamed).
 *
 * Run: deno run -A src/testing/train_resume_fixture.ts <dir>
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { initEngine } from "../engine/mod.ts";
import { fromVariables, initModelWeights } from "../models/mod.ts";
import { buildStudent, recipeObjective, teacherEmbeddings } from "../distill/mod.ts";
import { train } from "../distill/train/mod.ts";
import { encoderConfig, teacherSpec, tinyTask } from "./tiny_task.ts";

/** Steps of the fixture run. */
export const FIXTURE_STEPS = 12;

/** Train (or resume) in `dir`; returns the final weights' sha256 and the losses. */
export async function runResumeFixture(
  dir: string,
  hooks: { killStep?: number; killCommit?: number } = {},
): Promise<{ sha256: string; losses: readonly number[] }> {
  await initEngine();
  const task = tinyTask({ dev: 20 });
  const spec = teacherSpec(task, encoderConfig(task.vocabSize, 16, 1, 2));
  const teacher = { spec, weights: initModelWeights(spec, 21) };
  const home = join(dir, "home");
  const teacherQueries = await teacherEmbeddings(teacher, "query", task.data.queries, { home });
  const teacherDocuments = await teacherEmbeddings(teacher, "document", task.data.documents, {
    home,
  });
  const student = await buildStudent(teacher, {
    kind: "asymmetric",
    encoder: encoderConfig(task.vocabSize, 8, 1, 2),
    init: { kind: "random", seed: 5 },
  });
  const kill = () => Deno.kill(Deno.pid, "SIGKILL");
  const result = await train(
    student,
    {
      ...task.data,
      teacher: { kind: "embeddings", queries: teacherQueries, documents: teacherDocuments },
    },
    recipeObjective({ terms: [{ kind: "score-kd" }, { kind: "embed-match", side: "query" }] }),
    {
      steps: FIXTURE_STEPS,
      batchSize: 16,
      seed: 7,
      learningRate: 2e-3,
      dev: task.dev,
      evalEvery: 4,
      checkpointEvery: 3,
      checkpointDir: join(dir, "checkpoints"),
      resume: true,
      onEvent: (e) => {
        if (e.kind === "step" && e.step === hooks.killStep) kill();
      },
      beforeCheckpointCommit: (temp) => {
        if (
          hooks.killCommit !== undefined &&
          temp.includes(`step-${String(hooks.killCommit).padStart(8, "0")}`)
        ) kill();
      },
    },
  );
  const hash = createHash("sha256");
  for (const [name, x] of fromVariables(student.model.params)) {
    hash.update(name);
    hash.update(new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
  }
  return { sha256: hash.digest("hex"), losses: result.losses };
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (dir === undefined) throw new TypeError("Cannot run the resume fixture: no directory given");
  const number = (name: string) => {
    const value = Deno.env.get(name);
    return value === undefined ? undefined : Number(value);
  };
  const killStep = number("EMBEDDISTILL_FIXTURE_KILL_STEP");
  const killCommit = number("EMBEDDISTILL_FIXTURE_KILL_COMMIT");
  const out = await runResumeFixture(dir, {
    ...(killStep === undefined ? {} : { killStep }),
    ...(killCommit === undefined ? {} : { killCommit }),
  });
  await Deno.writeTextFile(join(dir, "result.json"), JSON.stringify(out));
}
