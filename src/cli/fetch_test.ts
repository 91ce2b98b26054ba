import assert from "node:assert/strict";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beirZip, serveFixture, testLock } from "../testing/mod.ts";
import { loadBeirSplit } from "../data/mod.ts";
import { type CliIo, formatBytes, main } from "./fetch.ts";

const CLI = fileURLToPath(new URL("./fetch.ts", import.meta.url));
const zip = beirZip();

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, tty: false, stdout: (l) => out.push(l), stderr: (t) => err.push(t) };
}

async function setup(url: string): Promise<{ dir: string; lock: string; home: string }> {
  const dir = await Deno.makeTempDir({ prefix: "embeddistill-cli-fetch-" });
  const lock = join(dir, "test.lock");
  await Deno.writeTextFile(lock, testLock(url, zip));
  return { dir, lock, home: join(dir, "home") };
}

function spawnCli(lock: string, home: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-check",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-net=127.0.0.1",
      CLI,
      "--registry",
      lock,
      "--home",
      home,
      "beir/scifact",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("fetch CLI: usage errors exit 2, unknown ids exit 2, --help exits 0", async () => {
  const io = capture();
  assert.equal(await main([], io), 2);
  assert.match(io.err.join(""), /missing dataset id/);
  assert.equal(await main(["a", "b"], capture()), 2);
  assert.equal(await main(["--list", "beir/scifact"], capture()), 2);
  assert.equal(await main(["--bogus"], capture()), 2);
  const unknown = capture();
  assert.equal(await main(["no/such-dataset", "--offline"], unknown), 2);
  assert.match(unknown.err.join(""), /Cannot find dataset "no\/such-dataset"/);
  assert.equal(await main(["--help"], capture()), 0);
  assert.equal(formatBytes(2816079), "2.7 MiB");
});

Deno.test("fetch CLI: --list shows the repository's datasets, sizes and cache status", async () => {
  const home = await Deno.makeTempDir();
  try {
    const io = capture();
    assert.equal(await main(["--list", "--home", home], io), 0);
    const text = io.out.join("\n");
    assert.match(text, /^id +kind +download +status/);
    assert.match(text, /beir\/scifact +download +2\.7 MiB +absent/);
    assert.match(text, /dpr\/nq +download +6\.8 GiB +absent/);
    assert.match(text, /synthetic\/tiny +synthetic +generated +absent/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("fetch CLI: --from a good file installs it, a bad one exits 1 naming both MD5s", async () => {
  const { dir, lock, home } = await setup("http://127.0.0.1:9/scifact.zip");
  try {
    const bad = join(dir, "bad.zip");
    const corrupted = zip.bytes.slice();
    corrupted[500] = corrupted[500]! ^ 4;
    await Deno.writeFile(bad, corrupted);
    const io = capture();
    assert.equal(
      await main(
        ["--registry", lock, "--home", home, "--from", bad, "--offline", "beir/scifact"],
        io,
      ),
      1,
    );
    assert.match(
      io.err.join(""),
      new RegExp(`md5 mismatch, expected "${zip.md5}", found "[0-9a-f]{32}"`),
    );
    await assert.rejects(Deno.stat(home), Deno.errors.NotFound);

    const good = join(dir, "scifact.zip");
    await Deno.writeFile(good, zip.bytes);
    const ok = capture();
    assert.equal(
      await main(
        ["--registry", lock, "--home", home, "--from", good, "--offline", "beir/scifact"],
        ok,
      ),
      0,
    );
    assert.equal(ok.out[0], join(home, "datasets", "beir", "scifact", "scifact"));
    assert.match(ok.err.join(""), /counted test qrels in scifact\/qrels\/test.tsv: 80 ok/);
    const listed = capture();
    assert.equal(await main(["--registry", lock, "--home", home, "--list"], listed), 0);
    assert.match(listed.out.join("\n"), /beir\/scifact +download +[0-9.]+ KiB +present/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fetch CLI: a process killed mid-download leaves a partial file that the next run resumes", async () => {
  const server = serveFixture(zip.bytes);
  const { dir, lock, home } = await setup(server.url);
  const half = Math.floor(zip.bytes.length / 2);
  try {
    server.mode = { kind: "stall", after: half };
    const child = spawnCli(lock, home);
    const partial = join(home, "datasets", ".downloads", "beir__scifact", "scifact.zip.partial");
    const deadline = Date.now() + 60_000;
    while (true) {
      const size = await Deno.stat(partial).then((s) => s.size, () => 0);
      if (size === half) break;
      if (Date.now() > deadline) throw new Error(`partial file stuck at ${size} bytes`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    const status = await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel();
    assert.equal(status.success, false);

    server.mode = { kind: "normal" };
    const io = capture();
    assert.equal(
      await main(["--registry", lock, "--home", home, "beir/scifact"], io),
      0,
      io.err.join(""),
    );
    assert.deepEqual(server.ranges, [null, `bytes=${half}-`]);
    assert.match(io.err.join(""), new RegExp(`resuming ${server.url} at`));
    const corpus = await Deno.readTextFile(join(io.out[0]!, "corpus.jsonl"));
    assert.equal(corpus.trim().split("\n").length, zip.docs);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fetch CLI: two processes fetching one id at once both succeed with one download", async () => {
  const server = serveFixture(zip.bytes);
  const { dir, lock, home } = await setup(server.url);
  try {
    const outputs = await Promise.all([
      spawnCli(lock, home).output(),
      spawnCli(lock, home).output(),
    ]);
    const decoder = new TextDecoder();
    for (const out of outputs) assert.ok(out.success, decoder.decode(out.stderr));
    const dirs = outputs.map((o) => decoder.decode(o.stdout).trim());
    assert.equal(dirs[0], dirs[1]);
    assert.equal(server.ranges.length, 1);
    const corpus = await Deno.readTextFile(join(dirs[0]!, "corpus.jsonl"));
    assert.equal(corpus.trim().split("\n").length, zip.docs);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fetch CLI: on a TTY progress is one redrawn bar", async () => {
  const server = serveFixture(zip.bytes);
  const { dir, lock, home } = await setup(server.url);
  try {
    const err: string[] = [];
    const tty: CliIo = { stdout: () => {}, stderr: (t) => err.push(t), tty: true };
    assert.equal(await main(["--registry", lock, "--home", home, "beir/scifact"], tty), 0);
    const text = err.join("");
    assert.match(text, /\rscifact\.zip \[#{30}\] 100\.0% 393\.3 KiB\/393\.3 KiB\n/);
    assert.doesNotMatch(text, /% of /);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Install the fixture's beir/scifact offline from a local zip; returns the printed folder. */
async function installOffline(dir: string, lock: string, home: string): Promise<string> {
  const good = join(dir, "scifact.zip");
  await Deno.writeFile(good, zip.bytes);
  const io = capture();
  const args = ["--registry", lock, "--home", home, "--from", good, "--offline", "beir/scifact"];
  assert.equal(await main(args, io), 0, io.err.join(""));
  return io.out[0]!;
}

Deno.test("fetch CLI: the folder printed is the one distill --data (loadBeirSplit) takes", async () => {
  const { dir, lock, home } = await setup("http://127.0.0.1:9/scifact.zip");
  try {
    const data = await installOffline(dir, lock, home);
    const split = await loadBeirSplit(data, "test");
    assert.equal(split.queries.length, zip.queries);
    // Fetching again (already present) prints the same folder.
    const again = capture();
    assert.equal(await main(["--registry", lock, "--home", home, "beir/scifact"], again), 0);
    assert.deepEqual(again.out, [data]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fetch CLI: --verify re-hashes a cached dataset; --list marks edited or removed files stale", async () => {
  const { dir, lock, home } = await setup("http://127.0.0.1:9/scifact.zip");
  const list = async () => {
    const io = capture();
    assert.equal(await main(["--registry", lock, "--home", home, "--list"], io), 0);
    return io.out.find((l) => l.startsWith("beir/scifact"))!;
  };
  const verify = async () => {
    const io = capture();
    const code = await main(["--registry", lock, "--home", home, "--verify", "beir/scifact"], io);
    return { code, out: io.out, err: io.err.join("") };
  };
  try {
    const absent = await verify();
    assert.equal(absent.code, 1);
    assert.match(absent.err, /Cannot verify "beir\/scifact": it is not in the cache/);
    const data = await installOffline(dir, lock, home);
    assert.match(await list(), /present$/);
    const fresh = await verify();
    assert.equal(fresh.code, 0, fresh.err);
    assert.match(fresh.err, /all 3 files match/);

    // An edit that changes the size: stale in --list, named by --verify.
    const corpus = join(data, "corpus.jsonl");
    const original = await Deno.readFile(corpus);
    const stat = await Deno.stat(corpus);
    await Deno.writeTextFile(corpus, '{"_id":"extra","title":"","text":"x"}\n', { append: true });
    assert.match(
      await list(),
      /stale \(edited scifact\/corpus\.jsonl \(size \d+, fetched \d+\) since the fetch\)$/,
    );
    const edited = await verify();
    assert.equal(edited.code, 1);
    assert.deepEqual(edited.out.map((l) => l.split(" (")[0]), ["edited  scifact/corpus.jsonl"]);
    assert.match(
      edited.err,
      /differs from what was fetched in 1 file\(s\); fetch it again with: deno task fetch beir\/scifact --force/,
    );

    // Same size and time restored: only the re-hash sees it.
    const flipped = original.slice();
    flipped[10] = flipped[10]! ^ 1;
    await Deno.writeFile(corpus, flipped);
    await Deno.utime(corpus, stat.atime!, stat.mtime!);
    assert.match(await list(), /present$/);
    const sameSize = await verify();
    assert.equal(sameSize.code, 1);
    assert.match(
      sameSize.out[0]!,
      /^edited {2}scifact\/corpus\.jsonl \(sha256 [0-9a-f]{64}, fetched [0-9a-f]{64}\)$/,
    );

    // Content restored but time changed (a copy without -p): stale by time, --verify re-records it.
    await Deno.writeFile(corpus, original);
    assert.match(await list(), /stale \(edited scifact\/corpus\.jsonl \(modified /);
    const retimed = await verify();
    assert.equal(retimed.code, 0, retimed.err);
    assert.match(retimed.err, /\(1 file times re-recorded\)/);
    assert.match(await list(), /present$/);

    // A removed file.
    await Deno.remove(join(data, "queries.jsonl"));
    assert.match(await list(), /stale \(removed scifact\/queries\.jsonl since the fetch\)$/);
    const removed = await verify();
    assert.equal(removed.code, 1);
    assert.deepEqual(removed.out, ["removed scifact/queries.jsonl"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fetch CLI: a network failure names the URL and the cause and suggests --from PATH", async () => {
  // A port that was just free: the connection is refused.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const url = `http://127.0.0.1:${port}/scifact.zip`;
  const { dir, lock, home } = await setup(url);
  try {
    const io = capture();
    assert.equal(await main(["--registry", lock, "--home", home, "beir/scifact"], io), 1);
    const err = io.err.join("");
    assert.ok(err.startsWith(`fetch: Cannot download "scifact.zip" from ${url}: `), err);
    assert.match(err, /[Cc]onnection refused/);
    assert.ok(
      err.includes(
        `download ${url} by other means and run: deno task fetch beir/scifact --from PATH`,
      ),
      err,
    );
    assert.equal(err.trim().split("\n").length, 1);
    assert.deepEqual(io.out, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fetch CLI: an unknown option is a readable sentence listing the valid options", async () => {
  const io = capture();
  assert.equal(await main(["--bogus"], io), 2);
  assert.equal(
    io.err.join("").split("\n")[0],
    `fetch: unknown option "--bogus"; valid options: --list; --verify; --from VALUE; --offline; ` +
      `--home VALUE; --registry VALUE; --skip-counts; --force; -h, --help`,
  );
});

Deno.test("fetch task: a lock left by a killed fetch (pid not running) is taken over at once", async () => {
  const { dir, lock, home } = await setup("http://127.0.0.1:9/scifact.zip");
  try {
    const dead = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
    await dead.status;
    const lockFile = join(home, "datasets", ".locks", "beir__scifact.lock");
    await Deno.mkdir(join(home, "datasets", ".locks"), { recursive: true });
    await Deno.writeTextFile(
      lockFile,
      JSON.stringify({ pid: dead.pid, hostname: hostname(), token: "x", startedAt: "" }),
    );
    const good = join(dir, "scifact.zip");
    await Deno.writeFile(good, zip.bytes);
    // The flags of `deno task fetch`: telling a dead pid from a live one needs --allow-run.
    const task = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)))
      .tasks.fetch.command as string;
    const flags = task.split(" ").filter((a) => a.startsWith("--allow"));
    const started = Date.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...flags,
        CLI,
        "--registry",
        lock,
        "--home",
        home,
        "--offline",
        "--from",
        good,
        "beir/scifact",
      ],
      env: { NO_COLOR: "1" },
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.doesNotMatch(stderr, /waiting for another fetch/);
    assert.ok(Date.now() - started < 60_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
