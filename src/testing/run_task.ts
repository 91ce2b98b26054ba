/**
 * Run a `deno task` of the repository's deno.json as a subprocess exactly as the task runs it (its
 * permissions, its entry point, from the repository root), as a user in `userDir` (`INIT_CWD`)
 * with the cache at `home`: what every CLI test needs to check the real command.
 *
 * @module
 */

import { join } from "node:path";
import { REPO_ROOT } from "./shared_data.ts";

/** Where the user is and what else the environment holds. */
export interface TaskEnvironment {
  /** The directory the user ran the task from (`INIT_CWD`; default: the repository root). */
  readonly userDir?: string;
  /** `EMBEDDISTILL_HOME` (default: unset, the user's cache). */
  readonly home?: string;
  /** More variables (NO_COLOR=1 and EMBEDDISTILL_THREADS=1 are always set). */
  readonly env?: Readonly<Record<string, string>>;
}

/** What a finished task printed. */
export interface TaskOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The `Deno.Command` of task `name` with `args` (spawn it to kill it mid-way). */
export async function taskCommand(
  name: string,
  args: readonly string[],
  environment: TaskEnvironment = {},
): Promise<Deno.Command> {
  const tasks = JSON.parse(await Deno.readTextFile(join(REPO_ROOT, "deno.json"))).tasks;
  const task = tasks[name];
  if (task === undefined) throw new RangeError(`deno.json has no task "${name}"`);
  const command: string[] = (typeof task === "string" ? task : task.command).split(" ");
  if (command[0] !== "deno" || command[1] !== "run") {
    throw new TypeError(`Task "${name}" is not \`deno run ...\`: ${command.join(" ")}`);
  }
  return new Deno.Command(Deno.execPath(), {
    args: [...command.slice(1, -1), "--no-check", join(REPO_ROOT, command.at(-1)!), ...args],
    cwd: REPO_ROOT,
    env: {
      INIT_CWD: environment.userDir ?? REPO_ROOT,
      ...(environment.home === undefined ? {} : { EMBEDDISTILL_HOME: environment.home }),
      EMBEDDISTILL_THREADS: "1",
      NO_COLOR: "1",
      ...environment.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Run task `name` with `args` to the end. */
export async function runTask(
  name: string,
  args: readonly string[],
  environment: TaskEnvironment = {},
): Promise<TaskOutput> {
  const output = await (await taskCommand(name, args, environment)).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** A CLI's io captured in memory: stdout lines, and stderr as plain (non-terminal) text. */
export interface CapturedIo {
  readonly stdout: (line: string) => void;
  readonly progress: { readonly tty: false; readonly write: (text: string) => void };
  /** The stdout lines so far. */
  readonly out: string[];
  /** Everything written to stderr so far. */
  readonly err: () => string;
}

/** An io for a CLI's `main(args, io)` that keeps what it printed. */
export function captureIo(): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err: () => err.join(""),
    stdout: (line) => out.push(line),
    progress: { tty: false, write: (text) => err.push(text) },
  };
}
