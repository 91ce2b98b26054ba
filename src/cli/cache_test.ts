import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beirZip, testLock } from "../testing/mod.ts";
import { main as fetchMain } from "./fetch.ts";

const CLI = fileURLToPath(new URL("./cache.ts", import.meta.url));
const DENO_JSON = fileURLToPath(new URL("../../deno.json", import.meta.url));

/** The real CLI, run as `deno task cache` runs it, with the cache at `home`. */
async function cli(home: string, ...args: string[]) {
  const task = JSON.parse(await Deno.readTextFile(DENO_JSON)).tasks.cache.command as string;
  const flags = task.split(" ").filter((a) => a.startsWith("--allow"));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, CLI, ...args],
    env: { EMBEDDISTILL_HOME: home, NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
  await child.status;
  return child.pid;
}

const DAY = 86_400_000;

Deno.test("cache CLI: --list shows artefacts (kind, size, age, key), datasets marked, writers in progress", async () => {
  const home = await Deno.makeTempDir({ prefix: "embeddistill-cache-" });
  try {
    const zip = beirZip(200, 10);
    const lock = join(home, "test.lock");
    await Deno.writeTextFile(lock, testLock("http://127.0.0.1:9/scifact.zip", zip));
    await Deno.writeFile(join(home, "scifact.zip"), zip.bytes);
    const quiet = { stdout: () => {}, stderr: () => {}, tty: false };
    const fetchArgs = ["--registry", lock, "--home", home, "--offline", "--from"];
    assert.equal(
      await fetchMain([...fetchArgs, join(home, "scifact.zip"), "beir/scifact"], quiet),
      0,
    );
    const art = join(home, "artifacts");
    const old = join(art, "a".repeat(64));
    await Deno.mkdir(old, { recursive: true });
    await Deno.writeFile(join(old, "teacher-embeddings.safetensors"), new Uint8Array(3000));
    const tenDaysAgo = new Date(Date.now() - 10 * DAY);
    await Deno.utime(old, tenDaysAgo, tenDaysAgo);
    const fresh = join(art, "b".repeat(64));
    await Deno.mkdir(fresh);
    await Deno.writeFile(join(fresh, "ce-targets.safetensors"), new Uint8Array(10));
    await Deno.mkdir(join(art, `.${"c".repeat(64)}.tmp-${Deno.pid}-0123abcd`));

    const out = await cli(home, "--list", "--registry", lock);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^what +kind +size +age +key$/);
    assert.match(
      lines[1]!,
      new RegExp(`^artefact +teacher-embeddings +2\\.9 KiB +10d +${"a".repeat(64)}$`),
    );
    assert.match(lines[2]!, new RegExp(`^artefact +ce-targets +10 B +\\d+s +${"b".repeat(64)}$`));
    assert.match(
      lines[3]!,
      new RegExp(`^temporary +writing \\(pid ${Deno.pid}\\) +0 B +\\d+s +\\.c+\\.tmp-`),
    );
    assert.match(lines[4]!, /^dataset +present +[0-9.]+ KiB +\d+s +beir\/scifact$/);
    assert.equal(lines.length, 5);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("cache CLI: --gc removes old artefacts and dead writers' leftovers, never a dataset or a running writer's folder", async () => {
  const home = await Deno.makeTempDir({ prefix: "embeddistill-cache-" });
  try {
    const art = join(home, "artifacts");
    const old = join(art, "a".repeat(64));
    await Deno.mkdir(old, { recursive: true });
    await Deno.writeFile(join(old, "teacher-embeddings.safetensors"), new Uint8Array(2048));
    const tenDaysAgo = new Date(Date.now() - 10 * DAY);
    await Deno.utime(old, tenDaysAgo, tenDaysAgo);
    const fresh = join(art, "b".repeat(64));
    await Deno.mkdir(fresh);
    await Deno.writeFile(join(fresh, "ce-targets.safetensors"), new Uint8Array(10));
    const dead = await deadPid();
    const leftover = `.${"c".repeat(64)}.tmp-${dead}-0123abcd`;
    const writing = `.${"d".repeat(64)}.tmp-${Deno.pid}-0123abcd`;
    await Deno.mkdir(join(art, leftover));
    await Deno.writeFile(join(art, leftover, "x"), new Uint8Array(5));
    await Deno.mkdir(join(art, writing));
    // A dataset, a fetch in progress (this process) and one that was killed.
    const dataset = join(home, "datasets", "beir", "x");
    await Deno.mkdir(dataset, { recursive: true });
    await Deno.writeTextFile(
      join(dataset, ".embeddistill-dataset.json"),
      JSON.stringify({
        id: "beir/x",
        files: [],
        counts: [],
        countsSkipped: false,
        completedAt: new Date(0).toISOString(),
      }),
    );
    const uuid = "0b9e2a4c-1d2f-4e5a-8b6c-7d8e9f0a1b2c";
    const liveStage = join(home, "datasets", ".tmp", `beir__x-${Deno.pid}-${uuid}`);
    const deadStage = join(home, "datasets", ".tmp", `beir__x-${dead}-${uuid}`);
    await Deno.mkdir(liveStage, { recursive: true });
    await Deno.mkdir(deadStage);

    const aged = await cli(home, "--gc", "--older-than", "7d");
    assert.equal(aged.code, 0, aged.stderr);
    assert.deepEqual(aged.stdout.trimEnd().split("\n"), [
      `removed artefact teacher-embeddings 2.0 KiB ${"a".repeat(64)}`,
      `removed temporary 5 B ${leftover} (pid ${dead} not running)`,
      `removed staging 0 B beir__x-${dead}-${uuid} (pid ${dead} not running)`,
    ]);
    assert.equal(
      aged.stderr,
      "cache: freed 2.0 KiB in 3 folders; kept 1 artefacts newer than --older-than, " +
        "2 folders in use by running processes; datasets are never removed\n",
    );
    const names = (dir: string) =>
      Array.fromAsync(Deno.readDir(dir), (e) => e.name).then((n) => n.sort());
    assert.deepEqual(await names(art), [writing, "b".repeat(64)].sort());
    assert.deepEqual(await names(join(home, "datasets", ".tmp")), [`beir__x-${Deno.pid}-${uuid}`]);
    assert.ok((await Deno.stat(join(dataset, ".embeddistill-dataset.json"))).isFile);

    // Without --older-than every artefact goes; the running writer's folder and the dataset stay.
    const all = await cli(home, "--gc");
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(all.stdout.trimEnd().split("\n"), [
      `removed artefact ce-targets 10 B ${"b".repeat(64)}`,
    ]);
    assert.deepEqual(await names(art), [writing]);
    assert.ok((await Deno.stat(dataset)).isDirectory);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("cache CLI: usage errors exit 2 with a readable sentence", async () => {
  const home = await Deno.makeTempDir();
  try {
    const none = await cli(home);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^cache: give exactly one of --list and --gc\n/);
    const bad = await cli(home, "--gc", "--older-than", "soon");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--older-than must be a number and a unit .* found "soon"/);
    const unknown = await cli(home, "--purge");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^cache: unknown option "--purge"; valid options: --list; --gc; /);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
