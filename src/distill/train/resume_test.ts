import assert from "node:assert/strict";
import { join } from "node:path";
import { readLatestCheckpoint } from "./checkpoint.ts";
import { FIXTURE_STEPS } from "../../testing/mod.ts";

const FIXTURE = new URL("../../testing/train_resume_fixture.ts", import.meta.url).pathname;
const CONFIG = new URL("../../../deno.json", import.meta.url).pathname;

async function runFixture(
  dir: string,
  env: Record<string, string> = {},
): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--config", CONFIG, FIXTURE, dir],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

async function result(dir: string): Promise<{ sha256: string; losses: number[] }> {
  return JSON.parse(await Deno.readTextFile(join(dir, "result.json")));
}

async function entries(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("a training process killed with SIGKILL resumes to bit-identical weights", async () => {
  const root = await Deno.makeTempDir({ prefix: "embeddistill-resume-test-" });
  try {
    const straight = join(root, "straight");
    await Deno.mkdir(straight);
    const plain = await runFixture(straight);
    assert.ok(plain.success, new TextDecoder().decode(plain.stderr));
    const expected = await result(straight);
    assert.equal(expected.losses.length, FIXTURE_STEPS);

    // Killed mid-run, between checkpoints (after step 8; the last checkpoint is step 6).
    const killed = join(root, "killed");
    await Deno.mkdir(killed);
    const first = await runFixture(killed, { EMBEDDISTILL_FIXTURE_KILL_STEP: "8" });
    assert.equal(first.signal, "SIGKILL");
    assert.equal((await readLatestCheckpoint(join(killed, "checkpoints")))!.state.step, 6);
    const second = await runFixture(killed);
    assert.ok(second.success, new TextDecoder().decode(second.stderr));
    assert.deepEqual(await result(killed), expected);

    // Killed while checkpoint 9 is half written: the temporary directory is left, latest is 6.
    const torn = join(root, "torn");
    await Deno.mkdir(torn);
    const third = await runFixture(torn, { EMBEDDISTILL_FIXTURE_KILL_COMMIT: "9" });
    assert.equal(third.signal, "SIGKILL");
    const checkpoints = join(torn, "checkpoints");
    assert.ok((await entries(checkpoints)).some((n) => n.startsWith(".step-00000009.")));
    assert.equal((await readLatestCheckpoint(checkpoints))!.state.step, 6);
    const fourth = await runFixture(torn);
    assert.ok(fourth.success, new TextDecoder().decode(fourth.stderr));
    assert.deepEqual(await result(torn), expected);
    assert.deepEqual(await entries(checkpoints), ["best", "latest.json", "step-00000012"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
